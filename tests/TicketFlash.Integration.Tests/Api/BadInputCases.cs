using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TicketFlash.Integration.Tests.Infrastructure;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Api;

public sealed record BadCase(string Name, int Status, string Slug, Func<BadInputRun, Task<HttpResponseMessage>> Send)
{
    public Func<BadInputRun, Task>? Arrange { get; init; }

    /// <summary>Extra checks after the common "nothing changed" snapshot.</summary>
    public Func<BadInputRun, Task>? Verify { get; init; }

    public override string ToString() => Name;
}

public static class BadInputCases
{
    private static readonly Guid Nowhere = new("0badbad0-0000-4000-8000-000000000001");

    public static async Task<BadInputRun> NewRunAsync(SharedCluster cluster)
    {
        var world = await BadInputWorld.GetAsync(cluster);
        var tokens = await Task.WhenAll(cluster.Client.TokenAsync(Unique("bad-fan"), ["fan"]), cluster.Client.TokenAsync(Unique("bad-other"), ["fan"]));
        return new BadInputRun { Cluster = cluster, W = world, Fan = tokens[0], OtherFan = tokens[1] };
    }

    /// <summary>
    /// What a refused request must not change: stock and seat maps of the sale events, the catalog (events and their
    /// statuses), and both fans' orders. (The 3-second event's stock is excluded: its holds expire by themselves.)
    /// </summary>
    public static async Task<string> SnapshotAsync(BadInputRun run)
    {
        var api = run.Api.Http;
        var stock = new[] { run.W.MainEvent, run.W.OtherEvent, run.W.DraftEvent, run.W.SoldOutEvent }
            .Select(async id => WithoutVersions(await api.GetStringAsync($"/api/events/{id}/availability?seats=true"))).ToList();
        var catalog = api.GetFromJsonAsync<JsonArray>("/api/events");
        var orders = new[] { run.Fan, run.OtherFan }.Select(fan => run.Api.MyOrdersAsync(fan)).ToList();
        var parts = new List<string>(await Task.WhenAll(stock));
        // Every event of the catalog with its status: no event appears, none changes status.
        parts.Add("catalog=" + string.Join(";", (await catalog)!.Select(e => $"{e!["id"]}:{e["status"]}").Order(StringComparer.Ordinal)));
        foreach (var fanOrders in await Task.WhenAll(orders))
        {
            parts.Add("orders=" + string.Join(";", fanOrders.OrderBy(o => o.OrderId).Select(o =>
                $"{o.OrderId}:{o.Status}:{o.Quantity}:{o.SectionId}:{string.Join(',', o.Seats)}")));
        }
        return string.Join('\n', parts);
    }

    /// <summary>
    /// Stock and seats without each section's version: a refused order may still have held and released seats (the
    /// inventory is asked before the customer's limit), which leaves the stock as it was but counts two writes.
    /// </summary>
    private static string WithoutVersions(string availability)
    {
        var json = JsonNode.Parse(availability)!;
        foreach (var section in json["sections"]!.AsArray()) section!.AsObject().Remove("version");
        return json.ToJsonString();
    }

    private static StringContent Json(string text, string mediaType = "application/json") => new(text, Encoding.UTF8, mediaType);

