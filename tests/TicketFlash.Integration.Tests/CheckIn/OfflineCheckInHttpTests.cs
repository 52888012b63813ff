using System.Net;
using System.Text.Json.Nodes;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tickets.Codes;
using TicketFlash.Integration.Tests.Api;
using TicketFlash.Integration.Tests.Infrastructure;
using TicketFlash.Integration.Tests.Tickets;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.CheckIn;

public sealed record KeyBody(uint KeyId, string Algorithm, string PublicKey, DateTimeOffset CreatedAt);

public sealed record RosterBody(Guid TicketId, int Serial, string Status);

public sealed record BundleBody(Guid EventId, DateTimeOffset CheckInOpens, DateTimeOffset CheckInCloses, List<KeyBody> Keys, List<RosterBody> Tickets, string NextToken);

public sealed record SyncedBody(string Result, Guid? TicketId, bool Conflict);

public sealed record SyncBody(List<SyncedBody> Results);

public sealed record ConflictBody(Guid TicketId, string FirstGate, DateTimeOffset FirstAt, string SecondGate, DateTimeOffset SecondAt);

/// <summary>Offline check-in over HTTP (1 silo + 1 API on PostgreSQL): bundle, sync, conflicts, stats, bad input.</summary>
[Collection(OneNodeCollection.Name)]
public sealed class OfflineCheckInHttpTests(OneNodeCluster cluster)
{
    private TicketFlashClient Api => cluster.Client;

    private Task<GateWorld> World() => cluster.Once("offline-http", c => c.Client.CreateGateWorldAsync("offline"));

