using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TicketFlash.Integration.Tests.Infrastructure;

public sealed record SectionAvailability(string SectionId, int Capacity, int Available, int Held, int Sold);

public sealed record Availability(Guid EventId, List<SectionAvailability> Sections)
{
    public int Sold => Sections.Sum(s => s.Sold);

    public int Held => Sections.Sum(s => s.Held);
}

public sealed record Ticket(Guid TicketId, Guid OrderId, string SectionId, string? SeatId, string OwnerId);

public sealed record Order(Guid OrderId, string CustomerId, Guid EventId, string SectionId, string Status, List<string> Seats, int Quantity,
    decimal Total, string Currency, DateTimeOffset ExpiresAt, List<Ticket> Tickets);

public sealed record Problem(string? Type, string? Title, int? Status, string? Detail);

/// <summary>The public HTTP API as the tests use it: real requests against a running API node.</summary>
public sealed class TicketFlashClient(Uri baseUrl) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = baseUrl,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public HttpClient Http => _http;

    public async Task<string> TokenAsync(string sub, string[] roles, string? tenant = null)
    {
        var response = await _http.PostAsJsonAsync("/api/dev/token", new { sub, roles, tenant }, Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Json))!["accessToken"]!.GetValue<string>();
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        return _http.SendAsync(request);
    }

    /// <summary>Creates a venue and an event over it and opens the sale; returns the event id.</summary>
    public async Task<Guid> CreateOpenEventAsync(string organizerToken, object[] sections, string[] sectionIds, int perCustomerLimit = 10, double holdMinutes = 10)
    {
        var venue = await Created(await SendAsync(HttpMethod.Post, "/api/venues", organizerToken, new { name = "Test Arena", sections }));
        var starts = DateTimeOffset.UtcNow.AddDays(10);
        var evt = await Created(await SendAsync(HttpMethod.Post, "/api/events", organizerToken, new
        {
            name = "Test Night",
            venueId = venue["id"]!.GetValue<Guid>(),
            startsAt = starts,
            endsAt = starts.AddHours(3),
            tiers = new[] { new { id = "std", name = "Standard", price = 40m, currency = "EUR", sections = sectionIds } },
            perCustomerLimit,
            holdMinutes,
        }));
        var id = evt["id"]!.GetValue<Guid>();
        (await SendAsync(HttpMethod.Post, $"/api/events/{id}/open-sale", organizerToken)).EnsureSuccessStatusCode();
        return id;
    }

    public async Task<Availability> AvailabilityAsync(Guid eventId) =>
        (await _http.GetFromJsonAsync<Availability>($"/api/events/{eventId}/availability", Json))!;

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(Json)) ?? throw new InvalidOperationException("Empty body");

    private static async Task<JsonObject> Created(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"Expected 201, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Json))!;
    }

    public void Dispose() => _http.Dispose();
}