    private static ByteArrayContent Bytes(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>A body streamed without Content-Length (chunked transfer encoding).</summary>
    private static StreamContent Chunked(string text)
    {
        var content = new StreamContent(new NonSeekable(Encoding.UTF8.GetBytes(text)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    private static object GaOrder(BadInputRun r, int quantity = 1) => new { eventId = r.W.MainEvent, quantity, sectionId = "GA" };

    public static readonly IReadOnlyList<BadCase> All =
    [
        // ---- unreadable requests
        new("malformed JSON", 400, "malformed-request",
            r => r.Raw(HttpMethod.Post, "/api/orders", r.Fan, Json($"{{\"eventId\": \"{r.W.MainEvent}\", \"quantity\": "), r.Key)),
        new("JSON of the wrong shape (array)", 400, "malformed-request",
            r => r.Raw(HttpMethod.Post, "/api/orders", r.Fan, Json("[1, 2, 3]"), r.Key)),
        new("quantity is a string", 400, "malformed-request",
            r => r.Raw(HttpMethod.Post, "/api/orders", r.Fan, Json($"{{\"eventId\": \"{r.W.MainEvent}\", \"quantity\": \"two\"}}"), r.Key)),
        new("empty body", 400, "malformed-request",
            r => r.Raw(HttpMethod.Post, "/api/orders", r.Fan, Json(""), r.Key)),
        new("eventId that is not a guid", 400, "malformed-request",
            r => r.Raw(HttpMethod.Post, "/api/orders", r.Fan, Json("{\"eventId\": \"not-a-guid\", \"quantity\": 1}"), r.Key)),
        new("deeply nested JSON", 400, "malformed-request",
            r => r.Raw(HttpMethod.Post, "/api/orders", r.Fan, Json($"{{\"eventId\": \"{r.W.MainEvent}\", \"quantity\": 1, \"x\": {new string('[', 500)}{new string(']', 500)}}}"), r.Key)),
        new("invalid UTF-8", 400, "malformed-request",
            r => r.Raw(HttpMethod.Post, "/api/orders", r.Fan, Bytes([.. "{\"sectionId\": \""u8, 0xC3, 0x28, .. "\"}"u8]), r.Key)),
        new("availability with seats=notabool", 400, "malformed-request",
            r => r.Api.SendAsync(HttpMethod.Get, $"/api/events/{r.W.MainEvent}/availability?seats=notabool", null)),
        new("wrong content type (text/plain)", 415, "unsupported-media-type",
            r => r.Raw(HttpMethod.Post, "/api/orders", r.Fan, Json(JsonSerializer.Serialize(GaOrder(r), TicketFlashClient.Json), "text/plain"), r.Key)),
        new("oversize body (> 64 KB)", 413, "payload-too-large",
            r => r.Raw(HttpMethod.Post, "/api/orders", r.Fan,
                Json($"{{\"eventId\": \"{r.W.MainEvent}\", \"quantity\": 1, \"sectionId\": \"GA\", \"padding\": \"{new string('x', 70 * 1024)}\"}}"), r.Key)),
        new("oversize chunked body (> 64 KB, no Content-Length)", 413, "payload-too-large",
            r => r.Raw(HttpMethod.Post, "/api/orders", r.Fan, Chunked($"{{\"eventId\": \"{r.W.MainEvent}\", \"quantity\": 1, \"padding\": \"{new string('x', 70 * 1024)}\"}}"), r.Key)),
        new("oversize venue body (> 64 KB)", 413, "payload-too-large",
            r => r.Raw(HttpMethod.Post, "/api/venues", r.W.Organizer, Json($"{{\"name\": \"{new string('v', 80 * 1024)}\", \"sections\": []}}"))),

        // ---- identity and access
        new("no token", 401, "unauthorized", r => r.Api.SendAsync(HttpMethod.Post, "/api/orders", null, GaOrder(r), r.Key)),
        new("no token, asking for JSON", 401, "unauthorized", r =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/me/orders");
            request.Headers.Accept.ParseAdd("application/json");
            return r.Api.Http.SendAsync(request);
        }),
        new("garbage token", 401, "unauthorized", r => r.Api.SendAsync(HttpMethod.Get, "/api/me/orders", "not.a.jwt")),
        new("token signed with another key", 401, "unauthorized", r => r.Api.SendAsync(HttpMethod.Get, "/api/me/orders",
            r.Fan[..(r.Fan.LastIndexOf('.') + 1)] + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")),
        new("a token just accepted, with one signature character changed (no memory of valid tokens lets it by)", 401, "unauthorized", async r =>
        {
            (await r.Api.SendAsync(HttpMethod.Get, "/api/me/orders", r.Fan)).EnsureSuccessStatusCode();
            var last = r.Fan[^2] == 'A' ? 'B' : 'A'; // the second-to-last: its bits all count in the decoded signature
            return await r.Api.SendAsync(HttpMethod.Get, "/api/me/orders", r.Fan[..^2] + last + r.Fan[^1]);
        }),
        new("validly signed token without a sub", 401, "unauthorized", r => r.Api.SendAsync(HttpMethod.Get, "/api/me/orders", Fuzz.FuzzTokens.Signed(null))),
        new("validly signed token whose sub holds a NUL", 401, "unauthorized", r => r.Api.SendAsync(HttpMethod.Get, "/api/me/orders", Fuzz.FuzzTokens.Signed("a\0b"))),
        new("fan creates a venue", 403, "forbidden",
            r => r.Api.SendAsync(HttpMethod.Post, "/api/venues", r.Fan, new { name = "Mine", sections = new[] { new { id = "GA", name = "Floor", capacity = 5 } } })),
        new("organizer without tenant creates a venue", 403, "forbidden",
            r => r.Api.SendAsync(HttpMethod.Post, "/api/venues", r.W.TenantlessOrganizer, new { name = "Mine", sections = new[] { new { id = "GA", name = "Floor", capacity = 5 } } })),
        new("fan creates an event", 403, "forbidden",
            r => r.Api.SendAsync(HttpMethod.Post, "/api/events", r.Fan, r.ValidEvent(r.W.MainVenue, ["V"]))),
        new("organizer of another tenant opens someone else's event", 403, "forbidden",
            r => r.Api.SendAsync(HttpMethod.Post, $"/api/events/{r.W.DraftEvent}/open-sale", r.W.Organizer)),
        new("organizer of another tenant pauses someone else's event", 403, "forbidden",
            r => r.Api.SendAsync(HttpMethod.Post, $"/api/events/{r.W.OtherEvent}/pause", r.W.Organizer)),
        new("organizer of another tenant creates an event in someone else's venue", 403, "forbidden",
            r => r.Api.SendAsync(HttpMethod.Post, "/api/events", r.W.OtherOrganizer, r.ValidEvent(r.W.MainVenue, ["V"]))),
        new("fan lists another user's orders", 403, "forbidden",
            r => r.Api.SendAsync(HttpMethod.Get, "/api/orders/user/bad-org-a", r.Fan)),
        new("paying someone else's order", 403, "forbidden",
            r => r.Api.SendAsync(HttpMethod.Post, $"/api/orders/{r.OrderId}/pay", r.OtherFan))
        {
            Arrange = async r => r.OrderId = (await r.Api.HoldAsync(r.Fan, r.W.MainEvent, 1, "GA")).OrderId,
            Verify = async r => Assert.Equal("Held", (await r.Api.GetOrderAsync(r.Fan, r.OrderId)).Status),
        },
        new("reading someone else's order", 403, "forbidden",
            r => r.Api.SendAsync(HttpMethod.Get, $"/api/orders/{r.OrderId}", r.OtherFan))
        {
            Arrange = async r => r.OrderId = (await r.Api.HoldAsync(r.Fan, r.W.MainEvent, 1, "GA")).OrderId,
        },
        new("releasing someone else's order", 403, "forbidden",
            r => r.Api.SendAsync(HttpMethod.Delete, $"/api/orders/{r.OrderId}", r.OtherFan))
        {
            Arrange = async r => r.OrderId = (await r.Api.HoldAsync(r.Fan, r.W.MainEvent, 1, "GA")).OrderId,
        },

        // ---- unknown things
        new("unknown event (order)", 404, "not-found", r => r.Order(new { eventId = Nowhere, quantity = 1 })),
        new("unknown event (GET)", 404, "not-found", r => r.Api.SendAsync(HttpMethod.Get, $"/api/events/{Nowhere}", null)),
        new("unknown event (availability)", 404, "not-found", r => r.Api.SendAsync(HttpMethod.Get, $"/api/events/{Nowhere}/availability", null)),
        new("unknown event (open-sale)", 404, "not-found", r => r.Api.SendAsync(HttpMethod.Post, $"/api/events/{Nowhere}/open-sale", r.W.Organizer)),
        new("unknown venue (event)", 404, "not-found", r => r.Api.SendAsync(HttpMethod.Post, "/api/events", r.W.Organizer, r.ValidEvent(Nowhere, ["GA"]))),
        new("unknown order (GET)", 404, "not-found", r => r.Api.SendAsync(HttpMethod.Get, $"/api/orders/{Nowhere}", r.Fan)),
        new("unknown order (pay)", 404, "not-found", r => r.Api.SendAsync(HttpMethod.Post, $"/api/orders/{Nowhere}/pay", r.Fan)),
        new("unknown order (DELETE)", 404, "not-found", r => r.Api.SendAsync(HttpMethod.Delete, $"/api/orders/{Nowhere}", r.Fan)),
        new("order id that is not a guid", 404, "not-found", r => r.Api.SendAsync(HttpMethod.Get, "/api/orders/not-a-guid", r.Fan)),
        new("unknown route", 404, "not-found", r => r.Api.SendAsync(HttpMethod.Get, "/api/nothing-here", r.Fan)),
        new("method not allowed", 405, "method-not-allowed", r => r.Api.SendAsync(HttpMethod.Put, "/api/orders", r.Fan, GaOrder(r), r.Key)),

        // ---- order validation
        new("missing Idempotency-Key", 400, "validation", r => r.Api.SendAsync(HttpMethod.Post, "/api/orders", r.Fan, GaOrder(r))),
        new("Idempotency-Key too long", 400, "validation",
            r => r.Api.SendAsync(HttpMethod.Post, "/api/orders", r.Fan, GaOrder(r), new string('k', 200))),
        new("missing eventId", 400, "validation", r => r.Order(new { quantity = 1 })),
        new("empty Idempotency-Key", 400, "validation",
            r => r.Raw(HttpMethod.Post, "/api/orders", r.Fan, Json(JsonSerializer.Serialize(GaOrder(r), TicketFlashClient.Json)), "")),
        new("empty sectionId", 400, "validation", r => r.Order(new { eventId = r.W.MainEvent, quantity = 1, sectionId = "" })),
        new("null seat id", 400, "validation",
            r => r.Order(new { eventId = r.W.MainEvent, quantity = 1, sectionId = "R", seats = new string?[] { null } })),
        new("zero quantity", 400, "validation", r => r.Order(GaOrder(r, 0))),
        new("negative quantity", 400, "validation", r => r.Order(GaOrder(r, -3))),
        new("huge quantity", 400, "validation", r => r.Order(GaOrder(r, 1_000_000))),
        new("int overflow quantity", 400, "malformed-request",
            r => r.Raw(HttpMethod.Post, "/api/orders", r.Fan, Json($"{{\"eventId\": \"{r.W.MainEvent}\", \"quantity\": 99999999999}}"), r.Key)),
        new("quantity differs from the seats", 400, "validation",
            r => r.Order(new { eventId = r.W.MainEvent, quantity = 2, sectionId = "R", seats = new[] { "A-1" } })),
        new("seat row that doesn't exist in the section", 400, "validation",
            r => r.Order(new { eventId = r.W.MainEvent, quantity = 1, sectionId = "R", seats = new[] { "C-1" } })),
        new("seat number that doesn't exist in the section", 400, "validation",
            r => r.Order(new { eventId = r.W.MainEvent, quantity = 2, sectionId = "R", seats = new[] { "A-1", "A-6" } })),
        new("seat id that is garbage", 400, "validation",
            r => r.Order(new { eventId = r.W.MainEvent, quantity = 1, sectionId = "R", seats = new[] { "row one" } })),
        new("the same seat twice", 400, "validation",
            r => r.Order(new { eventId = r.W.MainEvent, quantity = 2, sectionId = "R", seats = new[] { "B-2", "B-2" } })),
        new("seats in a general-admission section", 400, "validation",
            r => r.Order(new { eventId = r.W.MainEvent, quantity = 1, sectionId = "GA", seats = new[] { "A-1" } })),
        new("seats of another event's section", 400, "validation",
            r => r.Order(new { eventId = r.W.MainEvent, quantity = 1, sectionId = "X", seats = new[] { "A-1" } })),
        new("seats without sectionId", 400, "validation",
            r => r.Order(new { eventId = r.W.MainEvent, quantity = 1, seats = new[] { "A-1" } })),
        new("a venue section the event does not sell", 400, "validation",
            r => r.Order(new { eventId = r.W.MainEvent, quantity = 1, sectionId = "V" })),
        new("a section that exists nowhere", 400, "validation",
            r => r.Order(new { eventId = r.W.MainEvent, quantity = 1, sectionId = "NOPE" })),

        // ---- refusals by the sale rules
        new("event not on sale (draft)", 409, "not-on-sale", r => r.Order(new { eventId = r.W.DraftEvent, quantity = 1 })),
        new("seats already held by another order", 409, "seats-unavailable",
            r => r.Order(new { eventId = r.W.MainEvent, quantity = 1, sectionId = "R", seats = new[] { r.Seat } }))
        {
            Arrange = async r => r.Seat = (await r.Api.HoldAsync(r.OtherFan, r.W.MainEvent, 1, "R")).Seats.Single(),
        },
        new("event sold out", 409, "sold-out", r => r.Order(new { eventId = r.W.SoldOutEvent, quantity = 1 })),
        new("section sold out", 409, "seats-unavailable", r => r.Order(new { eventId = r.W.SoldOutEvent, quantity = 1, sectionId = "GA" })),
        new("more places than the section has left", 409, "seats-unavailable", r => r.Order(new { eventId = r.W.OtherEvent, quantity = 11, sectionId = "X" })),
        new("ordering for a cancelled event", 409, "not-on-sale", r => r.Order(new { eventId = r.W.CancelledEvent, quantity = 1 })),
        new("opening a cancelled event", 409, "invalid-state", r => r.Api.SendAsync(HttpMethod.Post, $"/api/events/{r.W.CancelledEvent}/open-sale", r.W.Organizer)),
        new("limit breach in one order", 422, "limit-exceeded", r => r.Order(GaOrder(r, BadInputWorld.Limit + 1))),
        new("limit breach across orders", 422, "limit-exceeded", r => r.Order(GaOrder(r, 2)))
        {
            Arrange = r => r.Api.HoldAsync(r.Fan, r.W.MainEvent, BadInputWorld.Limit - 1, "GA"),
        },
        new("same Idempotency-Key with a different body", 422, "idempotency-key-reused",
            r => r.Api.SendAsync(HttpMethod.Post, "/api/orders", r.Fan, GaOrder(r, 2), r.Key))
        {
            Arrange = r => r.Api.HoldAsync(r.Fan, r.W.MainEvent, 1, "GA", key: r.Key),
            Verify = async r => Assert.Equal(1, (await r.Api.MyOrdersAsync(r.Fan)).Single().Quantity),
        },
        new("paying an expired hold", 409, "hold-expired", r => r.Api.SendAsync(HttpMethod.Post, $"/api/orders/{r.OrderId}/pay", r.Fan))
        {
            Arrange = async r =>
            {
                r.OrderId = (await r.Api.HoldAsync(r.Fan, r.W.ShortHoldEvent, 2)).OrderId;
                await PollAsync(() => r.Api.GetOrderAsync(r.Fan, r.OrderId), o => o.Status == "Expired", TimeSpan.FromSeconds(20), "order shown Expired");
            },
            Verify = async r =>
            {
                var order = await r.Api.GetOrderAsync(r.Fan, r.OrderId);
                Assert.Equal("Expired", order.Status);
                Assert.Empty(order.Tickets);
                // Refusing the payment settled the hold: its places are free again, none sold.
                var stock = (await r.Api.AvailabilityAsync(r.W.ShortHoldEvent)).Sections.Single();
                Assert.Equal((0, 0, stock.Capacity), (stock.Held, stock.Sold, stock.Available));
            },
        },
        new("paying a released order", 409, "invalid-state", r => r.Api.SendAsync(HttpMethod.Post, $"/api/orders/{r.OrderId}/pay", r.Fan))
        {
            Arrange = async r =>
            {
                r.OrderId = (await r.Api.HoldAsync(r.Fan, r.W.MainEvent, 1, "GA")).OrderId;
                (await r.Api.SendAsync(HttpMethod.Delete, $"/api/orders/{r.OrderId}", r.Fan)).EnsureSuccessStatusCode();
            },
        },
        new("releasing a confirmed order", 409, "invalid-state", r => r.Api.SendAsync(HttpMethod.Delete, $"/api/orders/{r.OrderId}", r.Fan))
        {
            Arrange = async r =>
            {
                r.OrderId = (await r.Api.HoldAsync(r.Fan, r.W.MainEvent, 1, "GA")).OrderId;
                (await r.Api.SendAsync(HttpMethod.Post, $"/api/orders/{r.OrderId}/pay", r.Fan)).EnsureSuccessStatusCode();
            },
        },

        // ---- venue and event bodies
        new("venue without name or sections", 400, "validation",
            r => r.Api.SendAsync(HttpMethod.Post, "/api/venues", r.W.Organizer, new { name = "", sections = Array.Empty<object>() })),
        new("venue section with both rows and capacity", 400, "validation",
            r => r.Api.SendAsync(HttpMethod.Post, "/api/venues", r.W.Organizer, new { name = "Odd", sections = new[] { new { id = "S", name = "S", rows = 2, seatsPerRow = 2, capacity = 4 } } })),
        new("venue with a null section", 400, "validation",
            r => r.Raw(HttpMethod.Post, "/api/venues", r.W.Organizer, Json("{\"name\": \"Holes\", \"sections\": [null]}"))),
        new("event with a null price tier", 400, "validation",
            r => r.Raw(HttpMethod.Post, "/api/events", r.W.Organizer, Json($"{{\"name\": \"Holes\", \"venueId\": \"{r.W.MainVenue}\", \"startsAt\": \"2030-01-01T20:00:00Z\", \"endsAt\": \"2030-01-01T23:00:00Z\", \"tiers\": [null]}}"))),
        new("venue section of 0 seats", 400, "validation",
            r => r.Api.SendAsync(HttpMethod.Post, "/api/venues", r.W.Organizer, new { name = "Empty", sections = new[] { new { id = "S", name = "S", capacity = 0 } } })),
        new("venue with a duplicate section id", 400, "validation",
            r => r.Api.SendAsync(HttpMethod.Post, "/api/venues", r.W.Organizer, new { name = "Twice", sections = new[] { new { id = "S", name = "S", capacity = 3 }, new { id = "S", name = "S2", capacity = 3 } } })),
        new("event ending before it starts", 400, "validation",
            r => r.Api.SendAsync(HttpMethod.Post, "/api/events", r.W.Organizer, new
            {
                name = "Backwards", venueId = r.W.MainVenue, startsAt = DateTimeOffset.UtcNow.AddDays(2), endsAt = DateTimeOffset.UtcNow.AddDays(1),
                tiers = new[] { new { id = "std", name = "Std", price = 10m, currency = "EUR", sections = new[] { "V" } } },
            })),
        new("event without tiers", 400, "validation",
            r => r.Api.SendAsync(HttpMethod.Post, "/api/events", r.W.Organizer, new
            {
                name = "No tiers", venueId = r.W.MainVenue, startsAt = DateTimeOffset.UtcNow.AddDays(2), endsAt = DateTimeOffset.UtcNow.AddDays(3), tiers = Array.Empty<object>(),
            })),
        new("event with holdMinutes 0 and a bad currency", 400, "validation",
            r => r.Api.SendAsync(HttpMethod.Post, "/api/events", r.W.Organizer, new
            {
                name = "Bad terms", venueId = r.W.MainVenue, startsAt = DateTimeOffset.UtcNow.AddDays(2), endsAt = DateTimeOffset.UtcNow.AddDays(3), holdMinutes = 0,
                tiers = new[] { new { id = "std", name = "Std", price = 10m, currency = "euro", sections = new[] { "V" } } },
            })),
        new("event selling a section its venue does not have", 400, "validation",
            r => r.Api.SendAsync(HttpMethod.Post, "/api/events", r.W.Organizer, r.ValidEvent(r.W.MainVenue, ["X"]))),
        new("event selling one section in two tiers", 400, "validation",
            r => r.Api.SendAsync(HttpMethod.Post, "/api/events", r.W.Organizer, new
            {
                name = "Twice sold", venueId = r.W.MainVenue, startsAt = DateTimeOffset.UtcNow.AddDays(2), endsAt = DateTimeOffset.UtcNow.AddDays(3),
                tiers = new[]
                {
                    new { id = "a", name = "A", price = 10m, currency = "EUR", sections = new[] { "V" } },
                    new { id = "b", name = "B", price = 20m, currency = "EUR", sections = new[] { "V" } },
                },
            })),
        new("dev token with an unknown role", 400, "validation",
            r => r.Api.SendAsync(HttpMethod.Post, "/api/dev/token", null, new { sub = "x", roles = new[] { "superuser" } })),
    ];
}
