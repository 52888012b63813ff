namespace TicketFlash.Grains.Tickets;

public sealed partial class TicketGrain
{
    private Task ReportToRoster() => Task.CompletedTask;
}
