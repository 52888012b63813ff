using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Orders;

/// <summary>Many concurrent buyers through the cluster client onto two silos: every seat is held and sold exactly once.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ConcurrentSaleTests(ClusterFixture cluster)
{
    private const int Rows = 20;
    private const int SeatsPerRow = 25;
    private const int Capacity = Rows * SeatsPerRow; // 500
    private const int Customers = 300;
    private const int AttemptsPerCustomer = 10;
    private const int Limit = 10;

    [Fact]
    public async Task Three_thousand_concurrent_orders_for_500_seats_hold_each_seat_once_and_paying_sells_exactly_500()
    {
        var sale = await cluster.CreateSale(new SaleSpec { Sections = [Sections.Reserved("arena", Rows, SeatsPerRow)], PerCustomerLimit = Limit });
        var fans = Enumerable.Range(0, Customers).Select(i => Actors.Fan($"storm{i}")).ToArray();
        var attempts = Enumerable.Range(0, Customers * AttemptsPerCustomer).Select(i => (Fan: fans[i % Customers], Key: $"storm-{i}")).ToArray();

        var outcomes = await Task.WhenAll(attempts.Select(a => Task.Run(() =>
            Outcome.Of(() => sale.Order(a.Fan, a.Key).Place(a.Fan, sale.Request(1))))));

        Assert.All(outcomes, o => Assert.Null(o.Failure));
        var held = outcomes.Where(o => o.Succeeded).Select(o => o.Value!).ToList();
        Assert.All(outcomes.Where(o => o.Refusal is not null), o => Assert.Equal(DomainErrorCode.SoldOut, o.Refusal!.Code));
        Assert.Equal(Capacity, held.Sum(o => o.Seats.Count));
        Assert.Equal(Capacity, held.Count);
        Assert.Equal(held.Count, held.Select(o => o.OrderId).Distinct().Count());
        var heldSeats = held.SelectMany(o => o.Seats).ToList();
        Assert.Equal(heldSeats.Count, heldSeats.Distinct().Count()); // no seat in two orders
        Assert.All(held.GroupBy(o => o.CustomerId), g => Assert.InRange(g.Sum(o => o.Quantity), 1, Limit));

        var afterHolds = await sale.Availability(includeSeats: true);
        Assert.Equal((Capacity, 0, Capacity, 0), (afterHolds.Capacity, afterHolds.Available, afterHolds.Held, afterHolds.Sold));
        Assert.Equal(afterHolds.Capacity - afterHolds.Held - afterHolds.Sold, afterHolds.Available);
        Assert.Equal(heldSeats.Order(StringComparer.Ordinal),
            afterHolds.Seats!.Where(s => s.Status == SeatStatus.Reserved).Select(s => s.SeatId).Order(StringComparer.Ordinal));

        var fanById = fans.ToDictionary(f => f.UserId);
        var paid = await Task.WhenAll(held.Select(o => Task.Run(() => sale.Order(o.OrderId).Pay(fanById[o.CustomerId]))));

        Assert.All(paid, o => Assert.Equal(OrderStatus.Confirmed, o.Status));
        var afterPay = await sale.Availability(includeSeats: true);
        Assert.Equal((Capacity, 0, 0, Capacity), (afterPay.Capacity, afterPay.Available, afterPay.Held, afterPay.Sold));
        Assert.All(afterPay.Seats!, s => Assert.Equal(SeatStatus.Sold, s.Status));
        var ticketSeats = paid.SelectMany(o => o.Tickets).Select(t => t.SeatId).ToList();
        Assert.Equal(Capacity, ticketSeats.Distinct().Count());
        await DomainAssert.Refuses(DomainErrorCode.SoldOut, () => sale.Place(Actors.Fan(), 1));
    }

    [Fact]
    public async Task Concurrent_orders_of_mixed_sizes_on_two_sections_never_oversell()
    {
        var sale = await cluster.CreateSale(new SaleSpec
        {
            Sections = [Sections.Reserved("east", 10, 10), Sections.GeneralAdmission("west", 100)],
            PerCustomerLimit = 40, // 10 attempts of at most 4 each: the limit never binds here
        });
        var fans = Enumerable.Range(0, 100).Select(i => Actors.Fan($"mixed{i}")).ToArray();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 1_000).Select(i => Task.Run(() =>
        {
            var fan = fans[i % fans.Length];
            return Outcome.Of(() => sale.Order(fan, $"mixed-{i}").Place(fan, sale.Request((i % 4) + 1)));
        })));

        Assert.All(outcomes, o => Assert.Null(o.Failure));
        Assert.All(outcomes.Where(o => o.Refusal is not null),
            o => Assert.Contains(o.Refusal!.Code, new[] { DomainErrorCode.SoldOut, DomainErrorCode.SeatsUnavailable }));
        var held = outcomes.Where(o => o.Succeeded).Select(o => o.Value!).ToList();
        foreach (var section in new[] { "east", "west" })
        {
            var availability = await sale.Availability(section);
            var heldHere = held.Where(o => o.SectionId == section).Sum(o => o.Quantity);
            Assert.Equal(heldHere, availability.Held);
            Assert.Equal(100 - heldHere, availability.Available);
            Assert.InRange(availability.Available, 0, 3); // only a remainder smaller than the largest request can be left
        }
        var eastSeats = held.Where(o => o.SectionId == "east").SelectMany(o => o.Seats).ToList();
        Assert.Equal(eastSeats.Count, eastSeats.Distinct().Count());
        Assert.Equal(held.Where(o => o.SectionId == "east").Sum(o => o.Quantity), eastSeats.Count);
    }
}
