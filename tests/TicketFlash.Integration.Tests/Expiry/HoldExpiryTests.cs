using System.Net;
using System.Text.Json.Nodes;
using TicketFlash.Integration.Tests.Api;
using TicketFlash.Integration.Tests.Infrastructure;
using TicketFlash.Integration.Tests.Storage;
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
        Assert.Equal(["A-1", "A-2"], order.Seats.Order());
        Assert.Equal(limit, (await api.AvailabilityAsync(eventId)).Held);
        // At the limit: one more ticket is refused while the hold lives.
        var over = await api.SendAsync(HttpMethod.Post, "/api/orders", fan, new { eventId, quantity = 1, sectionId = "GA" }, Guid.NewGuid().ToString("N"));
        await AssertProblemAsync(over, 422, "limit-exceeded");

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

    [Fact]
    public async Task Reminder_path_a_hold_left_on_a_SIGKILLed_silo_expires_without_any_request_touching_the_inventory()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        await using var processes = await ProcessCluster.StartAsync(db.ConnectionString, silos: 1, apis: 1,
            new() { ["TF_Inventory__ExpiryReminderSeconds"] = "5" });
        using var api = new TicketFlashClient(processes.ApiUrls[0]);
        var organizer = await api.TokenAsync("crash-org", ["organizer"], "crash");
        var fan = await api.TokenAsync("crash-fan", ["fan"]);
        var venue = await api.CreateVenueAsync(organizer, new { id = "GA", name = "Floor", capacity = 10 });
        var eventId = await api.CreateEventAsync(organizer, venue, ["GA"], holdMinutes: 0.05);

        var order = await api.HoldAsync(fan, eventId, 2, "GA");
        processes.KillSilo(0); // before the 3-second hold can be swept by the inventory's timer
        var killedAt = DateTime.UtcNow;

        // What the crash left in the database: the hold, the held order, and the reminder that must bring the inventory back.
        var left = await InventoryAsync(db);
        Assert.True(left["holds"]!.AsObject().Count == 1, $"the hold was already swept before the crash, so this test proves nothing: {left.ToJsonString()}");
        Assert.Equal(1, (await OrderAsync(db))["status"]!.GetValue<int>());
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM orleans_reminders WHERE reminder_name = 'hold-expiry'"));

        processes.StartSilo();
        await processes.WaitReadyAsync(TimeSpan.FromSeconds(90)); // /health/ready only: it touches no inventory, order or customer grain

        var deadline = killedAt + TimeSpan.FromSeconds(90);
        JsonObject inventory, orderState;
        while (true)
        {
            inventory = await InventoryAsync(db);
            orderState = await OrderAsync(db);
            if (inventory["holds"]!.AsObject().Count == 0 && orderState["status"]!.GetValue<int>() == 4) break;
            Assert.True(DateTime.UtcNow < deadline,
                $"The reminder did not expire the hold within 90 s of the crash.\ninventory: {inventory.ToJsonString()}\norder: {orderState.ToJsonString()}\n" +
                $"reminders: {await db.ScalarAsync<long>("SELECT count(*) FROM orleans_reminders")}\nsilo-1 log:\n{processes.Tail("silo-1")}");
            await Task.Delay(500);
        }
        Assert.Equal(0, inventory["sold"]!.GetValue<int>());

        // Now the API may look: the stock is whole again and the order can't be paid.
        var stock = await api.AvailabilityAsync(eventId);
        Assert.Equal((0, 0, 10), (stock.Held, stock.Sold, stock.Sections.Sum(s => s.Available)));
        await AssertProblemAsync(await api.SendAsync(HttpMethod.Post, $"/api/orders/{order.OrderId}/pay", fan), 409, "hold-expired");
        Assert.Equal("Expired", (await api.GetOrderAsync(fan, order.OrderId)).Status);
    }

    private const string InventoryType = "%inventory%";
    private const string OrderType = "%order%";

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
