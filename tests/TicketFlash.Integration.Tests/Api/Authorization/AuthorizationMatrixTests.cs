using System.Net;
using System.Text.Json.Nodes;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Api.Authorization;

/// <summary>
/// Issue 10 §2: every endpoint × every kind of caller → the expected status, on a real cluster (1 silo + 1 API on
/// PostgreSQL), with zero leaks: no answer to a caller outside the fan's circle (anonymous, another fan, another tenant's
/// organizer or venue staff) contains the fan's user id, and every refusal is a typed problem.
/// </summary>
[Collection(OneNodeCollection.Name)]
public sealed class AuthorizationMatrixTests(OneNodeCluster cluster)
{
    private static readonly Caller[] Outsiders = [Caller.Anonymous, Caller.OtherFan, Caller.OtherOrganizer, Caller.OtherVenue];

    public static TheoryData<string> Operations => new(AuthorizationMatrix.Rows.Select(r => r.Operation));

    private Task<AuthorizationWorld> World() => cluster.Once("authorization-matrix", c => AuthorizationWorld.CreateAsync(c.Client));

    [Fact]
    public async Task Every_documented_endpoint_has_a_row_and_every_row_an_endpoint()
    {
        var doc = JsonNode.Parse(await cluster.Client.Http.GetStringAsync("/openapi/v1.json"))!;
        var documented = doc["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject()
                .Where(op => op.Key is "get" or "post" or "put" or "patch" or "delete")
                .Select(op => $"{op.Key.ToUpperInvariant()} {path.Key}"))
            .ToHashSet();
        Assert.True(documented.Count > 30, $"the OpenAPI document lists only {documented.Count} operations");
        var rows = AuthorizationMatrix.Rows.Select(r => r.Operation).ToList();
        Assert.True(rows.Count == rows.Distinct().Count(), "an operation has two rows");

        var missing = documented.Except(rows).Order().ToList();
        Assert.True(missing.Count == 0,
            $"Endpoints without a row in AuthorizationMatrix (add one: who may call it?): {string.Join(", ", missing)}");
        var stale = rows.Except(documented).ToList();
        Assert.True(stale.Count == 0, $"Rows for endpoints the API does not document: {string.Join(", ", stale)}");
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Each_caller_gets_the_expected_status_and_outsiders_never_see_the_fan(string operation)
    {
        var row = AuthorizationMatrix.Rows.Single(r => r.Operation == operation);
        var world = await World();
        var failures = new List<string>();
        foreach (var caller in Enum.GetValues<Caller>())
        {
            using var response = await row.Call(world, world.Token(caller));
            var status = (int)response.StatusCode;
            var body = response.Content.Headers.ContentType?.MediaType is "image/png" ? "" : await response.Content.ReadAsStringAsync();
            var expected = row.ExpectedFor(caller);
            if (status != expected)
            {
                failures.Add($"{caller}: expected {expected}, got {status}: {Truncate(body)}");
                continue;
            }
            if (status >= 400)
            {
                var type = response.Content.Headers.ContentType?.MediaType == ProblemJson ? JsonNode.Parse(body)?["type"]?.GetValue<string>() : null;
                if (type is null || !type.StartsWith(ProblemTypeBase, StringComparison.Ordinal))
                    failures.Add($"{caller}: {status} is not a typed problem: {response.Content.Headers.ContentType} {Truncate(body)}");
            }
            else if (Outsiders.Contains(caller) && row.SeesParties is null && body.Contains(world.FanId, StringComparison.Ordinal))
            {
                failures.Add($"{caller}: LEAK, the answer contains the fan's user id: {Truncate(body)}");
            }
        }
        Assert.True(failures.Count == 0, $"{operation}:\n  {string.Join("\n  ", failures)}");
    }

    [Fact]
    public async Task No_other_fan_sees_the_fan_s_order_or_ticket_in_their_own_lists()
    {
        var world = await World();
        foreach (var caller in new[] { Caller.OtherFan, Caller.Organizer, Caller.OtherOrganizer, Caller.Artist })
        {
            foreach (var path in new[] { "/api/me/orders", "/api/me/tickets", "/api/me/proceeds" })
            {
                var response = await world.Send(HttpMethod.Get, path, world.Token(caller));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var body = await response.Content.ReadAsStringAsync();
                Assert.DoesNotContain(world.OrderId.ToString(), body, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(world.TicketId.ToString(), body, StringComparison.OrdinalIgnoreCase);
            }
        }
        // ...while the fan's own lists hold them (the check above could not pass by listing nothing for everyone).
        var mine = await (await world.Send(HttpMethod.Get, "/api/me/tickets", world.Fan)).Content.ReadAsStringAsync();
        Assert.Contains(world.TicketId.ToString(), mine, StringComparison.OrdinalIgnoreCase);
        var orders = await (await world.Send(HttpMethod.Get, "/api/me/orders", world.Fan)).Content.ReadAsStringAsync();
        Assert.Contains(world.OrderId.ToString(), orders, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_listing_shows_its_seller_only_to_the_seller_and_admins()
    {
        var world = await World();
        foreach (var caller in new[] { Caller.Fan, Caller.Admin, Caller.OtherFan, Caller.OtherOrganizer })
        {
            var body = JsonNode.Parse(await (await world.Send(HttpMethod.Get, $"/api/listings/{world.ListingId}", world.Token(caller))).Content.ReadAsStringAsync())!;
            var seller = body["terms"]?["sellerId"]?.GetValue<string>();
            if (caller is Caller.Fan or Caller.Admin) Assert.Equal(world.FanId, seller);
            else Assert.True(seller is null && body["listingId"] is not null, $"{caller} got the full listing: {body.ToJsonString()}");
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
