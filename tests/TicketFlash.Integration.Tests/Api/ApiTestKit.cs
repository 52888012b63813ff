using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketFlash.Integration.Tests.Infrastructure;

namespace TicketFlash.Integration.Tests.Api;

/// <summary>Small helpers over <see cref="TicketFlashClient"/> for the API, live and expiry tests.</summary>
public static class ApiTestKit
{
    public const string ProblemTypeBase = "https://ticketflash.dev/problems/";
    public const string ProblemJson = "application/problem+json";

    /// <summary>A user id nobody else uses (tests share clusters).</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static async Task<Guid> CreateVenueAsync(this TicketFlashClient client, string token, params object[] sections)
    {
        var response = await client.SendAsync(HttpMethod.Post, "/api/venues", token, new { name = "Kit Arena", sections });
        return (await CreatedAsync(response))["id"]!.GetValue<Guid>();
    }

    /// <summary>Creates an event over <paramref name="venueId"/> selling <paramref name="sectionIds"/> in one tier; opens it unless <paramref name="open"/> is false.</summary>
    public static async Task<Guid> CreateEventAsync(this TicketFlashClient client, string token, Guid venueId, string[] sectionIds,
        int perCustomerLimit = 10, double holdMinutes = 10, bool open = true, decimal price = 40m, DateTimeOffset? startsAt = null, int? resaleCapPercent = null)
    {
        var starts = startsAt ?? DateTimeOffset.UtcNow.AddDays(10);
        var response = await client.SendAsync(HttpMethod.Post, "/api/events", token, new
        {
            name = "Kit Night",
            venueId,
            startsAt = starts,
            endsAt = starts.AddHours(3),
            tiers = new[] { new { id = "std", name = "Standard", price, currency = "EUR", sections = sectionIds } },
            perCustomerLimit,
            holdMinutes,
            resaleCapPercent,
        });
        var id = (await CreatedAsync(response))["id"]!.GetValue<Guid>();
        if (open)
        {
            var opened = await client.SendAsync(HttpMethod.Post, $"/api/events/{id}/open-sale", token);
            if (opened.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"open-sale: {await DescribeAsync(opened)}");
        }
        return id;
    }

    /// <summary>POST /api/orders that must succeed (201).</summary>
    public static async Task<Order> HoldAsync(this TicketFlashClient client, string token, Guid eventId, int quantity, string? sectionId = null,
        string[]? seats = null, string? key = null)
    {
        var response = await client.SendAsync(HttpMethod.Post, "/api/orders", token, new { eventId, quantity, sectionId, seats }, key ?? Guid.NewGuid().ToString("N"));
        if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"hold: {await DescribeAsync(response)}");
        return await TicketFlashClient.ReadAsync<Order>(response);
    }

    public static async Task<List<Order>> MyOrdersAsync(this TicketFlashClient client, string token)
    {
        var response = await client.SendAsync(HttpMethod.Get, "/api/me/orders", token);
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"me/orders: {await DescribeAsync(response)}");
        return await TicketFlashClient.ReadAsync<List<Order>>(response);
    }

    public static async Task<Order> GetOrderAsync(this TicketFlashClient client, string token, Guid orderId)
    {
        var response = await client.SendAsync(HttpMethod.Get, $"/api/orders/{orderId}", token);
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"order: {await DescribeAsync(response)}");
        return await TicketFlashClient.ReadAsync<Order>(response);
    }

    /// <summary>Asserts an RFC 9457 problem: status, content type, and the stable type URI.</summary>
    public static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, int status, string slug, string? context = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        var where = $"{context} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}".Trim();
        Assert.True((int)response.StatusCode == status, $"{where}: expected {status} {slug}, got {(int)response.StatusCode}: {body}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == ProblemJson,
            $"{where}: expected content type {ProblemJson}, got '{response.Content.Headers.ContentType}': {body}");
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(ProblemTypeBase + slug, problem["type"]?.GetValue<string>());
        Assert.Equal(status, problem["status"]?.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()), $"{where}: problem without a title: {body}");
        return problem;
    }

    /// <summary>Polls until <paramref name="done"/> holds or the deadline passes (then fails with the last value seen).</summary>
    public static async Task<T> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what, int intervalMs = 250)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        while (true)
        {
            last = await probe();
            if (done(last)) return last;
            if (DateTime.UtcNow > deadline) break;
            await Task.Delay(intervalMs);
        }
        Assert.Fail($"{what}: not reached within {timeout}; last seen: {System.Text.Json.JsonSerializer.Serialize(last, TicketFlashClient.Json)}");
        return last;
    }

    public static async Task<string> DescribeAsync(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {response.Content.Headers.ContentType}: {await response.Content.ReadAsStringAsync()}";

    private static async Task<JsonObject> CreatedAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"expected 201: {await DescribeAsync(response)}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>(TicketFlashClient.Json))!;
    }
}
