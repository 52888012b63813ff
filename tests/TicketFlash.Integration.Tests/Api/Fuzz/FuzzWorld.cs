using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using TicketFlash.Integration.Tests.Infrastructure;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Api.Fuzz;

/// <summary>
/// What the fuzz aims at, in a tenant "fz" of its own: an event on
/// sale (GA and reserved rows), a draft, a cancelled one, a held order, a paid one with tickets, one of them listed for
/// resale. Ids seen in successful answers join the pool, so later requests reach what earlier ones created.
/// </summary>
public sealed class FuzzWorld
{
    public const int Limit = 6;
    private const int PoolSize = 512;
    private readonly List<Guid> _seen = [];

    public required string Fan { get; init; }
    public required string OtherFan { get; init; }
    public required string Organizer { get; init; }
    public required string OtherOrganizer { get; init; }
    public required string Staff { get; init; }
    public required string Admin { get; init; }

    /// <summary>Fan, OtherFan and four more: the buyers of the well-formed requests.</summary>
    public required IReadOnlyList<string> Fans { get; init; }
    public required Guid SaleEvent { get; init; }
    public required HttpClient Http { get; init; }
    public required IReadOnlyList<Guid> KnownIds { get; init; }
    public static readonly string[] Users = ["fz-fan-1", "fz-fan-2", "fz-org", "fz-nobody", "bad-org-a"];

    /// <summary>Every event id the world made or a fuzzed request created: the sales check covers them all.</summary>
    public ConcurrentDictionary<Guid, byte> Events { get; } = new();

    public static async Task<FuzzWorld> CreateAsync(SharedCluster cluster)
    {
        var api = cluster.Client;
        var organizer = await api.TokenAsync("fz-org", ["organizer"], "fz");
        var fan = await api.TokenAsync("fz-fan-1", ["fan"]);
        var venue = await api.CreateVenueAsync(organizer, new { id = "GA", name = "Floor", capacity = 40 }, new { id = "R", name = "Rows", rows = 3, seatsPerRow = 5 });
        var sale = await api.CreateEventAsync(organizer, venue, ["GA", "R"], perCustomerLimit: Limit);
        var draft = await api.CreateEventAsync(organizer, venue, ["GA"], open: false);
        var cancelled = await api.CreateEventAsync(organizer, venue, ["R"]);
        (await api.SendAsync(HttpMethod.Post, $"/api/events/{cancelled}/cancel", organizer)).EnsureSuccessStatusCode();
        var held = await api.HoldAsync(fan, sale, 1, "GA");
        var paid = await api.HoldAsync(fan, sale, 2, "R", ["B-2", "B-3"]);
        var pay = await api.SendAsync(HttpMethod.Post, $"/api/orders/{paid.OrderId}/pay", fan);
        if (pay.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"pay: {await DescribeAsync(pay)}");
        var tickets = (await TicketFlashClient.ReadAsync<Order>(pay)).Tickets.Select(t => t.TicketId).ToList();
        var listed = await api.SendAsync(HttpMethod.Post, $"/api/tickets/{tickets[0]}/listings", fan, new { price = 30m });
        if (!listed.IsSuccessStatusCode) throw new InvalidOperationException($"listing: {await DescribeAsync(listed)}");
        var listing = Guid.Parse(Walk((await TicketFlashClient.ReadAsync<JsonObject>(listed))!).First(p => p.Name == "listingId").Value);
        var fans = new List<string> { fan, await api.TokenAsync("fz-fan-2", ["fan"]) };
        for (var i = 3; i <= 6; i++) fans.Add(await api.TokenAsync($"fz-fan-{i}", ["fan"]));
        var world = new FuzzWorld
        {
            Fan = fan,
            OtherFan = fans[1],
            Fans = fans,
            Organizer = organizer,
            OtherOrganizer = await api.TokenAsync("fz-org-other", ["organizer"], "fz-other"),
            Staff = await api.TokenAsync("fz-staff", ["venue"], "fz"),
            Admin = await api.TokenAsync("fz-admin", ["admin"]),
            SaleEvent = sale,
            Http = api.Http,
            KnownIds = [sale, draft, cancelled, venue, held.OrderId, paid.OrderId, .. tickets, listing],
        };
        foreach (var id in new[] { sale, draft, cancelled }) world.Events[id] = 0;
        return world;
    }

    /// <summary>An id worth trying: the world's, one a fuzzed request created (<paramref name="fresh"/>: mostly one of the
    /// latest, such as the order just placed), or one nobody has.</summary>
    public Guid PickId(Random rnd, bool fresh = false)
    {
        var roll = fresh ? rnd.Next(5, 9) : rnd.Next(10);
        if (roll < 5) return KnownIds[rnd.Next(KnownIds.Count)];
        lock (_seen)
        {
            if (roll < 8 && _seen.Count > 0) return _seen[^(1 + rnd.Next(Math.Min(_seen.Count, fresh ? 24 : PoolSize)))];
        }
        return roll == 8 ? Guid.Empty : Guid.NewGuid();
    }

    /// <summary>The token a well-formed request would carry: staff at the gate, the organizer for the event's own
    /// operations, one of the fans otherwise.</summary>
    public string CleanToken(Random rnd, FuzzOperation op)
    {
        if (op.Path.Contains("/checkin", StringComparison.Ordinal)) return Staff;
        var organizerWork = op.Path is "/api/venues" or "/api/events" && op.Method == "POST"
            || op.Path.Contains("/keys", StringComparison.Ordinal) || op.Path.EndsWith("/refund", StringComparison.Ordinal)
            || op.Path.EndsWith("/revoke", StringComparison.Ordinal) || op.Path.EndsWith("/refunds", StringComparison.Ordinal)
            || op.Path.EndsWith("/open-sale", StringComparison.Ordinal) || op.Path.EndsWith("/pause", StringComparison.Ordinal)
            || op.Path.EndsWith("/cancel", StringComparison.Ordinal) || op.Path.EndsWith("/history", StringComparison.Ordinal);
        return organizerWork ? Organizer : Fans[rnd.Next(Fans.Count)];
    }

    /// <summary>Ids in a successful answer (orders, tickets, listings, events, venues) join the pool.</summary>
    public void Harvest(string path, JsonNode? body)
    {
        if (body is null) return;
        foreach (var (name, value) in Walk(body))
        {
            if (!Guid.TryParse(value, out var id)) continue;
            lock (_seen)
            {
                _seen.Add(id);
                if (_seen.Count > PoolSize) _seen.RemoveAt(0);
            }
            if (name == "id" && path == "/api/events" || name == "eventId") Events.TryAdd(id, 0);
        }
    }

    private static IEnumerable<(string Name, string Value)> Walk(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if (child is JsonValue v && v.TryGetValue<string>(out var text)) yield return (name, text);
                    else if (child is not null) foreach (var inner in Walk(child)) yield return inner;
                }
                break;
            case JsonArray array:
                foreach (var child in array.OfType<JsonNode>().Take(16)) foreach (var inner in Walk(child)) yield return inner;
                break;
        }
    }
}
