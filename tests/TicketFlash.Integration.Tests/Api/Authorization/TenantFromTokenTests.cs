using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketFlash.Integration.Tests.Infrastructure;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Api.Authorization;

/// <summary>Issue 10 §2: the tenant comes only from the validated token, never from a header or the body.</summary>
[Collection(OneNodeCollection.Name)]
public sealed class TenantFromTokenTests(OneNodeCluster cluster)
{
    private TicketFlashClient Api => cluster.Client;

    [Fact]
    public async Task A_tenant_in_the_body_or_a_header_is_ignored_the_token_s_tenant_owns_what_is_created()
    {
        var mine = Unique("mine");
        var victim = Unique("victim");
        var organizer = await Api.TokenAsync(Unique("org"), ["organizer"], mine);
        var victimOrganizer = await Api.TokenAsync(Unique("org"), ["organizer"], victim);
        var victimVenue = await Api.CreateVenueAsync(victimOrganizer, new { id = "floor", capacity = 10 });

        var venue = await SendAsync(HttpMethod.Post, "/api/venues", organizer, victim,
            new { name = "Mine", tenant = victim, tenantId = victim, sections = new[] { new { id = "floor", capacity = 10 } } });
        Assert.True(venue.StatusCode == HttpStatusCode.Created, await DescribeAsync(venue));
        Assert.Equal(mine, (await venue.Content.ReadFromJsonAsync<JsonObject>())!["tenant"]!.GetValue<string>());

        // An event in the other tenant's venue stays refused whatever the body and headers claim.
        var starts = DateTimeOffset.UtcNow.AddDays(5);
        var intruding = await SendAsync(HttpMethod.Post, "/api/events", organizer, victim, new
        {
            name = "Intruder", tenant = victim, venueId = victimVenue, startsAt = starts, endsAt = starts.AddHours(1),
            tiers = new[] { new { id = "std", price = 10m, currency = "EUR", sections = new[] { "floor" } } },
        });
        await AssertProblemAsync(intruding, 403, "forbidden");

        // And an event made in one's own venue belongs to the token's tenant.
        var venueId = await Api.CreateVenueAsync(organizer, new { id = "floor", capacity = 10 });
        var own = await SendAsync(HttpMethod.Post, "/api/events", organizer, victim, new
        {
            name = "Mine", tenant = victim, venueId, startsAt = starts, endsAt = starts.AddHours(1),
            tiers = new[] { new { id = "std", price = 10m, currency = "EUR", sections = new[] { "floor" } } },
        });
        Assert.True(own.StatusCode == HttpStatusCode.Created, await DescribeAsync(own));
        var created = (await own.Content.ReadFromJsonAsync<JsonObject>())!;
        var eventId = created["id"]!.GetValue<Guid>();
        Assert.Equal(mine, created["tenant"]!.GetValue<string>());

        // The victim tenant's staff cannot manage it, the header notwithstanding; the token's own tenant can.
        var victimStaff = await Api.TokenAsync(Unique("staff"), ["venue"], victim);
        await AssertProblemAsync(await SendAsync(HttpMethod.Get, $"/api/events/{eventId}/keys", victimStaff, mine), 403, "forbidden");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"/api/events/{eventId}/keys", organizer, victim)).StatusCode);
    }

    [Fact]
    public async Task No_request_body_in_the_OpenAPI_document_has_a_tenant_field_except_the_development_token_request()
    {
        var doc = JsonNode.Parse(await Api.Http.GetStringAsync("/openapi/v1.json"))!;
        var schemas = doc["components"]!["schemas"]!.AsObject();
        var bodies = doc["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(op => (Operation: $"{op.Key.ToUpperInvariant()} {p.Key}", Op: op.Value)))
            .Select(x => (x.Operation, Ref: x.Op?["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>()))
            .Where(x => x.Ref is not null)
            .ToList();
        Assert.True(bodies.Count > 10, $"only {bodies.Count} request bodies found");
        var offenders = new List<string>();
        foreach (var (operation, reference) in bodies)
        {
            var name = reference!.Split('/')[^1];
            if (HasTenant(schemas, name, depth: 0) && operation != "POST /api/dev/token") offenders.Add($"{operation} ({name})");
        }
        Assert.True(offenders.Count == 0, $"Request bodies with a tenant field (the tenant comes from the token only): {string.Join(", ", offenders)}");
        Assert.True(HasTenant(schemas, "DevTokenRequest", 0), "the check cannot see a tenant field where there is one");
    }

    private static bool HasTenant(JsonObject schemas, string name, int depth)
    {
        if (depth > 4 || schemas[name] is not JsonObject schema) return false;
        var properties = schema["properties"]?.AsObject();
        if (properties is null) return false;
        foreach (var (key, value) in properties)
        {
            if (key.Contains("tenant", StringComparison.OrdinalIgnoreCase)) return true;
            var nested = value?["$ref"]?.GetValue<string>() ?? value?["items"]?["$ref"]?.GetValue<string>();
            if (nested is not null && HasTenant(schemas, nested.Split('/')[^1], depth + 1)) return true;
        }
        return false;
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, string headerTenant, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        foreach (var header in new[] { "X-Tenant", "Tenant", "X-Tenant-Id" }) request.Headers.Add(header, headerTenant);
        if (body is not null) request.Content = JsonContent.Create(body, options: TicketFlashClient.Json);
        return Api.Http.SendAsync(request);
    }
}
