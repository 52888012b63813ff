namespace TicketFlash.Abstractions;

internal static class Placeholder { }
