using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Abstractions.Venues;
using TicketFlash.Grains.Tests.Infrastructure;
using TicketFlash.Grains.Tickets.Codes;

namespace TicketFlash.Grains.Tests.Tickets.Lifecycle;

/// <summary>An event whose check-in window is open now (it starts within the hour), with its organizer.</summary>
public sealed record GateEvent(Actor Organizer, EventDetails Details)
{
    public Guid Id => Details.Id;

    public string Tenant => Details.Tenant;

    /// <summary>Venue staff of this event's tenant, as the API builds it from a "venue" token.</summary>
    public Actor Staff(string? name = null) => new($"{name ?? "venue"}-{Guid.NewGuid():N}", Tenant, [ActorRoles.Venue]);

    public (DateTimeOffset From, DateTimeOffset To) Window => TicketCodeIssuer.CheckInWindow(Details);
}

/// <summary>Helpers for the gate tests: events that start soon, bulk purchases, codes, scans.</summary>
public static class GateKit
{
    public static async Task<GateEvent> CreateEvent(IGrainFactory grains, IReadOnlyList<SectionDefinition> sections, int perCustomerLimit = 10,
        DateTimeOffset? startsAt = null, TimeSpan? duration = null)
    {
        var organizer = Actors.Organizer();
        var venueId = Guid.NewGuid();
        await grains.GetGrain<IVenueGrain>(venueId).Create(organizer, "Gate venue", sections);
        var starts = startsAt ?? DateTimeOffset.UtcNow.AddMinutes(30);
        var command = new CreateEventCommand("Gate night", venueId, starts, starts + (duration ?? TimeSpan.FromHours(3)),
            [new PriceTier("standard", "Standard", 25m, "EUR", [.. sections.Select(s => s.Id)])], perCustomerLimit, TimeSpan.FromMinutes(10));
        var evt = grains.GetGrain<IEventGrain>(Guid.NewGuid());
        await evt.Create(organizer, command);
        return new GateEvent(organizer, await evt.ChangeStatus(organizer, EventStatus.OnSale));
    }

    public static async Task<OrderDetails> Buy(IGrainFactory grains, Actor fan, Guid eventId, int quantity, string? sectionId = null, params string[] seats)
    {
        var order = grains.GetGrain<IOrderGrain>(OrderIds.Derive(fan.UserId, Guid.NewGuid().ToString("N")));
        await order.Place(fan, new PlaceOrderCommand(eventId, quantity, sectionId, seats.Length > 0 ? seats : null));
        var paid = await order.Pay(fan);
        Assert.Equal(OrderStatus.Confirmed, paid.Status);
        return paid;
    }

    /// <summary>
    /// <paramref name="count"/> tickets of <paramref name="sectionId"/>: orders of at most 20 (the order limit), spread over
    /// enough fans to stay within the per-customer limit; fans buy in parallel, each fan's orders one after the other.
    /// </summary>
    public static async Task<List<(Actor Owner, TicketSummary Ticket)>> BuyMany(IGrainFactory grains, Guid eventId, string sectionId, int count, int perCustomerLimit)
    {
        var perOrder = Math.Min(OrderLimits.MaxQuantity, perCustomerLimit);
        var perFan = perCustomerLimit / perOrder * perOrder;
        var fans = Enumerable.Range(0, (count + perFan - 1) / perFan).Select(i => (Fan: Actors.Fan($"bulk{i}"), Quantity: Math.Min(perFan, count - i * perFan))).ToList();
        var bought = await Task.WhenAll(fans.Select(async f =>
        {
            var tickets = new List<(Actor, TicketSummary)>();
            for (var left = f.Quantity; left > 0; left -= perOrder)
            {
                var paid = await Buy(grains, f.Fan, eventId, Math.Min(perOrder, left), sectionId);
                tickets.AddRange(paid.Tickets.Select(t => (f.Fan, t)));
            }
            return tickets;
        }));
        var all = bought.SelectMany(t => t).ToList();
        Assert.Equal(count, all.Count);
        Assert.Equal(count, all.Select(t => t.Item2.TicketId).Distinct().Count());
        return all;
    }

    /// <summary>The ticket's code as its holder gets it (through the issuer grain, which materializes the ticket).</summary>
    public static async Task<string> CodeOf(IGrainFactory grains, Actor owner, Guid ticketId, TicketCodeMode mode = TicketCodeMode.Static) =>
        (await grains.GetGrain<ITicketCodeIssuerGrain>(0).Issue(owner, ticketId, mode)).Code;

    /// <summary>
    /// A static code signed by the event's key grain from the order's summary alone, without ever touching the ticket
    /// grain: the first scan is then also the ticket's activation and materialization.
    /// </summary>
    public static async Task<string> CodeWithoutTouchingTheTicket(IGrainFactory grains, EventDetails evt, TicketSummary ticket, int serial = 1)
    {
        var details = new TicketDetails(ticket.TicketId, ticket.OrderId, ticket.EventId, ticket.SectionId, ticket.SeatId, ticket.OwnerId,
            TicketStatus.Active, serial, []);
        return (await TicketCodeIssuer.Issue(grains, details, evt, TicketCodeMode.Static, DateTimeOffset.UtcNow)).Code;
    }

    public static Task<CheckInOutcome> Scan(IGrainFactory grains, GateEvent evt, Actor staff, string code, string gate = "north",
        DateTimeOffset? scannedAt = null, string? deviceId = null) =>
        grains.GetGrain<ICheckInGrain>(evt.Id).Scan(staff, code, gate, deviceId ?? $"{gate}-scanner-1", scannedAt);
}
