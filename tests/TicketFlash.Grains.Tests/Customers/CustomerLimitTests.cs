using TicketFlash.Abstractions.Common;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Customers;

[Collection(ClusterCollection.Name)]
public sealed class CustomerLimitTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Thirty_concurrent_orders_of_one_customer_with_limit_ten_let_exactly_ten_through()
    {
        var sale = await cluster.CreateSale(new SaleSpec { PerCustomerLimit = 10 });
        var fan = Actors.Fan();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(() =>
            Outcome.Of(() => sale.Order(fan, $"burst-{i}").Place(fan, sale.Request(1))))));

        Assert.All(outcomes, o => Assert.Null(o.Failure));
        Assert.Equal(10, outcomes.Count(o => o.Succeeded));
        Assert.Equal(20, outcomes.Count(o => o.Refusal?.Code == DomainErrorCode.LimitExceeded));
        Assert.Equal(10, (await sale.Availability()).Held); // refused orders gave their seats back
        var orderIds = await sale.Customer(fan).GetOrderIds();
        Assert.Equal(outcomes.Where(o => o.Succeeded).Select(o => o.Value!.OrderId).Order(), orderIds.Order());
    }

    [Fact]
    public async Task Quantities_add_up_against_the_limit()
    {
        var sale = await cluster.CreateSale(new SaleSpec { PerCustomerLimit = 10 });
        var fan = Actors.Fan();

        await sale.Place(fan, 6);
        await DomainAssert.Refuses(DomainErrorCode.LimitExceeded, () => sale.Place(fan, 5));
        await sale.Place(fan, 4);
        await DomainAssert.Refuses(DomainErrorCode.LimitExceeded, () => sale.Place(fan, 1));

        Assert.Equal(10, (await sale.Availability()).Held);
    }

    [Fact]
    public async Task A_single_order_above_the_limit_is_refused()
    {
        var sale = await cluster.CreateSale(new SaleSpec { PerCustomerLimit = 4 });

        await DomainAssert.Refuses(DomainErrorCode.LimitExceeded, () => sale.Place(Actors.Fan(), 5));
        Assert.Equal(0, (await sale.Availability()).Held);
    }

    [Fact]
    public async Task Paid_orders_keep_counting_and_cancelled_orders_stop_counting()
    {
        var sale = await cluster.CreateSale(new SaleSpec { PerCustomerLimit = 4 });
        var fan = Actors.Fan();
        await sale.Buy(fan, 2);
        var held = await sale.Place(fan, 2);
        await DomainAssert.Refuses(DomainErrorCode.LimitExceeded, () => sale.Place(fan, 1));

        await sale.Order(held.OrderId).Cancel(fan);

        await sale.Place(fan, 2);
        await DomainAssert.Refuses(DomainErrorCode.LimitExceeded, () => sale.Place(fan, 1));
    }

    [Fact]
    public async Task The_limit_is_per_event_and_per_customer()
    {
        var first = await cluster.CreateSale(new SaleSpec { PerCustomerLimit = 2 });
        var second = await cluster.CreateSale(new SaleSpec { PerCustomerLimit = 2 });
        var fan = Actors.Fan();
        await first.Place(fan, 2);

        await second.Place(fan, 2);
        await first.Place(Actors.Fan(), 2);
        await DomainAssert.Refuses(DomainErrorCode.LimitExceeded, () => first.Place(fan, 1));
    }

    [Fact]
    public async Task An_order_refused_for_lack_of_seats_does_not_use_up_the_limit()
    {
        var sale = await cluster.CreateSale(new SaleSpec { PerCustomerLimit = 3, Sections = [Sections.GeneralAdmission("ga", 2)] });
        var fan = Actors.Fan();

        await DomainAssert.Refuses(DomainErrorCode.SeatsUnavailable, () => sale.Place(fan, 3));

        Assert.Empty(await sale.Customer(fan).GetOrderIds());
        await sale.Place(fan, 2);
    }

    [Fact]
    public async Task The_customer_lists_every_order_it_placed()
    {
        var sale = await cluster.CreateSale();
        var fan = Actors.Fan();

        var a = await sale.Place(fan, 1);
        var b = await sale.Buy(fan, 2);
        var c = await sale.Place(fan, 1);
        await sale.Order(c.OrderId).Cancel(fan);

        Assert.Equal(new[] { a.OrderId, b.OrderId, c.OrderId }.Order(), (await sale.Customer(fan).GetOrderIds()).Order());
        Assert.Empty(await sale.Customer(Actors.Fan()).GetOrderIds());
    }
}
