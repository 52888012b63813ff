using System.Text.Json;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Streams;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Streams;

/// <summary>What grains publish on the "domain" memory stream provider, namespace "sales", keyed by the event id.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DomainEventStreamTests(ClusterFixture cluster)
{
    private static bool Has<T>(IReadOnlyList<DomainEvent> events, int count = 1) => events.OfType<T>().Count() >= count;

    /// <summary>Distinct occurrences have distinct ids; a redelivery of one occurrence carries its id and its content.</summary>
    private static void AssertIdsIdentifyOccurrences(IReadOnlyList<DomainEvent> events)
    {
        Assert.All(events.GroupBy(e => e.Id), group => Assert.Single(group.Select(e => JsonSerializer.Serialize(e)).Distinct()));
        Assert.DoesNotContain(events, e => e.Id == Guid.Empty);
    }

    [Fact]
    public async Task A_purchase_publishes_seats_held_seats_sold_order_confirmed_and_one_ticket_issued_per_ticket()
    {
        var sale = await cluster.CreateSale(new SaleSpec { Price = 25m });
        await using var recorder = await DomainEventRecorder.Subscribe(cluster.Client, sale.EventId);
        var fan = Actors.Fan();

        var held = await sale.Place(fan, 2, "floor", "H-1", "H-2");
        var paid = await sale.Order(held.OrderId).Pay(fan);
        var events = await recorder.WaitFor(
            e => Has<SeatsHeld>(e) && Has<SeatsSold>(e) && Has<OrderConfirmed>(e) && Has<TicketIssued>(e, 2), "the purchase's events");

        AssertIdsIdentifyOccurrences(events);
        var seatsHeld = Assert.Single(events.OfType<SeatsHeld>().DistinctBy(e => e.Id));
        Assert.Equal((sale.EventId, "floor", held.OrderId, 2), (seatsHeld.EventId, seatsHeld.SectionId, seatsHeld.OrderId, seatsHeld.Quantity));
        Assert.Equal(["H-1", "H-2"], seatsHeld.Seats);
        var seatsSold = Assert.Single(events.OfType<SeatsSold>().DistinctBy(e => e.Id));
        Assert.Equal((held.OrderId, 2), (seatsSold.OrderId, seatsSold.Quantity));
        Assert.Equal(["H-1", "H-2"], seatsSold.Seats);
        var confirmed = Assert.Single(events.OfType<OrderConfirmed>().DistinctBy(e => e.Id));
        Assert.Equal((held.OrderId, fan.UserId, 2, 50m, "EUR"), (confirmed.OrderId, confirmed.CustomerId, confirmed.Quantity, confirmed.Total, confirmed.Currency));
        var issued = events.OfType<TicketIssued>().DistinctBy(e => e.Id).ToList();
        Assert.Equal(paid.Tickets.Select(t => (t.TicketId, t.SeatId)).Order(), issued.Select(t => (t.TicketId, t.SeatId)).Order());
        Assert.All(issued, t => Assert.Equal((held.OrderId, fan.UserId, "floor"), (t.OrderId, t.OwnerId, t.SectionId)));
        Assert.DoesNotContain(events, e => e is SeatsReleased);
    }

    [Fact]
    public async Task Opening_and_pausing_a_sale_publish_event_opened_and_status_changed()
    {
        var eventId = Guid.NewGuid();
        await using var recorder = await DomainEventRecorder.Subscribe(cluster.Client, eventId);
        var sale = await cluster.CreateSale(new SaleSpec { EventId = eventId, Name = "Opening night" });

        await sale.Event.ChangeStatus(sale.Organizer, EventStatus.Paused);
        var events = await recorder.WaitFor(e => Has<EventOpened>(e) && Has<EventStatusChanged>(e), "the status events");

        AssertIdsIdentifyOccurrences(events);
        Assert.Equal("Opening night", Assert.Single(events.OfType<EventOpened>().DistinctBy(e => e.Id)).Name);
        Assert.Equal("Paused", Assert.Single(events.OfType<EventStatusChanged>().DistinctBy(e => e.Id)).Status);
        Assert.All(events, e => Assert.Equal(eventId, e.EventId));
    }

    [Fact]
    public async Task Cancelling_a_hold_publishes_seats_released_and_order_closed()
    {
        var sale = await cluster.CreateSale();
        await using var recorder = await DomainEventRecorder.Subscribe(cluster.Client, sale.EventId);
        var fan = Actors.Fan();
        var held = await sale.Place(fan, 1, "floor", "J-9");

        await sale.Order(held.OrderId).Cancel(fan);
        var events = await recorder.WaitFor(e => Has<SeatsHeld>(e) && Has<SeatsReleased>(e) && Has<OrderClosed>(e), "the cancellation's events");

        AssertIdsIdentifyOccurrences(events);
        Assert.Equal(["J-9"], Assert.Single(events.OfType<SeatsReleased>().DistinctBy(e => e.Id)).Seats);
        Assert.Equal((held.OrderId, "Cancelled"), events.OfType<OrderClosed>().Select(e => (e.OrderId, e.Status)).Distinct().Single());
        Assert.DoesNotContain(events, e => e is SeatsSold or OrderConfirmed or TicketIssued);
    }

    [Fact]
    public async Task Every_order_of_a_busy_sale_gets_its_own_event_ids()
    {
        var sale = await cluster.CreateSale(new SaleSpec { Sections = [Sections.GeneralAdmission("ga", 200)] });
        await using var recorder = await DomainEventRecorder.Subscribe(cluster.Client, sale.EventId);

        var paid = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => sale.Buy(Actors.Fan(), 2))));
        var events = await recorder.WaitFor(e => Has<SeatsSold>(e, 50) && Has<OrderConfirmed>(e, 50) && Has<TicketIssued>(e, 100), "50 purchases' events");

        AssertIdsIdentifyOccurrences(events);
        Assert.Equal(paid.Select(o => o.OrderId).Order(), events.OfType<OrderConfirmed>().Select(e => e.OrderId).Distinct().Order());
        Assert.Equal(50, events.OfType<SeatsHeld>().Select(e => e.Id).Distinct().Count());
        Assert.Equal(100, events.OfType<TicketIssued>().Select(e => e.TicketId).Distinct().Count());
    }
}
