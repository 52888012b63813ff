using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Orders;

[Collection(ClusterCollection.Name)]
public sealed class IdempotencyTests(ClusterFixture cluster)
{
    [Fact]
    public void The_order_id_is_derived_from_customer_and_key_and_nothing_else()
    {
        Assert.Equal(OrderIds.Derive("alice", "k1"), OrderIds.Derive("alice", "k1"));
        Assert.NotEqual(OrderIds.Derive("alice", "k1"), OrderIds.Derive("alice", "k2"));
        Assert.NotEqual(OrderIds.Derive("alice", "k1"), OrderIds.Derive("bob", "k1"));
        Assert.Null(OrderIds.FromTicketId(OrderIds.Derive("alice", "k1"))); // an order id is never a ticket id
    }

    [Fact]
    public async Task The_same_key_placed_twenty_times_concurrently_makes_one_order_and_one_hold()
    {
        var sale = await cluster.CreateSale();
        var fan = Actors.Fan();
        var request = sale.Request(3);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => TestSale.Order(cluster.GrainFactory, fan, "retry-storm").Place(fan, request))));

        var orderId = OrderIds.Derive(fan.UserId, "retry-storm");
        Assert.All(attempts, order => Assert.Equal(orderId, order.OrderId));
        Assert.All(attempts, order => Assert.Equal(attempts[0].Seats, order.Seats));
        Assert.All(attempts, order => Assert.Equal(OrderStatus.Held, order.Status));
        Assert.Equal(3, (await sale.Availability()).Held);
        Assert.Equal([orderId], await sale.Customer(fan).GetOrderIds());
    }

    [Fact]
    public async Task A_retry_after_payment_returns_the_confirmed_order()
    {
        var sale = await cluster.CreateSale();
        var fan = Actors.Fan();
        var order = sale.Order(fan, "pay-then-retry");
        await order.Place(fan, sale.Request(2));
        await order.Pay(fan);

        var retried = await order.Place(fan, sale.Request(2));

        Assert.Equal(OrderStatus.Confirmed, retried.Status);
        Assert.Equal(2, retried.Tickets.Count);
        var availability = await sale.Availability();
        Assert.Equal((2, 0), (availability.Sold, availability.Held));
    }

    [Fact]
    public async Task The_same_key_with_a_different_request_is_refused_as_reused()
    {
        var sale = await cluster.CreateSale();
        var fan = Actors.Fan();
        var order = sale.Order(fan, "one-key");
        var first = await order.Place(fan, sale.Request(2));

        await DomainAssert.Refuses(DomainErrorCode.IdempotencyKeyReused, () => order.Place(fan, sale.Request(3)));
        await DomainAssert.Refuses(DomainErrorCode.IdempotencyKeyReused, () => order.Place(fan, sale.Request(2, "floor", "J-1", "J-2")));

        Assert.Equal(first.Seats, (await order.Get(fan)).Seats);
        Assert.Equal(2, (await sale.Availability()).Held);
    }

    [Fact]
    public async Task Different_keys_of_one_customer_are_different_orders()
    {
        var sale = await cluster.CreateSale();
        var fan = Actors.Fan();

        var first = await sale.Order(fan, "a").Place(fan, sale.Request(1));
        var second = await sale.Order(fan, "b").Place(fan, sale.Request(1));

        Assert.NotEqual(first.OrderId, second.OrderId);
        Assert.NotEqual(first.Seats, second.Seats);
        Assert.Equal(2, (await sale.Availability()).Held);
    }
}
