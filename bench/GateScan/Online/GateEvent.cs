using System.Collections.Concurrent;
using System.Diagnostics;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Abstractions.Venues;

namespace TicketFlash.Bench.GateScan.Online;

/// <summary>
/// An event with <c>tickets</c> sold tickets and each ticket's static code, built only through the grains, the way the
/// API would: an organizer creates a venue of general-admission sections and an event that starts within the hour (so the
/// check-in window is open now), opens the sale; one fan per order places and pays an order of up to 20 tickets; each
/// fan then fetches each ticket's static code from <see cref="ITicketCodeIssuerGrain"/> (which signs in the event's key grain).
/// </summary>
public sealed record GateEvent(Guid EventId, string Tenant, Actor Staff, string[] Codes, Guid[] TicketIds, double SetupSeconds)
{
    public const int TicketsPerOrder = OrderLimits.MaxQuantity; // 20: also the per-customer limit

    public static async Task<GateEvent> CreateAsync(IGrainFactory grains, string name, int tickets, int sections, int concurrency, int seed, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var tenant = $"gatescan-{tag}";
        var organizer = new Actor($"organizer-{tag}", tenant, [ActorRoles.Organizer]);
        var staff = new Actor($"gate-staff-{tag}", tenant, [ActorRoles.Venue]);

        // GA sections sharing the tickets as evenly as possible.
        sections = Math.Clamp(sections, 1, Math.Min(26 * 26, tickets));
        var definitions = Enumerable.Range(0, sections)
            .Select(i => new SectionDefinition(SectionId(i), $"Section {SectionId(i)}", null, null, tickets / sections + (i < tickets % sections ? 1 : 0)))
            .ToList();
        var venueId = Guid.NewGuid();
        await grains.GetGrain<IVenueGrain>(venueId).Create(organizer, $"{name} venue", definitions);
        var startsAt = DateTimeOffset.UtcNow.AddMinutes(30); // check-in opens 4 h before the start: open now
        var command = new CreateEventCommand(name, venueId, startsAt, startsAt.AddHours(3),
            [new PriceTier("standard", "Standard", 50m, "EUR", [.. definitions.Select(d => d.Id)])],
            PerCustomerLimit: TicketsPerOrder, HoldDuration: TimeSpan.FromMinutes(10));
        var eventId = Guid.NewGuid();
        var eventGrain = grains.GetGrain<IEventGrain>(eventId);
        await eventGrain.Create(organizer, command);
        await eventGrain.ChangeStatus(organizer, EventStatus.OnSale);

        // Orders: each section in chunks of up to 20, one fan per order.
        var orders = definitions
            .SelectMany(d => Enumerable.Range(0, (d.Capacity!.Value + TicketsPerOrder - 1) / TicketsPerOrder)
                .Select(k => (Section: d.Id, Quantity: Math.Min(TicketsPerOrder, d.Capacity!.Value - k * TicketsPerOrder))))
            .Select((o, i) => (o.Section, o.Quantity, Fan: new Actor($"fan-{tag}-{i}", null, [ActorRoles.Fan])))
            .ToList();
        var owned = new ConcurrentBag<(Actor Fan, Guid TicketId)>();
        await Parallel.ForEachAsync(orders, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (o, _) =>
        {
            var order = grains.GetGrain<IOrderGrain>(OrderIds.Derive(o.Fan.UserId, "gatescan"));
            var held = await order.Place(o.Fan, new PlaceOrderCommand(eventId, o.Quantity, o.Section, null));
            if (held.Status != OrderStatus.Held) throw new InvalidOperationException($"setup: order {held.OrderId} is {held.Status} after Place");
            var paid = await order.Pay(o.Fan);
            if (paid.Status != OrderStatus.Confirmed || paid.Tickets.Count != o.Quantity)
                throw new InvalidOperationException($"setup: order {paid.OrderId} is {paid.Status} with {paid.Tickets.Count} tickets after Pay");
            foreach (var t in paid.Tickets) owned.Add((o.Fan, t.TicketId));
        });
        if (owned.Count != tickets) throw new InvalidOperationException($"setup: {owned.Count} tickets sold, expected {tickets}");

        // Each holder fetches the static code of each of their tickets (the printed / PDF code).
        var codes = new string[tickets];
        var list = owned.ToArray();
        await Parallel.ForEachAsync(Enumerable.Range(0, list.Length), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (i, _) =>
        {
            var (fan, ticketId) = list[i];
            var signed = await grains.GetGrain<ITicketCodeIssuerGrain>(0).Issue(fan, ticketId, TicketCodeMode.Static);
            if (signed.Payload.TicketId != ticketId || signed.Payload.EventId != eventId) throw new InvalidOperationException("setup: the issuer signed another ticket");
            codes[i] = signed.Code;
        });

        // Doors open in random order, not order by order.
        new Random(seed).Shuffle(codes);
        return new GateEvent(eventId, tenant, staff, codes, [.. list.Select(t => t.TicketId)], Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static string SectionId(int i) => i < 26 ? ((char)('A' + i)).ToString() : $"{(char)('A' + i / 26 - 1)}{(char)('A' + i % 26)}";
}
