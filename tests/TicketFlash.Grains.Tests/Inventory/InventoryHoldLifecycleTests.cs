using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Inventory;

/// <summary>The inventory grain's own contract, called directly: Hold, Commit and Release are idempotent by order id.</summary>
[Collection(ClusterCollection.Name)]
public sealed class InventoryHoldLifecycleTests(ClusterFixture cluster)
{
    private static readonly SaleSpec TwoRowsOfFive = new() { Sections = [Sections.Reserved("s", 2, 5)] };

    private static HoldRequest Hold(Guid orderId, int quantity, params string[] seats) =>
        new(orderId, "fan-direct", quantity, seats.Length > 0 ? seats : null, DateTimeOffset.UtcNow.AddMinutes(10));

    [Fact]
    public async Task Hold_is_idempotent_by_order_id_and_returns_the_same_seats()
    {
        var sale = await cluster.CreateSale(TwoRowsOfFive);
        var inventory = sale.Inventory();
        var orderId = Guid.NewGuid();

        var first = await inventory.Hold(Hold(orderId, 3));
        var again = await inventory.Hold(Hold(orderId, 3));
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => inventory.Hold(Hold(orderId, 3))));

        Assert.Equal(["A-1", "A-2", "A-3"], first.Seats);
        Assert.Equal(first.Seats, again.Seats);
        Assert.Equal(first.ExpiresAt, again.ExpiresAt);
        Assert.All(concurrent, hold => Assert.Equal(first.Seats, hold.Seats));
        Assert.Equal(3, (await inventory.GetAvailability(false)).Held);
    }

    [Fact]
    public async Task Commit_sells_the_held_seats_once_however_often_it_is_repeated()
    {
        var sale = await cluster.CreateSale(TwoRowsOfFive);
        var inventory = sale.Inventory();
        var orderId = Guid.NewGuid();
        await inventory.Hold(Hold(orderId, 2, "B-4", "B-5"));

        await inventory.Commit(orderId);
        await inventory.Commit(orderId);
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => inventory.Commit(orderId)));

        var availability = await inventory.GetAvailability(true);
        Assert.Equal((10, 8, 0, 2), (availability.Capacity, availability.Available, availability.Held, availability.Sold));
        Assert.Equal(["B-4", "B-5"], availability.Seats!.Where(s => s.Status == SeatStatus.Sold).Select(s => s.SeatId));
    }

    [Fact]
    public async Task Release_frees_the_held_seats_once_however_often_it_is_repeated()
    {
        var sale = await cluster.CreateSale(TwoRowsOfFive);
        var inventory = sale.Inventory();
        var kept = Guid.NewGuid();
        var released = Guid.NewGuid();
        await inventory.Hold(Hold(kept, 2, "A-1", "A-2"));
        await inventory.Hold(Hold(released, 2, "A-3", "A-4"));

        await inventory.Release(released);
        await inventory.Release(released);
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => inventory.Release(released)));

        var availability = await inventory.GetAvailability(true);
        Assert.Equal((10, 8, 2, 0), (availability.Capacity, availability.Available, availability.Held, availability.Sold));
        Assert.Equal(["A-1", "A-2"], availability.Seats!.Where(s => s.Status == SeatStatus.Reserved).Select(s => s.SeatId));
    }

    [Fact]
    public async Task Released_seats_can_be_held_by_another_order()
    {
        var sale = await cluster.CreateSale(TwoRowsOfFive);
        var inventory = sale.Inventory();
        var first = Guid.NewGuid();
        await inventory.Hold(Hold(first, 1, "A-5"));
        await DomainAssert.Refuses(DomainErrorCode.SeatsUnavailable, () => inventory.Hold(Hold(Guid.NewGuid(), 1, "A-5")));

        await inventory.Release(first);
        var second = await inventory.Hold(Hold(Guid.NewGuid(), 1, "A-5"));

        Assert.Equal(["A-5"], second.Seats);
    }

    [Fact]
    public async Task Release_never_returns_sold_seats()
    {
        var sale = await cluster.CreateSale(TwoRowsOfFive);
        var inventory = sale.Inventory();
        var orderId = Guid.NewGuid();
        await inventory.Hold(Hold(orderId, 2, "A-1", "A-2"));
        await inventory.Commit(orderId);

        await inventory.Release(orderId);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => inventory.Release(orderId)));

        var availability = await inventory.GetAvailability(true);
        Assert.Equal((10, 8, 0, 2), (availability.Capacity, availability.Available, availability.Held, availability.Sold));
        await DomainAssert.Refuses(DomainErrorCode.SeatsUnavailable, () => inventory.Hold(Hold(Guid.NewGuid(), 1, "A-1")));
    }

    [Fact]
    public async Task Commit_or_release_of_an_unknown_order_changes_nothing()
    {
        var sale = await cluster.CreateSale(TwoRowsOfFive);
        var inventory = sale.Inventory();
        await inventory.Hold(Hold(Guid.NewGuid(), 1));

        await inventory.Commit(Guid.NewGuid());
        await inventory.Release(Guid.NewGuid());

        var availability = await inventory.GetAvailability(false);
        Assert.Equal((10, 9, 1, 0), (availability.Capacity, availability.Available, availability.Held, availability.Sold));
    }

    [Fact]
    public async Task A_section_that_was_never_set_up_is_not_found()
    {
        var inventory = cluster.GrainFactory.GetGrain<IInventoryGrain>(InventoryKeys.For(Guid.NewGuid(), "nowhere"));

        await DomainAssert.Refuses(DomainErrorCode.NotFound, () => inventory.GetAvailability(false));
        await DomainAssert.Refuses(DomainErrorCode.NotFound, () => inventory.Hold(Hold(Guid.NewGuid(), 1)));
    }

    [Fact]
    public async Task A_hold_whose_seat_list_and_quantity_disagree_is_refused()
    {
        // The order validates this before it calls, but IInventoryGrain is a public contract: the inventory must not
        // count 10 places held while it marks only 1 seat, or its counts and its seat map part ways.
        var sale = await cluster.CreateSale(TwoRowsOfFive);
        var inventory = sale.Inventory();

        var mismatched = await Outcome.Of(() => inventory.Hold(Hold(Guid.NewGuid(), 10, "A-1")));
        var next = await Outcome.Of(() => inventory.Hold(Hold(Guid.NewGuid(), 1)));

        var availability = await inventory.GetAvailability(true);
        var reservedSeats = availability.Seats!.Count(s => s.Status == SeatStatus.Reserved);
        Assert.True(availability.Available >= 0 && availability.Held == reservedSeats,
            $"Counts diverged from the seat map: held {availability.Held}, available {availability.Available}, seats marked held {reservedSeats} " +
            $"(mismatched hold {(mismatched.Succeeded ? "accepted" : "refused")}, next hold {(next.Succeeded ? "accepted" : "refused")}).");
        Assert.Equal(DomainErrorCode.Validation, mismatched.Refusal?.Code);
    }
}
