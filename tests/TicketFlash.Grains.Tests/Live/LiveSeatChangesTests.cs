using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Live;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Live;

/// <summary>
/// Seat-level live stock through the real grains: what an inventory writes reaches a watcher as seat ids with their new
/// state, versioned, and a client that applies the pushes to a fetched seat list ends where the inventory is.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LiveSeatChangesTests(ClusterFixture cluster)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly SaleSpec ThreeRowsOfTen = new() { Sections = [Sections.Reserved("stalls", 3, 10)] };

    [Fact]
    public async Task Held_then_sold_seats_are_pushed_by_id_with_growing_versions()
    {
        var sale = await cluster.CreateSale(ThreeRowsOfTen);
        var watcher = new PushRecorder();
        var subscribed = await watcher.Subscribe(cluster.GrainFactory, sale.EventId);
        Assert.Empty(subscribed.SeatChanges); // a subscription gets counts and versions only
        var initial = subscribed.Sections.Single().Version;
        Assert.True(initial > 0, "The section was written at least once (Initialize), so its version is positive.");

        var fan = Actors.Fan();
        var held = await sale.Place(fan, 2, "stalls", "B-3", "B-4");
        var heldPush = await watcher.NextChange("stalls", 0, Deadline, "the hold");
        Assert.Equal(new Dictionary<string, SeatStatus> { ["B-3"] = SeatStatus.Reserved, ["B-4"] = SeatStatus.Reserved }, PushRecorder.Seats(heldPush));
        Assert.False(heldPush.Resync);
        Assert.True(heldPush.Version > initial && heldPush.FromVersion < heldPush.Version, $"{heldPush.FromVersion} → {heldPush.Version}, subscribed at {initial}");

        await sale.Order(held.OrderId).Pay(fan);
        var soldPush = await watcher.NextChange("stalls", watcher.Changes("stalls").IndexOf(heldPush) + 1, Deadline, "the sale");
        Assert.Equal(new Dictionary<string, SeatStatus> { ["B-3"] = SeatStatus.Sold, ["B-4"] = SeatStatus.Sold }, PushRecorder.Seats(soldPush));
        Assert.True(soldPush.Version > heldPush.Version && soldPush.FromVersion >= heldPush.Version, $"{heldPush.Version} then {soldPush.FromVersion} → {soldPush.Version}");

        // The snapshot that carried the sale has the counts and the version of the same write.
        var snapshot = watcher.Pushes.Single(p => p.SeatChanges.Contains(soldPush));
        var section = snapshot.Sections.Single();
        Assert.Equal((soldPush.Version, 28, 0, 2), (section.Version, section.Available, section.Held, section.Sold));
    }

    [Fact]
    public async Task Cancelled_and_expired_holds_are_pushed_as_available_again()
    {
        var sale = await cluster.CreateSale(ThreeRowsOfTen with { HoldDuration = TimeSpan.FromSeconds(3) });
        var watcher = new PushRecorder();
        await watcher.Subscribe(cluster.GrainFactory, sale.EventId);
        var fan = Actors.Fan();

        var cancelled = await sale.Place(fan, 2, "stalls", "A-1", "A-2");
        var expiring = await sale.Place(Actors.Fan(), 1, "stalls", "C-10");
        var seats = await ApplyUntil(watcher, s => s.GetValueOrDefault("A-1") == SeatStatus.Reserved && s.GetValueOrDefault("C-10") == SeatStatus.Reserved, "the holds");
        Assert.Equal(SeatStatus.Reserved, seats["A-2"]);

        await sale.Order(cancelled.OrderId).Cancel(fan);
        seats = await ApplyUntil(watcher, s => s["A-1"] == SeatStatus.Available, "the cancellation");
        Assert.Equal((SeatStatus.Available, SeatStatus.Reserved), (seats["A-2"], seats["C-10"]));

        // The expiry sweep (every ~2 s, 1 s grace) releases C-10 once the order says it was not paid.
        seats = await ApplyUntil(watcher, s => s["C-10"] == SeatStatus.Available, "the expiry", TimeSpan.FromSeconds(20));
        Assert.True(DateTimeOffset.UtcNow >= expiring.ExpiresAt);
        Assert.Equal(0, (await sale.Availability()).Held);
    }

    [Fact]
    public async Task A_client_applying_pushes_after_its_fetch_ends_with_the_inventory_seat_map()
    {
        var sale = await cluster.CreateSale(new SaleSpec { Sections = [Sections.Reserved("stalls", 4, 10)], PerCustomerLimit = 4 });
        var watcher = new PushRecorder();
        await watcher.Subscribe(cluster.GrainFactory, sale.EventId);      // the protocol: watch first,
        var fetched = await sale.Availability("stalls", includeSeats: true); // then fetch the seats
        var client = fetched.Seats!.ToDictionary(s => s.SeatId, s => s.Status);
        var version = fetched.Version;

        // Many concurrent changes: group commit batches them, reports and pushes coalesce them.
        await Task.WhenAll(Enumerable.Range(0, 12).Select(async n =>
        {
            var fan = Actors.Fan();
            var order = await sale.Place(fan, 1 + (n % 3));
            if (n % 3 == 0) await sale.Order(order.OrderId).Pay(fan);
            else if (n % 3 == 1) await sale.Order(order.OrderId).Cancel(fan);
        }));
        var truth = await sale.Availability("stalls", includeSeats: true);

        var deadline = DateTime.UtcNow + Deadline;
        while (!watcher.Changes("stalls").Any(c => c.Version >= truth.Version) && DateTime.UtcNow < deadline) await Task.Delay(50);
        foreach (var change in watcher.Changes("stalls"))
        {
            Assert.False(change.Resync || change.FromVersion > version && change.Version > version,
                $"A gap or resync in an uneventful run: {change.FromVersion} → {change.Version}, client at {version}");
            if (change.Version <= version) continue; // the fetched list already has it
            foreach (var seat in change.Seats) client[seat.SeatId] = seat.Status;
            version = change.Version;
        }

        Assert.Equal(truth.Version, version);
        Assert.Equal(truth.Seats!.ToDictionary(s => s.SeatId, s => s.Status), client);
    }

    [Fact]
    public async Task Up_to_the_bound_changed_seats_are_listed()
    {
        var (inventory, watcher) = await Arena();

        // The inventory's own contract (an order caps quantity far lower): one write changes exactly the bound.
        await inventory.Hold(new HoldRequest(Guid.NewGuid(), "bulk", SectionSeatChanges.MaxSeats, null, DateTimeOffset.UtcNow.AddMinutes(10)));

        var atBound = await watcher.NextChange("arena", 0, Deadline, "the bound");
        Assert.False(atBound.Resync);
        Assert.Equal(SectionSeatChanges.MaxSeats, atBound.Seats.Select(s => s.SeatId).Distinct().Count());
        Assert.All(atBound.Seats, s => Assert.Equal(SeatStatus.Reserved, s.Status));
    }

    [Fact]
    public async Task More_changed_seats_than_the_bound_are_pushed_as_one_resync_marker()
    {
        var (inventory, watcher) = await Arena();

        await inventory.Hold(new HoldRequest(Guid.NewGuid(), "bulk", SectionSeatChanges.MaxSeats + 1, null, DateTimeOffset.UtcNow.AddMinutes(10)));

        var marker = await watcher.NextChange("arena", 0, Deadline, "the bulk hold");
        Assert.True(marker.Resync);
        Assert.Empty(marker.Seats); // no huge delta: the client refetches ?seats=true once
        var pushed = watcher.Pushes.Single(p => p.SeatChanges.Contains(marker)).Sections.Single();
        Assert.Equal((marker.Version, SectionSeatChanges.MaxSeats + 1), (pushed.Version, pushed.Held)); // counts still travel

        // The marker is for that interval only: the next change is a delta again, continuing from the marker's version.
        await inventory.Hold(new HoldRequest(Guid.NewGuid(), "one", 1, ["AX-41"], DateTimeOffset.UtcNow.AddMinutes(10)));
        var next = await watcher.NextChange("arena", watcher.Changes("arena").IndexOf(marker) + 1, Deadline, "the single hold");
        Assert.False(next.Resync);
        Assert.Equal(new Dictionary<string, SeatStatus> { ["AX-41"] = SeatStatus.Reserved }, PushRecorder.Seats(next));
        Assert.True(next.FromVersion >= marker.Version && next.Version > marker.Version);
        Assert.Single(watcher.Changes("arena"), c => c.Resync);
    }

    /// <summary>A 2,050-seat reserved section (50 rows of 41: rows A … AX) and a watcher of its event.</summary>
    private async Task<(IInventoryGrain Inventory, PushRecorder Watcher)> Arena()
    {
        var sale = await cluster.CreateSale(new SaleSpec { Sections = [Sections.Reserved("arena", 50, 41)] });
        var watcher = new PushRecorder();
        await watcher.Subscribe(cluster.GrainFactory, sale.EventId);
        return (sale.Inventory("arena"), watcher);
    }

    /// <summary>Applies every seat change received so far to an all-available 3 × 10 map until <paramref name="done"/> holds.</summary>
    private static async Task<Dictionary<string, SeatStatus>> ApplyUntil(PushRecorder watcher, Func<Dictionary<string, SeatStatus>, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Deadline);
        while (true)
        {
            var seats = SeatIdsOf3x10().ToDictionary(id => id, _ => SeatStatus.Available);
            foreach (var seat in watcher.Changes("stalls").SelectMany(c => c.Seats)) seats[seat.SeatId] = seat.Status;
            if (done(seats)) return seats;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting for {what}; applied: {string.Join(", ", seats.Where(s => s.Value != SeatStatus.Available).Select(s => $"{s.Key}={s.Value}"))}");
            await Task.Delay(50);
        }
    }

    private static IEnumerable<string> SeatIdsOf3x10() => from row in "ABC" from n in Enumerable.Range(1, 10) select $"{row}-{n}";
}
