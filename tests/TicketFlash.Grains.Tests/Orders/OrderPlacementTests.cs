using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Orders;

[Collection(ClusterCollection.Name)]
public sealed class OrderPlacementTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_placed_order_is_held_with_its_seats_total_and_expiry()
    {
        var sale = await cluster.CreateSale(new SaleSpec { Price = 12.5m, Currency = "USD", HoldDuration = TimeSpan.FromMinutes(7) });
        var fan = Actors.Fan();
        var key = "checkout-1";
        var before = DateTimeOffset.UtcNow;

        var order = await sale.Order(fan, key).Place(fan, sale.Request(3));

        Assert.Equal(OrderIds.Derive(fan.UserId, key), order.OrderId);
        Assert.Equal(OrderStatus.Held, order.Status);
        Assert.Equal((fan.UserId, sale.EventId, "floor", 3), (order.CustomerId, order.EventId, order.SectionId, order.Quantity));
        Assert.Equal(3, order.Seats.Count);
        Assert.Equal((37.5m, "USD"), (order.Total, order.Currency));
        Assert.InRange(order.ExpiresAt, before + TimeSpan.FromMinutes(7) - TimeSpan.FromSeconds(5), DateTimeOffset.UtcNow + TimeSpan.FromMinutes(7));
        Assert.Empty(order.Tickets);
        var read = await sale.Order(order.OrderId).Get(fan);
        Assert.Equal((order.Status, order.Total, order.ExpiresAt, order.CreatedAt), (read.Status, read.Total, read.ExpiresAt, read.CreatedAt));
        Assert.Equal(order.Seats, read.Seats);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(OrderLimits.MaxQuantity + 1)]
    public async Task A_quantity_outside_one_to_the_maximum_is_a_validation_error(int quantity)
    {
        var sale = await cluster.CreateSale(new SaleSpec { PerCustomerLimit = 100 });

        await DomainAssert.Refuses(DomainErrorCode.Validation, () => sale.Place(Actors.Fan(), quantity));
        Assert.Equal(0, (await sale.Availability()).Held);
    }

    [Fact]
    public async Task Seats_that_do_not_match_the_quantity_are_a_validation_error()
    {
        var sale = await cluster.CreateSale();
        var fan = Actors.Fan();

        await DomainAssert.Refuses(DomainErrorCode.Validation,
            () => sale.Order(fan, "k").Place(fan, new PlaceOrderCommand(sale.EventId, 3, "floor", ["A-1", "A-2"])));
        await DomainAssert.Refuses(DomainErrorCode.Validation,
            () => sale.Order(fan, "k2").Place(fan, new PlaceOrderCommand(sale.EventId, 1, null, ["A-1"])));
    }

    [Fact]
    public async Task A_section_the_event_does_not_sell_is_a_validation_error()
    {
        var sale = await cluster.CreateSale();

        await DomainAssert.Refuses(DomainErrorCode.Validation, () => sale.Place(Actors.Fan(), 1, "balcony"));
    }

    [Fact]
    public async Task An_order_for_an_unknown_event_is_not_found()
    {
        var fan = Actors.Fan();
        var order = TestSale.Order(cluster.GrainFactory, fan, "k");

        await DomainAssert.Refuses(DomainErrorCode.NotFound, () => order.Place(fan, new PlaceOrderCommand(Guid.NewGuid(), 1, null, null)));
        await DomainAssert.Refuses(DomainErrorCode.NotFound, () => order.Get(fan));
    }

    [Fact]
    public async Task Another_customer_cannot_read_or_take_over_an_order_id()
    {
        var sale = await cluster.CreateSale();
        var owner = Actors.Fan();
        var intruder = Actors.Fan();
        var order = sale.Order(owner, "mine");
        await order.Place(owner, sale.Request(2));

        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => order.Get(intruder));
        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => order.Place(intruder, sale.Request(2)));
        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => order.Cancel(intruder));
        Assert.Equal(owner.UserId, (await order.Get(Actors.Admin())).CustomerId);
    }

    [Fact]
    public async Task Cancelling_a_held_order_releases_its_seats_and_is_idempotent()
    {
        var sale = await cluster.CreateSale();
        var fan = Actors.Fan();
        var held = await sale.Place(fan, 2, "floor", "D-1", "D-2");

        var cancelled = await sale.Order(held.OrderId).Cancel(fan);
        var again = await sale.Order(held.OrderId).Cancel(fan);

        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        Assert.Equal(OrderStatus.Cancelled, again.Status);
        Assert.Equal(0, (await sale.Availability()).Held);
        var retaken = await sale.Place(Actors.Fan(), 2, "floor", "D-1", "D-2");
        Assert.Equal(["D-1", "D-2"], retaken.Seats);
    }
}
