using TicketFlash.Integration.Tests.Infrastructure;
using TicketFlash.Integration.Tests.Storage;

namespace TicketFlash.Integration.Tests.Storm;

/// <summary>Issue 2 §8: the storm through 2 API nodes onto 2 silos, with and without a silo SIGKILLed in the middle.</summary>
public sealed class StormTests
{
    private const int Limit = 10;
    private static readonly string[] SectionIds = ["GA1", "GA2", "R1", "R2"];
    private static readonly object[] Sections =
    [
        new { id = "GA1", name = "Floor 1", capacity = 250 },
        new { id = "GA2", name = "Floor 2", capacity = 250 },
        new { id = "R1", name = "Stand 1", rows = 10, seatsPerRow = 25 },
        new { id = "R2", name = "Stand 2", rows = 10, seatsPerRow = 25 },
    ];

    [Fact]
    public async Task Storm_sells_exactly_every_seat_once_within_limits()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        await using var cluster = await ProcessCluster.StartAsync(db.ConnectionString, silos: 2, apis: 2);
        var (nodes, eventId, storm) = await Prepare(cluster);

        await storm.RunAsync(c => nodes[0].TokenAsync(c, ["fan"]));

        Assert.Empty(storm.Unexpected);
        var availability = await nodes[1].AvailabilityAsync(eventId);
        Assert.Equal(1_000, availability.Sold);
        Assert.Equal(0, availability.Held);
        Assert.Equal(1_000, storm.Confirmed.Sum(o => o.Quantity));
        await AssertInvariants(db, eventId, storm.Confirmed, availability);
    }

    [Fact]
    public async Task Storm_with_a_silo_killed_midway_never_oversells_nor_loses_a_confirmation()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        await using var cluster = await ProcessCluster.StartAsync(db.ConnectionString, silos: 2, apis: 2);
        var (nodes, eventId, storm) = await Prepare(cluster);

        var total = StormDriver.Requests().Count();
        var killer = Task.Run(async () =>
        {
            while (storm.Completed < total / 4) await Task.Delay(20);
            return cluster.KillSilo(1);
        });
        await storm.RunAsync(c => nodes[0].TokenAsync(c, ["fan"]));
        await killer;
        Assert.Equal(1, cluster.SiloCount);
        cluster.StartSilo(); // the cluster recovers with a fresh silo
        await cluster.WaitReadyAsync(TimeSpan.FromSeconds(60));

        Assert.Empty(storm.Unexpected);
        // Every confirmation a client saw is still a confirmation.
        var fanTokens = new Dictionary<string, string>();
        foreach (var order in storm.Confirmed)
        {
            if (!fanTokens.TryGetValue(order.CustomerId, out var token)) fanTokens[order.CustomerId] = token = await nodes[0].TokenAsync(order.CustomerId, ["fan"]);
            var now = await TicketFlashClient.ReadAsync<Order>(await nodes[1].SendAsync(HttpMethod.Get, $"/api/orders/{order.OrderId}", token));
            Assert.Equal("Confirmed", now.Status);
            Assert.Equal(order.Seats, now.Seats);
        }
        // Inventories converge on the confirmed orders (a confirmed order re-commits its sale on activation).
        Availability availability = null!;
        var confirmedInStorage = 0;
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(500))
        {
            availability = await nodes[0].AvailabilityAsync(eventId);
            confirmedInStorage = (await StorageTruth.OrdersAsync(db, eventId)).Where(o => o.Status == StorageTruth.ConfirmedStatus).Sum(o => o.Quantity);
            if (availability.Sold == confirmedInStorage) break;
        }
        Assert.Equal(confirmedInStorage, availability.Sold);
        Assert.True(availability.Sold <= 1_000);
        Assert.True(storm.Confirmed.Sum(o => o.Quantity) <= confirmedInStorage);
        await AssertInvariants(db, eventId, storm.Confirmed, availability);
    }

    private static async Task<(TicketFlashClient[] Nodes, Guid EventId, StormDriver Storm)> Prepare(ProcessCluster cluster)
    {
        var nodes = cluster.ApiUrls.Select(u => new TicketFlashClient(u)).ToArray();
        var organizer = await nodes[0].TokenAsync("storm-organizer", ["organizer"], "storm");
        var eventId = await nodes[0].CreateOpenEventAsync(organizer, Sections, SectionIds, perCustomerLimit: Limit);
        return (nodes, eventId, new StormDriver(nodes, eventId, SectionIds));
    }

    /// <summary>No seat in two confirmed orders, no customer above the limit, availability = storage truth.</summary>
    private static async Task AssertInvariants(TestDatabase db, Guid eventId, IReadOnlyCollection<Order> seenConfirmed, Availability availability)
    {
        var stored = await StorageTruth.OrdersAsync(db, eventId);
        var confirmed = stored.Where(o => o.Status == StorageTruth.ConfirmedStatus).ToList();

        var seats = confirmed.SelectMany(o => o.Seats.Select(s => $"{o.SectionId}/{s}")).ToList();
        Assert.Equal(seats.Count, seats.Distinct().Count());
        Assert.All(confirmed.GroupBy(o => o.CustomerId), g => Assert.True(g.Sum(o => o.Quantity) <= Limit, $"{g.Key} bought {g.Sum(o => o.Quantity)}"));
        Assert.All(seenConfirmed, o => Assert.Contains(confirmed, s => s.Seats.SequenceEqual(o.Seats) && s.CustomerId == o.CustomerId && s.Quantity == o.Quantity));

        var inventories = await StorageTruth.InventoriesAsync(db, eventId);
        Assert.Equal(4, inventories.Count);
        foreach (var section in availability.Sections)
        {
            var truth = confirmed.Where(o => o.SectionId == section.SectionId).Sum(o => o.Quantity);
            Assert.Equal(truth, section.Sold);
            Assert.Equal(truth, inventories.Single(i => i.SectionId == section.SectionId).Sold);
            Assert.True(section.Sold <= section.Capacity);
            Assert.Equal(section.Capacity, section.Available + section.Held + section.Sold);
        }
    }
}
