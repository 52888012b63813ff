using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Streams;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Streams;

/// <summary>
/// The outbox gives at-least-once delivery across crashes. A grain that merely deactivates and comes back after a clean
/// publish must not publish the same occurrences again: consumers would have to remember every id forever.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class OutboxRedeliveryTests(ClusterFixture cluster)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_confirmed_order_does_not_republish_its_events_when_it_is_reactivated()
    {
        var sale = await cluster.CreateSale();
        await using var recorder = await DomainEventRecorder.Subscribe(cluster.Client, sale.EventId);
        var fan = Actors.Fan();
        var paid = await sale.Buy(fan, 2);
        await recorder.WaitFor(e => e.OfType<OrderConfirmed>().Any() && e.OfType<TicketIssued>().Count() >= 2, "the purchase's events");
        await Task.Delay(Settle);
        var before = recorder.OfType<OrderConfirmed>().Count;

        await cluster.Cluster.DeactivateAsync(sale.Order(paid.OrderId));
        await sale.Order(paid.OrderId).Get(fan); // reactivates
        await Task.Delay(Settle);

        Assert.Equal(1, before);
        Assert.True(recorder.OfType<OrderConfirmed>().Count == 1 && recorder.OfType<TicketIssued>().Count == 2,
            $"After reactivation: {recorder.OfType<OrderConfirmed>().Count} OrderConfirmed and {recorder.OfType<TicketIssued>().Count} TicketIssued " +
            $"(ids {string.Join(", ", recorder.OfType<OrderConfirmed>().Select(e => e.Id))}).");
    }

    [Fact]
    public async Task An_event_does_not_republish_its_status_change_when_it_is_reactivated()
    {
        var eventId = Guid.NewGuid();
        await using var recorder = await DomainEventRecorder.Subscribe(cluster.Client, eventId);
        var sale = await cluster.CreateSale(new SaleSpec { EventId = eventId });
        await recorder.WaitFor(e => e.OfType<EventOpened>().Any(), "EventOpened");
        await Task.Delay(Settle);

        await cluster.Cluster.DeactivateAsync(sale.Event);
        await sale.Event.Get(); // reactivates
        await Task.Delay(Settle);

        Assert.Single(recorder.OfType<EventOpened>());
    }

    [Fact]
    public async Task A_reactivated_order_still_answers_with_its_confirmation()
    {
        var sale = await cluster.CreateSale();
        var fan = Actors.Fan();
        var paid = await sale.Buy(fan, 2);

        await cluster.Cluster.DeactivateAsync(sale.Order(paid.OrderId));
        var again = await sale.Order(paid.OrderId).Pay(fan);

        Assert.Equal(paid.Tickets.Select(t => t.TicketId), again.Tickets.Select(t => t.TicketId));
        Assert.Equal(2, (await sale.Availability()).Sold);
    }
}
