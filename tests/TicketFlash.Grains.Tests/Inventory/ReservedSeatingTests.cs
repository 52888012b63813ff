using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Inventory;

[Collection(ClusterCollection.Name)]
public sealed class ReservedSeatingTests(ClusterFixture cluster)
{
    private static readonly SaleSpec ThreeRowsOfTen = new() { Sections = [Sections.Reserved("stalls", 3, 10)] };

    [Fact]
    public async Task Best_available_picks_adjacent_seats_in_the_front_most_row_that_fits()
    {
        var sale = await cluster.CreateSale(ThreeRowsOfTen);

        var first = await sale.Place(Actors.Fan(), 4);
        Assert.Equal(["A-1", "A-2", "A-3", "A-4"], first.Seats);

        // Leaves row A with free runs of 1 and 4 (A-7..A-10): five together only fit in row B.
        await sale.Place(Actors.Fan(), 1, "stalls", "A-6");
        var five = await sale.Place(Actors.Fan(), 5);
        Assert.Equal(["B-1", "B-2", "B-3", "B-4", "B-5"], five.Seats);

        var four = await sale.Place(Actors.Fan(), 4);
        Assert.Equal(["A-7", "A-8", "A-9", "A-10"], four.Seats);
    }

    [Fact]
    public async Task Best_available_falls_back_to_scattered_seats_when_no_row_has_enough_together()
    {
        var sale = await cluster.CreateSale(new SaleSpec { Sections = [Sections.Reserved("box", 2, 3)] });
        await sale.Place(Actors.Fan(), 1, "box", "A-2");
        await sale.Place(Actors.Fan(), 1, "box", "B-2");

        var scattered = await sale.Place(Actors.Fan(), 4);

        Assert.Equal(["A-1", "A-3", "B-1", "B-3"], scattered.Seats);
        var availability = await sale.Availability();
        Assert.Equal((6, 0, 6, 0), (availability.Capacity, availability.Available, availability.Held, availability.Sold));
    }

    [Fact]
    public async Task Explicit_seats_are_held_for_the_first_order_and_refused_to_a_second()
    {
        var sale = await cluster.CreateSale(); // 10 rows × 20 seats

        var first = await sale.Place(Actors.Fan(), 2, "floor", "A-12", "A-13");
        Assert.Equal(OrderStatus.Held, first.Status);
        Assert.Equal(["A-12", "A-13"], first.Seats);

        await DomainAssert.Refuses(DomainErrorCode.SeatsUnavailable, () => sale.Place(Actors.Fan(), 2, "floor", "A-13", "A-14"));

        var seats = (await sale.Availability(includeSeats: true)).Seats!.ToDictionary(s => s.SeatId, s => s.Status);
        Assert.Equal(SeatStatus.Reserved, seats["A-12"]);
        Assert.Equal(SeatStatus.Reserved, seats["A-13"]);
        Assert.Equal(SeatStatus.Available, seats["A-14"]); // the refused order held nothing
        Assert.Equal(2, (await sale.Availability()).Held);
    }

    [Theory]
    [InlineData("D-1")]   // row past the last (3 rows)
    [InlineData("A-11")]  // seat past the end of the row
    [InlineData("A-0")]
    [InlineData("a-1")]
    [InlineData("A1")]
    [InlineData("A-")]
    [InlineData("-1")]
    [InlineData("A--1")]
    public async Task A_seat_that_does_not_exist_is_a_validation_error(string seatId)
    {
        var sale = await cluster.CreateSale(ThreeRowsOfTen);

        await DomainAssert.Refuses(DomainErrorCode.Validation, () => sale.Place(Actors.Fan(), 1, "stalls", seatId));

        Assert.Equal(0, (await sale.Availability()).Held);
    }

    [Fact]
    public async Task The_same_seat_twice_in_one_request_is_a_validation_error()
    {
        var sale = await cluster.CreateSale(ThreeRowsOfTen);

        await DomainAssert.Refuses(DomainErrorCode.Validation, () => sale.Place(Actors.Fan(), 2, "stalls", "C-3", "C-3"));
    }

    [Fact]
    public async Task The_seat_map_shows_available_reserved_and_sold_seats()
    {
        var sale = await cluster.CreateSale(ThreeRowsOfTen);
        var fan = Actors.Fan();
        await sale.Buy(fan, 2, "stalls", "A-1", "A-2");
        await sale.Place(fan, 1, "stalls", "C-10");

        var availability = await sale.Availability(includeSeats: true);

        Assert.Equal(30, availability.Seats!.Count);
        var byStatus = availability.Seats.GroupBy(s => s.Status).ToDictionary(g => g.Key, g => g.Select(s => s.SeatId).ToList());
        Assert.Equal(["A-1", "A-2"], byStatus[SeatStatus.Sold]);
        Assert.Equal(["C-10"], byStatus[SeatStatus.Reserved]);
        Assert.Equal(27, byStatus[SeatStatus.Available].Count);
        Assert.Equal((30, 27, 1, 2), (availability.Capacity, availability.Available, availability.Held, availability.Sold));
        Assert.Null((await sale.Availability(includeSeats: false)).Seats);
    }

    [Fact]
    public async Task Every_seat_can_be_sold_and_then_the_section_is_sold_out()
    {
        var sale = await cluster.CreateSale(new SaleSpec { Sections = [Sections.Reserved("tiny", 1, 4)] });
        await sale.Buy(Actors.Fan(), 3);
        await sale.Place(Actors.Fan(), 1);

        await DomainAssert.Refuses(DomainErrorCode.SoldOut, () => sale.Place(Actors.Fan(), 1));
        var availability = await sale.Availability();
        Assert.Equal((4, 0, 1, 3), (availability.Capacity, availability.Available, availability.Held, availability.Sold));
    }
}
