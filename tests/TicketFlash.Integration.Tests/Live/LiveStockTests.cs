using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using TicketFlash.Integration.Tests.Api;
using TicketFlash.Integration.Tests.Infrastructure;
using Xunit.Abstractions;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Live;

/// <summary>
/// Live stock without a backplane: a SignalR client on API node B sees the stock change caused by a purchase made
/// through API node A (on a 2-silo cluster), with the same counts as GET availability.
/// </summary>
[Collection(TwoNodeCollection.Name)]
public sealed class LiveStockTests(TwoNodeCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan PushDeadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Client_on_node_B_receives_availabilityChanged_for_a_purchase_made_through_node_A()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Phase(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s  {what}");
        var (nodeA, nodeB) = (cluster.Clients[0], cluster.Clients[1]);
        var organizer = await nodeA.TokenAsync("live-org", ["organizer"], "live");
        var fan = await nodeA.TokenAsync(Unique("live-fan"), ["fan"]);
        var venue = await nodeA.CreateVenueAsync(organizer, new { id = "GA", name = "Floor", capacity = 30 }, new { id = "R", name = "Rows", rows = 2, seatsPerRow = 5 });
        var eventId = await nodeA.CreateEventAsync(organizer, venue, ["GA", "R"]);

        Phase("event created");
        var pushes = new ConcurrentQueue<JsonElement>();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(cluster.Cluster.ApiUrls[1], "/hubs/live")) // anonymous: stock is public
            .Build();
        hub.On<JsonElement>("availabilityChanged", payload => pushes.Enqueue(payload.Clone()));
        await hub.StartAsync();
        var initial = await hub.InvokeAsync<JsonElement>("WatchEvent", eventId);
        Assert.Equal(eventId, initial.GetProperty("eventId").GetGuid());
        Assert.Equal(Counts(await nodeB.AvailabilityAsync(eventId)), Counts(initial));

        Phase("watching through node B");
        // Hold through node A → node B's client sees held.
        var order = await nodeA.HoldAsync(fan, eventId, 3, "R");
        var held = await nodeA.AvailabilityAsync(eventId);
        Assert.Equal((3, 0), (held.Held, held.Sold));
        var heldPush = await WaitForPushAsync(pushes, Counts(held), "the hold");
        AssertPayloadShape(heldPush, eventId);
        Phase("hold pushed");

        // Pay through node A → node B's client sees sold.
        (await nodeA.SendAsync(HttpMethod.Post, $"/api/orders/{order.OrderId}/pay", fan)).EnsureSuccessStatusCode();
        var sold = await nodeA.AvailabilityAsync(eventId);
        Assert.Equal((0, 3), (sold.Held, sold.Sold));
        var soldPush = await WaitForPushAsync(pushes, Counts(sold), "the sale");
        Assert.True(soldPush.GetProperty("at").GetDateTimeOffset() >= heldPush.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(Counts(sold), Counts(await nodeB.AvailabilityAsync(eventId)));
        Phase("sale pushed");

        // Another event's changes are not pushed to this watcher.
        var otherEvent = await nodeA.CreateEventAsync(organizer, venue, ["GA"]);
        await nodeA.HoldAsync(fan, otherEvent, 1, "GA");
        await Task.Delay(1500);
        Assert.All(pushes, p => Assert.Equal(eventId, p.GetProperty("eventId").GetGuid()));
    }

    [Fact]
    public async Task A_watcher_receives_the_seat_ids_another_fan_just_bought_within_two_seconds()
    {
        var (nodeA, nodeB) = (cluster.Clients[0], cluster.Clients[1]);
        var organizer = await nodeA.TokenAsync("live-org", ["organizer"], "live");
        var venue = await nodeA.CreateVenueAsync(organizer, new { id = "GA", name = "Floor", capacity = 30 }, new { id = "R", name = "Rows", rows = 4, seatsPerRow = 8 });
        var eventId = await nodeA.CreateEventAsync(organizer, venue, ["GA", "R"]);

        // The client protocol: watch first, then fetch the seats, then apply pushes newer than the fetched version.
        var pushes = new ConcurrentQueue<(JsonElement Payload, DateTime At)>();
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(cluster.Cluster.ApiUrls[1], "/hubs/live")).Build();
        hub.On<JsonElement>("availabilityChanged", payload => pushes.Enqueue((payload.Clone(), DateTime.UtcNow)));
        await hub.StartAsync();
        await hub.InvokeAsync<JsonElement>("WatchEvent", eventId);
        var fetched = await GetJsonAsync(nodeB, $"/api/events/{eventId}/availability?seats=true");
        var rows = fetched.GetProperty("sections").EnumerateArray().Single(s => s.GetProperty("sectionId").GetString() == "R");
        var version = rows.GetProperty("version").GetInt64();
        var seats = rows.GetProperty("seats").EnumerateArray().ToDictionary(s => s.GetProperty("seatId").GetString()!, s => s.GetProperty("status").GetString()!);
        Assert.Equal(32, seats.Count);
        Assert.All(seats.Values, status => Assert.Equal("Available", status));

        var fan = await nodeA.TokenAsync(Unique("live-buyer"), ["fan"]);
        var order = await nodeA.HoldAsync(fan, eventId, 3, "R", ["C-4", "C-5", "C-6"]);
        (await nodeA.SendAsync(HttpMethod.Post, $"/api/orders/{order.OrderId}/pay", fan)).EnsureSuccessStatusCode();
        var paidAt = DateTime.UtcNow;

        var deadline = paidAt + TimeSpan.FromSeconds(2);
        var applied = 0;
        while (true)
        {
            foreach (var (payload, at) in pushes.Skip(applied).ToList())
            {
                applied++;
                AssertCamelCase(payload);
                foreach (var change in payload.GetProperty("seatChanges").EnumerateArray().Where(c => c.GetProperty("sectionId").GetString() == "R"))
                {
                    Assert.False(change.GetProperty("resync").GetBoolean(), payload.GetRawText());
                    if (change.GetProperty("version").GetInt64() <= version) continue; // already in the fetched list
                    Assert.True(change.GetProperty("fromVersion").GetInt64() <= version, $"a gap after version {version}: {payload.GetRawText()}");
                    foreach (var seat in change.GetProperty("seats").EnumerateArray()) seats[seat.GetProperty("seatId").GetString()!] = seat.GetProperty("status").GetString()!;
                    version = change.GetProperty("version").GetInt64();
                }
                if (new[] { "C-4", "C-5", "C-6" }.All(id => seats[id] == "Sold"))
                {
                    output.WriteLine($"sold seats pushed {(at - paidAt).TotalMilliseconds:F0} ms after the pay answered: {payload.GetRawText()}");
                    Assert.Equal(3, seats.Values.Count(s => s != "Available")); // nothing else moved
                    var section = payload.GetProperty("sections").EnumerateArray().Single(s => s.GetProperty("sectionId").GetString() == "R");
                    Assert.Equal((version, 3, 0), (section.GetProperty("version").GetInt64(), section.GetProperty("sold").GetInt32(), section.GetProperty("held").GetInt32()));
                    Assert.True(at <= deadline, $"pushed {(at - paidAt).TotalMilliseconds:F0} ms after the purchase");
                    return;
                }
            }
            if (DateTime.UtcNow > deadline + TimeSpan.FromSeconds(1))
                Assert.Fail($"The bought seats were not pushed within 2 s; applied: {string.Join(", ", seats.Where(s => s.Value != "Available"))}\n{string.Join('\n', pushes.Select(p => p.Payload.GetRawText()))}");
            await Task.Delay(20);
        }
    }

    private static async Task<JsonElement> GetJsonAsync(TicketFlashClient client, string path)
    {
        var response = await client.SendAsync(HttpMethod.Get, path, null);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static void AssertCamelCase(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array) foreach (var item in element.EnumerateArray()) AssertCamelCase(item);
        if (element.ValueKind != JsonValueKind.Object) return;
        foreach (var property in element.EnumerateObject())
        {
            Assert.True(char.IsLower(property.Name[0]), $"'{property.Name}' is not camelCase");
            AssertCamelCase(property.Value);
        }
    }

    /// <summary>Per section: capacity/available/held/sold, in section order (the comparable part of a snapshot).</summary>
    private static string Counts(Availability availability) =>
        string.Join(" | ", availability.Sections.OrderBy(s => s.SectionId, StringComparer.Ordinal)
            .Select(s => $"{s.SectionId}:{s.Capacity}/{s.Available}/{s.Held}/{s.Sold}"));

    private static string Counts(JsonElement snapshot) =>
        string.Join(" | ", snapshot.GetProperty("sections").EnumerateArray()
            .Select(s => (Id: s.GetProperty("sectionId").GetString()!, s))
            .OrderBy(x => x.Id, StringComparer.Ordinal)
            .Select(x => $"{x.Id}:{x.s.GetProperty("capacity").GetInt32()}/{x.s.GetProperty("available").GetInt32()}/{x.s.GetProperty("held").GetInt32()}/{x.s.GetProperty("sold").GetInt32()}"));

    private static async Task<JsonElement> WaitForPushAsync(ConcurrentQueue<JsonElement> pushes, string expected, string what)
    {
        var deadline = DateTime.UtcNow + PushDeadline;
        while (DateTime.UtcNow < deadline)
        {
            var match = pushes.Where(p => Counts(p) == expected).ToList();
            if (match.Count > 0) return match[^1];
            await Task.Delay(100);
        }
        Assert.Fail($"No availabilityChanged matching GET availability after {what} within {PushDeadline}.\nexpected: {expected}\nreceived:\n{string.Join('\n', pushes.Select(p => p.GetRawText()))}");
        return default;
    }

    private static void AssertPayloadShape(JsonElement push, Guid eventId)
    {
        Assert.Equal(eventId, push.GetProperty("eventId").GetGuid());
        Assert.True(push.GetProperty("at").TryGetDateTimeOffset(out _), push.GetRawText());
        foreach (var section in push.GetProperty("sections").EnumerateArray())
        {
            foreach (var field in new[] { "sectionId", "capacity", "available", "held", "sold" })
                Assert.True(section.TryGetProperty(field, out _), $"section lacks '{field}': {push.GetRawText()}");
        }
    }
}
