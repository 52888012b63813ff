using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Orders;

[Collection(ClusterCollection.Name)]
public sealed class PaymentTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Paying_confirms_the_order_sells_its_seats_and_issues_tickets_that_map_back_to_it()
    {
        var sale = await cluster.CreateSale(new SaleSpec { Price = 30m });
        var fan = Actors.Fan();
        var held = await sale.Place(fan, 3, "floor", "E-5", "E-6", "E-7");

        var paid = await sale.Order(held.OrderId).Pay(fan);

        Assert.Equal(OrderStatus.Confirmed, paid.Status);
        Assert.Equal(90m, paid.Total);
        Assert.Equal(3, paid.Tickets.Count);
        Assert.Equal(3, paid.Tickets.Select(t => t.TicketId).Distinct().Count());
        for (var i = 0; i < paid.Tickets.Count; i++)
        {
            var ticket = paid.Tickets[i];
            Assert.Equal((held.OrderId, i), OrderIds.FromTicketId(ticket.TicketId));
            Assert.Equal(OrderIds.TicketId(held.OrderId, i), ticket.TicketId);
            Assert.Equal((held.OrderId, sale.EventId, "floor", fan.UserId), (ticket.OrderId, ticket.EventId, ticket.SectionId, ticket.OwnerId));
            Assert.Equal(TicketStatus.Sold.ToString(), ticket.Status);
        }
        Assert.Equal(["E-5", "E-6", "E-7"], paid.Tickets.Select(t => t.SeatId));

        var availability = await sale.Availability(includeSeats: true);
        Assert.Equal((0, 3), (availability.Held, availability.Sold));
        Assert.Equal(["E-5", "E-6", "E-7"], availability.Seats!.Where(s => s.Status == SeatStatus.Sold).Select(s => s.SeatId));
        Assert.Equal(OrderStatus.Confirmed, (await sale.Order(held.OrderId).Get(fan)).Status);
    }

    [Fact]
    public async Task Paying_twice_returns_the_same_confirmation_and_charges_once()
    {
        var sale = await cluster.CreateSale();
        var fan = Actors.Fan();
        var held = await sale.Place(fan, 2);
        var chargesBefore = cluster.TotalCharges();

        var first = await sale.Order(held.OrderId).Pay(fan);
        var chargesAfterFirst = cluster.TotalCharges();
        var again = await sale.Order(held.OrderId).Pay(fan);
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => sale.Order(held.OrderId).Pay(fan)));

        Assert.Equal(chargesBefore + 1, chargesAfterFirst);
        Assert.Equal(chargesAfterFirst, cluster.TotalCharges());
        Assert.All(concurrent.Append(again), order =>
        {
            Assert.Equal(OrderStatus.Confirmed, order.Status);
            Assert.Equal(first.Tickets.Select(t => t.TicketId), order.Tickets.Select(t => t.TicketId));
        });
        Assert.Equal(2, (await sale.Availability()).Sold);
    }

    [Fact]
    public async Task Paying_another_customers_order_is_forbidden_and_changes_nothing()
    {
        var sale = await cluster.CreateSale();
        var owner = Actors.Fan();
        var held = await sale.Place(owner, 2);
        var chargesBefore = cluster.TotalCharges();

        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => sale.Order(held.OrderId).Pay(Actors.Fan()));

        Assert.Equal(chargesBefore, cluster.TotalCharges());
        Assert.Equal(OrderStatus.Held, (await sale.Order(held.OrderId).Get(owner)).Status);
        Assert.Equal((2, 0), ((await sale.Availability()).Held, (await sale.Availability()).Sold));
    }

    [Fact]
    public async Task Paying_an_order_that_was_never_placed_is_not_found()
    {
        var fan = Actors.Fan();

        await DomainAssert.Refuses(DomainErrorCode.NotFound, () => TestSale.Order(cluster.GrainFactory, fan, "never-placed").Pay(fan));
    }

    [Fact]
    public async Task Paying_after_cancelling_is_an_invalid_state_and_the_seats_stay_free()
    {
        var sale = await cluster.CreateSale();
        var fan = Actors.Fan();
        var held = await sale.Place(fan, 2, "floor", "F-1", "F-2");
        await sale.Order(held.OrderId).Cancel(fan);
        var chargesBefore = cluster.TotalCharges();

        await DomainAssert.Refuses(DomainErrorCode.InvalidState, () => sale.Order(held.OrderId).Pay(fan));

        Assert.Equal(chargesBefore, cluster.TotalCharges());
        var availability = await sale.Availability();
        Assert.Equal((200, 0, 0), (availability.Available, availability.Held, availability.Sold));
    }

    [Fact]
    public async Task A_confirmed_order_cannot_be_cancelled()
    {
        var sale = await cluster.CreateSale();
        var fan = Actors.Fan();
        var paid = await sale.Buy(fan, 1);

        await DomainAssert.Refuses(DomainErrorCode.InvalidState, () => sale.Order(paid.OrderId).Cancel(fan));

        Assert.Equal(OrderStatus.Confirmed, (await sale.Order(paid.OrderId).Get(fan)).Status);
        Assert.Equal(1, (await sale.Availability()).Sold);
    }
}
