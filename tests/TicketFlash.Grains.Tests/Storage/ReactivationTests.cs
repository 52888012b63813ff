using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Storage;

/// <summary>A grain that is deactivated comes back from storage with everything it acknowledged.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReactivationTests(ClusterFixture cluster)
{
    [Fact]
    public async Task An_inventory_reloads_its_holds_sales_and_seat_map()
    {
        var sale = await cluster.CreateSale(new SaleSpec { Sections = [Sections.Reserved("s", 2, 5)] });
        var fan = Actors.Fan();
        var paid = await sale.Buy(fan, 2, "s", "A-1", "A-2");
        var held = await sale.Place(fan, 1, "s", "B-5");
        var before = await sale.Availability(includeSeats: true);

        await cluster.Cluster.DeactivateAsync(sale.Inventory());
        var after = await sale.Availability(includeSeats: true);

        Assert.Equal((before.Capacity, before.Available, before.Held, before.Sold), (after.Capacity, after.Available, after.Held, after.Sold));
        Assert.Equal((10, 7, 1, 2), (after.Capacity, after.Available, after.Held, after.Sold));
        Assert.Equal(before.Seats!.Select(s => (s.SeatId, s.Status)), after.Seats!.Select(s => (s.SeatId, s.Status)));
        await DomainAssert.Refuses(DomainErrorCode.SeatsUnavailable, () => sale.Place(Actors.Fan(), 1, "s", "B-5"));
        await sale.Order(held.OrderId).Pay(fan);
        Assert.Equal(3, (await sale.Availability()).Sold);
        Assert.Equal(OrderStatus.Confirmed, (await sale.Order(paid.OrderId).Get(fan)).Status);
    }

    [Fact]
    public async Task A_customer_reloads_the_orders_that_count_against_its_limit()
    {
        var sale = await cluster.CreateSale(new SaleSpec { PerCustomerLimit = 3 });
        var fan = Actors.Fan();
        var first = await sale.Place(fan, 2);

        await cluster.Cluster.DeactivateAsync(sale.Customer(fan));

        await DomainAssert.Refuses(DomainErrorCode.LimitExceeded, () => sale.Place(fan, 2));
        Assert.Equal([first.OrderId], await sale.Customer(fan).GetOrderIds());
    }

    [Fact]
    public async Task A_held_order_reloads_and_can_still_be_paid_once()
    {
        var sale = await cluster.CreateSale();
        var fan = Actors.Fan();
        var held = await sale.Place(fan, 2);
        var charges = cluster.TotalCharges();

        await cluster.Cluster.DeactivateAsync(sale.Order(held.OrderId));
        var paid = await sale.Order(held.OrderId).Pay(fan);
        await cluster.Cluster.DeactivateAsync(sale.Order(held.OrderId));
        var again = await sale.Order(held.OrderId).Pay(fan);

        Assert.Equal(OrderStatus.Confirmed, paid.Status);
        Assert.Equal(held.Seats, paid.Seats);
        Assert.Equal(paid.Tickets.Select(t => t.TicketId), again.Tickets.Select(t => t.TicketId));
        Assert.Equal(charges + 1, cluster.TotalCharges());
        var availability = await sale.Availability(includeSeats: true);
        Assert.Equal((0, 2), (availability.Held, availability.Sold));
        Assert.Equal(held.Seats.Order(), availability.Seats!.Where(s => s.Status == SeatStatus.Sold).Select(s => s.SeatId).Order());
    }
}
