using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Tickets;

[Collection(ClusterCollection.Name)]
public sealed class TicketIssueTests(ClusterFixture cluster)
{
    private ITicketGrain Ticket(Guid ticketId) => cluster.GrainFactory.GetGrain<ITicketGrain>(ticketId);

    [Fact]
    public async Task A_ticket_materializes_from_its_confirmed_order()
    {
        var sale = await cluster.CreateSale();
        var fan = Actors.Fan();
        var paid = await sale.Buy(fan, 2, "floor", "G-3", "G-4");

        var tickets = await Task.WhenAll(paid.Tickets.Select(t => Ticket(t.TicketId).GetUnchecked()));

        Assert.Equal(["G-3", "G-4"], tickets.Select(t => t.SeatId));
        Assert.All(tickets, ticket =>
        {
            Assert.Equal((paid.OrderId, sale.EventId, "floor", fan.UserId), (ticket.OrderId, ticket.EventId, ticket.SectionId, ticket.OwnerId));
            Assert.Equal(TicketStatus.Active, ticket.Status);
            Assert.Equal(1, ticket.Serial);
            Assert.Equal([(TicketStatus.Reserved, TicketStatus.Sold), (TicketStatus.Sold, TicketStatus.Active)],
                ticket.History.Select(h => (h.From, h.To)));
        });
        Assert.Equal(paid.Tickets.Select(t => t.TicketId), tickets.Select(t => t.TicketId));
    }

    [Fact]
    public async Task A_materialized_ticket_answers_the_same_the_next_time()
    {
        var sale = await cluster.CreateSale(new SaleSpec { Sections = [Sections.GeneralAdmission("ga", 10)] });
        var paid = await sale.Buy(Actors.Fan(), 1);
        var ticketId = paid.Tickets[0].TicketId;

        var first = await Ticket(ticketId).GetUnchecked();
        var second = await Ticket(ticketId).GetUnchecked();

        Assert.Null(first.SeatId); // general admission
        Assert.Equal(first.History.Select(h => h.At), second.History.Select(h => h.At));
        Assert.Equal((first.OwnerId, first.Status, first.Serial), (second.OwnerId, second.Status, second.Serial));
    }

    [Fact]
    public async Task A_ticket_of_an_order_that_is_not_confirmed_is_not_found_until_it_is()
    {
        var sale = await cluster.CreateSale();
        var fan = Actors.Fan();
        var held = await sale.Place(fan, 1);
        var ticketId = OrderIds.TicketId(held.OrderId, 0);

        await DomainAssert.Refuses(DomainErrorCode.NotFound, () => Ticket(ticketId).GetUnchecked());

        await sale.Order(held.OrderId).Pay(fan);
        Assert.Equal(TicketStatus.Active, (await Ticket(ticketId).GetUnchecked()).Status);
    }

    [Fact]
    public async Task A_ticket_of_a_cancelled_order_is_not_found()
    {
        var sale = await cluster.CreateSale();
        var fan = Actors.Fan();
        var held = await sale.Place(fan, 1);
        await sale.Order(held.OrderId).Cancel(fan);

        await DomainAssert.Refuses(DomainErrorCode.NotFound, () => Ticket(OrderIds.TicketId(held.OrderId, 0)).GetUnchecked());
    }

    [Fact]
    public async Task A_ticket_number_beyond_the_order_quantity_is_not_found()
    {
        var sale = await cluster.CreateSale();
        var paid = await sale.Buy(Actors.Fan(), 2);

        await DomainAssert.Refuses(DomainErrorCode.NotFound, () => Ticket(OrderIds.TicketId(paid.OrderId, 2)).GetUnchecked());
    }

    [Fact]
    public async Task An_order_id_or_an_unrelated_id_is_not_a_ticket()
    {
        var sale = await cluster.CreateSale();
        var paid = await sale.Buy(Actors.Fan(), 1);

        await DomainAssert.Refuses(DomainErrorCode.NotFound, () => Ticket(paid.OrderId).GetUnchecked());
        await DomainAssert.Refuses(DomainErrorCode.NotFound, () => Ticket(OrderIds.TicketId(Guid.NewGuid(), 0)).GetUnchecked());
    }
}
