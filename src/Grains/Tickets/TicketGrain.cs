using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Common;

namespace TicketFlash.Grains.Tickets;

public sealed class TicketState
{
    public Guid OrderId { get; set; }
    public Guid EventId { get; set; }
    public string SectionId { get; set; } = "";
    public string? SeatId { get; set; }
    public string OwnerId { get; set; } = "";
    public TicketStatus Status { get; set; }
    public int Serial { get; set; }
    public List<TicketTransition> History { get; set; } = [];
}

/// <summary>
/// A ticket. Its issue is durable in its confirmed order; the grain materializes (and persists) its own state the
/// first time it is used, so a purchase costs no write per ticket.
/// </summary>
public sealed class TicketGrain(
    [PersistentState("ticket", StorageNames.Default)] IPersistentState<TicketState> ticket,
    TimeProvider clock) : Grain, ITicketGrain
{
    public async Task<TicketDetails> Get()
    {
        await EnsureMaterialized();
        return Describe();
    }

    private async Task EnsureMaterialized()
    {
        if (ticket.RecordExists) return;
        var origin = OrderIds.FromTicketId(this.GetPrimaryKey()) ?? throw DomainException.NotFound("Ticket");
        var summary = await GrainFactory.GetGrain<IOrderGrain>(origin.OrderId).DescribeTicket(origin.Index)
            ?? throw DomainException.NotFound("Ticket");
        var owner = summary.OwnerId;
        var now = clock.GetUtcNow();
        ticket.State = new TicketState
        {
            OrderId = summary.OrderId,
            EventId = summary.EventId,
            SectionId = summary.SectionId,
            SeatId = summary.SeatId,
            OwnerId = owner,
            Status = TicketStatus.Active,
            Serial = 1,
            History =
            [
                new TicketTransition(TicketStatus.Reserved, TicketStatus.Sold, now, owner, "order confirmed"),
                new TicketTransition(TicketStatus.Sold, TicketStatus.Active, now, "system", "no minting configured"),
            ],
        };
        await ticket.WriteStateAsync();
    }

    private TicketDetails Describe()
    {
        var s = ticket.State;
        return new TicketDetails(this.GetPrimaryKey(), s.OrderId, s.EventId, s.SectionId, s.SeatId, s.OwnerId, s.Status, s.Serial, s.History);
    }
}
