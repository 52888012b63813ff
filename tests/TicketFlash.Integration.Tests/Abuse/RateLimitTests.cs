using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketFlash.Integration.Tests.Infrastructure;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Abuse;

/// <summary>
/// Writes are limited per user (token <c>sub</c>) and per client address, from configuration (node 0: 5 per user,
/// 12 per address, no refill within a test); over either limit is a 429 problem with Retry-After; reads are not
/// limited; exempt paths are not limited; RateLimits:Enabled=false switches it off (node 1).
/// </summary>
[Collection(AbuseCollection.Name)]
public sealed class RateLimitTests(AbuseCluster abuse)
{
    private static int _address;

    /// <summary>A client address no other test uses.</summary>
    private static string NewAddress() => $"203.0.113.{Interlocked.Increment(ref _address)}";

    /// <summary>A fan's token, asked for from an address of its own (minting is a write too).</summary>
    private async Task<string> FanAsync(string prefix)
    {
        using var request = AbuseCluster.From(NewAddress(), HttpMethod.Post, "/api/dev/token");
        request.Content = JsonContent.Create(new { sub = Unique(prefix), roles = new[] { "fan" } });
        using var response = await abuse.Dev.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
    }

    /// <summary>A cheap write: releasing an order nobody has (404 when it passes the limiter).</summary>
    private async Task<HttpResponseMessage> WriteAsync(string address, string? token, HttpClient? via = null)
    {
        using var request = AbuseCluster.From(address, HttpMethod.Delete, $"/api/orders/{Guid.NewGuid()}", token);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        return await (via ?? abuse.Dev.Http).SendAsync(request);
    }

    private async Task WritesPassAsync(int count, string address, string? token, string what)
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await WriteAsync(address, token);
            Assert.True(response.StatusCode != HttpStatusCode.TooManyRequests, $"{what}: write {i + 1} of {count} was limited: {await DescribeAsync(response)}");
        }
    }

    private static async Task AssertLimitedAsync(HttpResponseMessage response, string what)
    {
        var problem = await AssertProblemAsync(response, 429, "too-many-requests", what);
        var retryAfter = Assert.Single(response.Headers.GetValues("Retry-After"));
        Assert.True(int.TryParse(retryAfter, out var seconds) && seconds is >= 1 and <= 600, $"{what}: Retry-After '{retryAfter}'");
        Assert.Contains($"{seconds} s", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_user_over_its_limit_gets_a_429_problem_with_Retry_After_and_can_still_read()
    {
        var fan = await FanAsync("rl-fan");
        var address = NewAddress();
        await WritesPassAsync(AbuseCluster.PerUser, address, fan, "within the per-user limit");

        using var limited = await WriteAsync(address, fan);
        await AssertLimitedAsync(limited, "write 6 of a user allowed 5");

        using var read = AbuseCluster.From(address, HttpMethod.Get, "/api/me/orders", fan);
        using var answer = await abuse.Dev.Http.SendAsync(read);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [Fact]
    public async Task The_per_user_limit_follows_the_user_to_another_address_and_spares_other_users_of_the_address()
    {
        var (fan, other) = (await FanAsync("rl-moving"), await FanAsync("rl-neighbour"));
        var home = NewAddress();
        await WritesPassAsync(AbuseCluster.PerUser, home, fan, "the user at home");

        using var elsewhere = await WriteAsync(NewAddress(), fan);
        await AssertLimitedAsync(elsewhere, "the same user from a fresh address");

        // The home address has spent 5 of its 12: another user there still writes.
        using var neighbour = await WriteAsync(home, other);
        Assert.Equal(HttpStatusCode.NotFound, neighbour.StatusCode);
    }

    [Fact]
    public async Task The_per_address_limit_covers_every_user_and_anonymous_callers_of_the_address()
    {
        var fans = new List<string>();
        for (var i = 0; i < 4; i++) fans.Add(await FanAsync("rl-crowd"));
        var address = NewAddress();
        foreach (var fan in fans.Take(3)) await WritesPassAsync(AbuseCluster.PerIp / 3, address, fan, "a crowd behind one address");

        using var fresh = await WriteAsync(address, fans[3]);
        await AssertLimitedAsync(fresh, "a fresh user from a spent address");
        using var anonymous = await WriteAsync(address, null);
        await AssertLimitedAsync(anonymous, "an anonymous write from a spent address (limited before the 401)");
        using var garbage = await WriteAsync(address, "not.a.token");
        await AssertLimitedAsync(garbage, "a bad token from a spent address");

        using var elsewhere = await WriteAsync(NewAddress(), fans[3]);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Unsigned_callers_are_counted_per_address_too()
    {
        var address = NewAddress();
        await WritesPassAsync(AbuseCluster.PerIp, address, null, "anonymous writes (401 each)");
        using var limited = await WriteAsync(address, null);
        await AssertLimitedAsync(limited, "anonymous write 13 of an address allowed 12");
    }

    [Fact]
    public async Task Exempt_paths_are_not_limited()
    {
        var fan = await FanAsync("rl-exempt");
        var address = NewAddress();
        await WritesPassAsync(AbuseCluster.PerUser, address, fan, "spending the user's bucket");
        using var limited = await WriteAsync(address, fan);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);

        // RateLimits:ExemptPaths: the Stripe webhook's path (no route in this build: the app fallback's 405) and, configured
        // here, venues (403 for a fan).
        using var webhook = AbuseCluster.From(address, HttpMethod.Post, "/api/payments/stripe/webhook", fan);
        webhook.Content = JsonContent.Create(new { });
        using var webhookAnswer = await abuse.Dev.Http.SendAsync(webhook);
        Assert.True(webhookAnswer.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, await DescribeAsync(webhookAnswer));
        using var venue = AbuseCluster.From(address, HttpMethod.Post, "/api/venues", fan);
        venue.Content = JsonContent.Create(new { name = "Mine", sections = new[] { new { id = "GA", name = "Floor", capacity = 5 } } });
        using var venueAnswer = await abuse.Dev.Http.SendAsync(venue);
        Assert.Equal(HttpStatusCode.Forbidden, venueAnswer.StatusCode);
    }

    [Fact]
    public async Task Switched_off_by_configuration_nothing_is_limited()
    {
        var fan = await FanAsync("rl-off");
        var address = NewAddress();
        for (var i = 0; i < AbuseCluster.PerIp * 2; i++)
        {
            using var response = await WriteAsync(address, fan, abuse.Production);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"write {i + 1} on the node with RateLimits:Enabled=false: {await DescribeAsync(response)}");
        }
    }
}
