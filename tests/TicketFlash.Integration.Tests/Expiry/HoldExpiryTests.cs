using System.Net;
using System.Text.Json.Nodes;
using TicketFlash.Integration.Tests.Api;
using TicketFlash.Integration.Tests.Infrastructure;
using TicketFlash.Integration.Tests.Storage;
using Xunit.Abstractions;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Expiry;

/// <summary>Holds expire and release their seats: by the inventory's timer while it is active, and by its reminder after a crash.</summary>
[Collection(OneNodeCollection.Name)]
public sealed class HoldExpiryTests(OneNodeCluster cluster)
{
    [Fact]
    public async Task Timer_path_an_unpaid_hold_expires_releases_its_seats_and_frees_the_customers_limit()
    {
        const int limit = 2;
        var api = cluster.Client;
        var organizer = await api.TokenAsync("expiry-org", ["organizer"], "expiry");
        var fan = await api.TokenAsync(Unique("expiry-fan"), ["fan"]);
        var venue = await api.CreateVenueAsync(organizer, new { id = "R", name = "Rows", rows = 1, seatsPerRow = 3 }, new { id = "GA", name = "Floor", capacity = 5 });
        var eventId = await api.CreateEventAsync(organizer, venue, ["R", "GA"], perCustomerLimit: limit, holdMinutes: 0.05);

        var order = await api.HoldAsync(fan, eventId, limit, "R");
        // At the limit: one more ticket is refused while the hold lives (it is swept ≥ 1 s after its 3 s expiry).
        var over = await api.SendAsync(HttpMethod.Post, "/api/orders", fan, new { eventId, quantity = 1, sectionId = "GA" }, Guid.NewGuid().ToString("N"));
        await AssertProblemAsync(over, 422, "limit-exceeded");
        Assert.Equal(["A-1", "A-2"], order.Seats.Order());

        var released = await PollAsync(() => api.AvailabilityAsync(eventId),
            a => a.Held == 0 && a.Sections.All(s => s.Available == s.Capacity), TimeSpan.FromSeconds(30), "held back to 0, available back to capacity");
        Assert.Equal(0, released.Sold);
        var seatMap = JsonNode.Parse(await api.Http.GetStringAsync($"/api/events/{eventId}/availability?seats=true"))!["sections"]!.AsArray()
            .Single(s => s!["sectionId"]!.GetValue<string>() == "R")!["seats"]!.AsArray();
        Assert.All(seatMap, s => Assert.Equal("Available", s!["status"]!.GetValue<string>()));
        Assert.Equal("Expired", (await api.GetOrderAsync(fan, order.OrderId)).Status);

        // The limit is free again: the same customer buys `limit` tickets, the very seats that expired.
        var again = await api.HoldAsync(fan, eventId, limit, "R", ["A-1", "A-2"]);
        var paid = await api.SendAsync(HttpMethod.Post, $"/api/orders/{again.OrderId}/pay", fan);
        Assert.True(paid.StatusCode == HttpStatusCode.OK, await DescribeAsync(paid));
        var after = await api.AvailabilityAsync(eventId);
        Assert.Equal((limit, 0), (after.Sold, after.Held));
        var statuses = (await api.MyOrdersAsync(fan)).ToDictionary(o => o.OrderId, o => o.Status);
        Assert.Equal(new Dictionary<Guid, string> { [order.OrderId] = "Expired", [again.OrderId] = "Confirmed" }, statuses);
    }
}