    private async Task<T> Ok<T>(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, await DescribeAsync(response));
        return await TicketFlashClient.ReadAsync<T>(response);
    }

    private Task<HttpResponseMessage> PostSync(string token, object body) => Api.SendAsync(HttpMethod.Post, "/api/checkin/sync", token, body);

    [Fact]
    public async Task The_bundle_verifies_codes_alone_holds_no_private_key_and_is_incremental()
    {
        var world = await World();
        var (fan, order) = await Api.BuyAsync(world.EventId, 2);
        var codes = await Task.WhenAll(order.Tickets.Select(t => Api.CodeAsync(fan, t.TicketId)));
        var path = $"/api/events/{world.EventId}/checkin/bundle";

        var first = await Api.SendAsync(HttpMethod.Get, path, world.Staff);
        var raw = await first.Content.ReadAsStringAsync();
        var bundle = await Ok<BundleBody>(first);

        var keys = bundle.Keys.Select(k => new TicketPublicKey(world.EventId, k.KeyId, k.Algorithm, Convert.FromBase64String(k.PublicKey), k.CreatedAt, null)).ToList();
        Assert.All(keys, k => Assert.Equal(32, k.PublicKey.Length));
        Assert.All(codes, c => Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(c, new TicketKeyRing(keys), DateTimeOffset.UtcNow).Verdict));
        // The key grain's stored state (the row is named by grain type or state name, depending on the storage provider).
        var privateKeys = (await cluster.Db.JsonStatesAsync("ticket_ey%"))
            .SelectMany(j => JsonNode.Parse(j)!["keys"]!.AsArray())
            .SelectMany(k => k!.AsObject().Where(p => p.Key.Contains("private", StringComparison.OrdinalIgnoreCase)).Select(p => p.Value!.GetValue<string>()))
            .Where(secret => secret.Length > 0).ToList(); // raw or sealed (at rest), whichever the silo keeps
        Assert.NotEmpty(privateKeys);
        Assert.All(privateKeys, p => Assert.DoesNotContain(p, raw, StringComparison.Ordinal));
        Assert.DoesNotContain(PropertyNames(JsonNode.Parse(raw)!), n => n.Contains("private", StringComparison.OrdinalIgnoreCase) || n.Contains("secret", StringComparison.OrdinalIgnoreCase));

        var revoke = await Api.SendAsync(HttpMethod.Post, $"/api/tickets/{order.Tickets[0].TicketId}/revoke", world.Organizer, new { reason = "duplicate booking" });
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var delta = await Ok<BundleBody>(await Api.SendAsync(HttpMethod.Get, $"{path}?since={bundle.NextToken}", world.Staff));
        Assert.Equal((order.Tickets[0].TicketId, "Revoked"), (Assert.Single(delta.Tickets).TicketId, delta.Tickets[0].Status));

        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Get, $"{path}?since=abc", world.Staff), 400, "validation");
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Get, $"{path}?since=-1", world.Staff), 400, "validation");
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Get, path, fan), 403, "forbidden");
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Get, path, null), 401, "unauthorized");
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Get, $"/api/events/{Guid.NewGuid()}/checkin/bundle", world.Staff), 404, "not-found");
    }

    [Fact]
    public async Task Offline_scans_of_one_ticket_at_two_gates_are_a_conflict_for_the_organizer_and_counts_reconcile()
    {
        var world = await World();
        var (fan, order) = await Api.BuyAsync(world.EventId, 2);
        var (shared, single) = (order.Tickets[0].TicketId, order.Tickets[1].TicketId);
        var codes = new[] { await Api.CodeAsync(fan, shared), await Api.CodeAsync(fan, single) };
        var before = await Ok<CheckInStatsBody>(await Api.SendAsync(HttpMethod.Get, $"/api/events/{world.EventId}/checkin/stats", world.Staff));
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-10);

        var east = await Ok<SyncBody>(await PostSync(world.Staff, new { eventId = world.EventId, deviceId = "east-1", gate = "east",
            scans = new[] { new { code = codes[0], scannedAt = t0.AddMinutes(2) }, new { code = codes[1], scannedAt = t0.AddMinutes(3) } } }));
        var west = await Ok<SyncBody>(await PostSync(world.Staff, new { eventId = world.EventId, deviceId = "west-1", gate = "west",
            scans = new[] { new { code = codes[0], scannedAt = t0 } } }));

        Assert.Equal([("Admitted", false), ("Admitted", false)], east.Results.Select(r => (r.Result, r.Conflict)));
        Assert.Equal(("Admitted", true), (Assert.Single(west.Results).Result, west.Results[0].Conflict));
        var conflicts = await Ok<List<ConflictBody>>(await Api.SendAsync(HttpMethod.Get, $"/api/events/{world.EventId}/checkin/conflicts", world.Organizer));
        var conflict = Assert.Single(conflicts, c => c.TicketId == shared);
        Assert.Equal(("west", "east"), (conflict.FirstGate, conflict.SecondGate));
        Assert.Equal(t0.ToUnixTimeMilliseconds(), conflict.FirstAt.ToUnixTimeMilliseconds());

        var after = await Ok<CheckInStatsBody>(await Api.SendAsync(HttpMethod.Get, $"/api/events/{world.EventId}/checkin/stats", world.Staff));
        Assert.Equal(before.Admitted + 2, after.Admitted); // two tickets in, whatever the number of scans
        Assert.Equal(before.Refused + 1, after.Refused);
        Assert.Equal(after.Admitted, after.Gates.Sum(g => g.Admitted));
        Assert.Equal(("CheckedIn", "CheckedIn"), ((await Api.TicketAsync(fan, shared)).Status, (await Api.TicketAsync(fan, single)).Status));
        Assert.Equal("AlreadyCheckedIn", (await Api.ScanAsync(world.Staff, world.EventId, codes[0])).Result);
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Get, $"/api/events/{world.EventId}/checkin/conflicts", fan), 403, "forbidden");
    }

    public static TheoryData<string, string> BadSyncs() => new()
    {
        { "no scans", """{"eventId":"%E","deviceId":"d","gate":"g","scans":[]}""" },
        { "no deviceId", """{"eventId":"%E","gate":"g","scans":[{"code":"x","scannedAt":"2026-01-01T00:00:00Z"}]}""" },
        { "no scannedAt", """{"eventId":"%E","deviceId":"d","gate":"g","scans":[{"code":"x"}]}""" },
        { "a null scan", """{"eventId":"%E","deviceId":"d","gate":"g","scans":[null]}""" },
        { "no event", """{"deviceId":"d","gate":"g","scans":[{"code":"x","scannedAt":"2026-01-01T00:00:00Z"}]}""" },
    };

    [Theory]
    [MemberData(nameof(BadSyncs))]
    public async Task A_bad_upload_is_a_400_problem_never_a_500(string what, string body)
    {
        var world = await World();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkin/sync")
        {
            Content = new StringContent(body.Replace("%E", world.EventId.ToString(), StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", world.Staff);
        await AssertProblemAsync(await Api.Http.SendAsync(request), 400, "validation", what);
    }

    [Fact]
    public async Task Online_check_in_ignores_a_client_s_clock()
    {
        var world = await World();
        var (fan, order) = await Api.BuyAsync(world.EventId, 1);
        var code = await Api.CodeAsync(fan, order.Tickets[0].TicketId);
        var response = await Api.SendAsync(HttpMethod.Post, "/api/checkin", world.Staff,
            new { eventId = world.EventId, code, gate = "A", deviceId = "d", scannedAt = DateTimeOffset.UtcNow.AddYears(1) });
        var outcome = await Ok<CheckInBody>(response);
        Assert.Equal("Admitted", outcome.Result); // a year ahead would be TooLate if the client's time counted
        Assert.InRange(outcome.FirstScanAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    private static IEnumerable<string> PropertyNames(JsonNode node) => node switch
    {
        JsonObject o => o.SelectMany(p => PropertyNames(p.Value!).Prepend(p.Key)),
        JsonArray a => a.Where(i => i is not null).SelectMany(i => PropertyNames(i!)),
        _ => [],
    };
}
