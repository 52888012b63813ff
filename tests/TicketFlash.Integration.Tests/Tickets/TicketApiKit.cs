using System.Net;
using TicketFlash.Integration.Tests.Infrastructure;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Tickets;

/// <summary>One tenant's organizer and venue staff, with an event whose gates are open now (it starts in 30 minutes).</summary>
public sealed record GateWorld(string Tenant, string Organizer, string Staff, Guid VenueId, Guid EventId);

/// <summary>Shortcuts over the ticket, gate and resale routes for tests that are about something else.</summary>
public static class TicketApiKit
{
    public static async Task<GateWorld> CreateGateWorldAsync(this TicketFlashClient api, string prefix, decimal price = 30m, int? resaleCapPercent = null)
    {
        var tenant = Unique(prefix);
        var organizer = await api.TokenAsync(Unique("org"), ["organizer"], tenant);
        var staff = await api.TokenAsync(Unique("gatekeeper"), ["venue"], tenant);
        var venueId = await api.CreateVenueAsync(organizer, new { id = "lawn", name = "Lawn", capacity = 500 });
        var eventId = await api.CreateEventAsync(organizer, venueId, ["lawn"], price: price, startsAt: DateTimeOffset.UtcNow.AddMinutes(30),
            resaleCapPercent: resaleCapPercent);
        return new GateWorld(tenant, organizer, staff, venueId, eventId);
    }

    /// <summary>A new fan buys and pays <paramref name="quantity"/> places; returns the fan's token and the order.</summary>
    public static async Task<(string Fan, Order Order)> BuyAsync(this TicketFlashClient api, Guid eventId, int quantity, string section = "lawn")
    {
        var fan = await api.TokenAsync(Unique("fan"), ["fan"]);
        var held = await api.HoldAsync(fan, eventId, quantity, section);
        var paid = await api.SendAsync(HttpMethod.Post, $"/api/orders/{held.OrderId}/pay", fan);
        Assert.True(paid.StatusCode == HttpStatusCode.OK, await DescribeAsync(paid));
        return (fan, await TicketFlashClient.ReadAsync<Order>(paid));
    }

    public static async Task<string> CodeAsync(this TicketFlashClient api, string holder, Guid ticketId)
    {
        var response = await api.SendAsync(HttpMethod.Get, $"/api/tickets/{ticketId}/code", holder);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await DescribeAsync(response));
        return (await TicketFlashClient.ReadAsync<TicketCodeBody>(response)).Code;
    }

    public static async Task<CheckInBody> ScanAsync(this TicketFlashClient api, string staff, Guid eventId, string code, string gate = "A")
    {
        var response = await api.SendAsync(HttpMethod.Post, "/api/checkin", staff, new { eventId, code, gate, deviceId = $"scanner-{gate}" });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await DescribeAsync(response));
        return await TicketFlashClient.ReadAsync<CheckInBody>(response);
    }

    public static async Task<TicketBody> TicketAsync(this TicketFlashClient api, string token, Guid ticketId)
    {
        var response = await api.SendAsync(HttpMethod.Get, $"/api/tickets/{ticketId}", token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await DescribeAsync(response));
        return await TicketFlashClient.ReadAsync<TicketBody>(response);
    }
}
