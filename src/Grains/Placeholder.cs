namespace TicketFlash.Grains;

internal static class Placeholder { }