/// <summary>The reminder path: its own cluster (a 5-second expiry reminder), whose silo is SIGKILLed.</summary>
public sealed class HoldExpiryAfterCrashTests(ITestOutputHelper output)
{
    /// <summary>
    /// The inventory is activated on silo 0 (the only silo when the event is created); a second silo joins; a 3-second
    /// hold is placed and silo 0 is SIGKILLed at once, before its timer can sweep. Nothing calls the inventory after
    /// that: only its durable reminder (every 5 s here) can bring it back, on the surviving silo, to expire the hold.
    /// The database is read directly, so the test itself never activates the inventory.
    /// </summary>
    /// <remarks>
    /// The replacement silo is started before the kill, not after: <see cref="ProcessCluster.StartSilo"/> gives every
    /// silo new ports, so a silo started after the only silo died is not recognised as a newer generation of it and
    /// cannot join until the dead entry's IAmAlive is stale (3 × the 30 s IAmAliveTablePublishTimeout, ≈ 90 s).
    /// </remarks>
    [Fact]
    public async Task Reminder_path_a_hold_left_on_a_SIGKILLed_silo_expires_without_any_request_touching_the_inventory()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Phase(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s  {what}");
        await using var db = await MigratedDatabase.CreateAsync();
        await using var processes = await ProcessCluster.StartAsync(db.ConnectionString, silos: 1, apis: 1,
            new() { ["TF_Inventory__ExpiryReminderSeconds"] = "5" });
        Phase("cluster ready");
        using var api = new TicketFlashClient(processes.ApiUrls[0]);
        var organizer = await api.TokenAsync("crash-org", ["organizer"], "crash");
        var fan = await api.TokenAsync("crash-fan", ["fan"]);
        var venue = await api.CreateVenueAsync(organizer, new { id = "GA", name = "Floor", capacity = 10 });
        var eventId = await api.CreateEventAsync(organizer, venue, ["GA"], holdMinutes: 0.05); // activates the inventory on silo 0

        Phase("event created");
        processes.StartSilo();
        await PollAsync(() => db.ScalarAsync<long>("SELECT count(*) FROM orleans_membership WHERE status = 3"), n => n == 2,
            TimeSpan.FromSeconds(60), "the second silo is Active");
        Phase("second silo active");

        var order = await api.HoldAsync(fan, eventId, 2, "GA");
        processes.KillSilo(0); // well before the 3-second hold can be swept by the inventory's timer (expiry + 1 s grace)
        var killedAt = DateTime.UtcNow;
        Phase("hold placed, silo 0 killed; stored grain types: " +
            await db.ScalarAsync<string>("SELECT string_agg(DISTINCT grain_type_string, ', ') FROM orleans_storage"));

        // What the crash left in the database: the hold, the held order, and the reminder that must bring the inventory back.
        var left = await InventoryAsync(db);
        Assert.True(left["holds"]!.AsObject().Count == 1, $"the hold was already swept before the crash, so this test proves nothing: {left.ToJsonString()}");
        Assert.Equal(1, (await OrderAsync(db))["status"]!.GetValue<int>());
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM orleans_reminders WHERE reminder_name = 'hold-expiry'"));

        var deadline = killedAt + TimeSpan.FromSeconds(90);
        JsonObject inventory, orderState;
        while (true)
        {
            inventory = await InventoryAsync(db);
            orderState = await OrderAsync(db);
            if (inventory["holds"]!.AsObject().Count == 0 && orderState["status"]!.GetValue<int>() == 4) break;
            Assert.True(DateTime.UtcNow < deadline,
                $"The reminder did not expire the hold within 90 s of the crash.\ninventory: {inventory.ToJsonString()}\norder: {orderState.ToJsonString()}\n" +
                $"silo-1 log:\n{processes.Tail("silo-1")}");
            await Task.Delay(500);
        }
        Phase("hold expired in the database");
        Assert.Equal(0, inventory["sold"]!.GetValue<int>());
        Assert.DoesNotContain('h', inventory["seatMap"]!.GetValue<string>());

        // Now the API may look (its client may first have to find the surviving gateway): the stock is whole again and
        // the order can't be paid.
        var stock = await PollAsync<Availability?>(async () =>
        {
            try
            {
                return await api.AvailabilityAsync(eventId);
            }
            catch (HttpRequestException)
            {
                return null; // 503 while the API's cluster client reconnects
            }
        }, a => a is not null, TimeSpan.FromSeconds(60), "availability answers after the crash");
        Phase("API answers again");
        Assert.Equal((0, 0, 10), (stock!.Held, stock.Sold, stock.Sections.Sum(s => s.Available)));
        await AssertProblemAsync(await api.SendAsync(HttpMethod.Post, $"/api/orders/{order.OrderId}/pay", fan), 409, "hold-expired");
        Assert.Equal("Expired", (await api.GetOrderAsync(fan, order.OrderId)).Status);
        // The reminder is dropped once the section holds nothing.
        await PollAsync(() => db.ScalarAsync<long>("SELECT count(*) FROM orleans_reminders WHERE reminder_name = 'hold-expiry'"), n => n == 0,
            TimeSpan.FromSeconds(30), "the hold-expiry reminder is unregistered");
        Phase("reminder unregistered");
    }

    // grain_type_string is the grain type name ("inventory", "order", "customer", …), matched exactly.
    private const string InventoryType = "inventory";
    private const string OrderType = "order";

    private static async Task<JsonObject> InventoryAsync(TestDatabase db) => await SingleStateAsync(db, InventoryType, "inventory");

    private static async Task<JsonObject> OrderAsync(TestDatabase db) => await SingleStateAsync(db, OrderType, "order");

    private static async Task<JsonObject> SingleStateAsync(TestDatabase db, string typeLike, string what)
    {
        var states = await db.JsonStatesAsync(typeLike);
        if (states.Count != 1)
        {
            var types = await db.ScalarAsync<string>("SELECT string_agg(DISTINCT grain_type_string, ', ') FROM orleans_storage");
            Assert.Fail($"expected one {what} state row (grain_type_string LIKE '{typeLike}'), found {states.Count}; grain types stored: {types}");
        }
        return JsonNode.Parse(states[0])!.AsObject();
    }
}
