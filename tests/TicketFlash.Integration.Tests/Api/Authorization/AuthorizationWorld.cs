using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TicketFlash.Integration.Tests.Infrastructure;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Api.Authorization;

/// <summary>Who calls, in the matrix's column order.</summary>
public enum Caller
{
    Anonymous,
    Fan,
    OtherFan,
    Organizer,
    OtherOrganizer,
    Venue,
    OtherVenue,
    Artist,
    Admin,
}

/// <summary>
/// The matrix's fixtures, made once per cluster: tenant A (venue, an open event with a listing) and tenant B, one token per
/// <see cref="Caller"/>, and the fan's order and ticket. Rows whose write succeeds ask for fresh fixtures
/// (<see cref="FreshTicketAsync"/> and friends), so no cell changes what a later cell sees.
/// </summary>
public sealed class AuthorizationWorld
{
    private readonly Dictionary<Caller, string?> _tokens = [];
    private Guid _freshEvent;
    private int _freshUsed;

    private AuthorizationWorld(TicketFlashClient api) => Api = api;

    public TicketFlashClient Api { get; }

    public string TenantA { get; } = Unique("tenant-a");

    public string TenantB { get; } = Unique("tenant-b");

    /// <summary>The fan's user id (token subject): no other caller's answer may contain it.</summary>
    public string FanId { get; } = Unique("fan");

    public string OtherFanId { get; } = Unique("other-fan");

    public Guid VenueId { get; private set; }

    public Guid EventId { get; private set; }

    public Guid OrderId { get; private set; }

    public Guid TicketId { get; private set; }

    public Guid ListingId { get; private set; }

    public string? Token(Caller caller) => _tokens[caller];

    public string Organizer => _tokens[Caller.Organizer]!;

    public string Fan => _tokens[Caller.Fan]!;

    public static async Task<AuthorizationWorld> CreateAsync(TicketFlashClient api)
    {
        var w = new AuthorizationWorld(api);
        w._tokens[Caller.Anonymous] = null;
        w._tokens[Caller.Fan] = await api.TokenAsync(w.FanId, ["fan"]);
        w._tokens[Caller.OtherFan] = await api.TokenAsync(w.OtherFanId, ["fan"]);
        w._tokens[Caller.Organizer] = await api.TokenAsync(Unique("org-a"), ["organizer"], w.TenantA);
        w._tokens[Caller.OtherOrganizer] = await api.TokenAsync(Unique("org-b"), ["organizer"], w.TenantB);
        w._tokens[Caller.Venue] = await api.TokenAsync(Unique("staff-a"), ["venue"], w.TenantA);
        w._tokens[Caller.OtherVenue] = await api.TokenAsync(Unique("staff-b"), ["venue"], w.TenantB);
        w._tokens[Caller.Artist] = await api.TokenAsync(Unique("artist-a"), ["artist"], w.TenantA);
        w._tokens[Caller.Admin] = await api.TokenAsync(Unique("admin"), ["admin"]);

        w.VenueId = await api.CreateVenueAsync(w.Organizer, new { id = "lawn", name = "Lawn", capacity = 5000 });
        w.EventId = await w.NewEventAsync(open: true);
        var order = await w.BuyAsync(w.EventId);
        (w.OrderId, w.TicketId) = (order.OrderId, order.Tickets[0].TicketId);
        w.ListingId = await w.ListAsync((await w.BuyAsync(w.EventId)).Tickets[0].TicketId);
        return w;
    }

    public Task<HttpResponseMessage> Send(HttpMethod method, string path, string? token, object? body = null, string? idempotencyKey = null) =>
        Api.SendAsync(method, path, token, body, idempotencyKey);

    /// <summary>An event of tenant A over its venue: many places, a high per-customer limit, starting in ten days.</summary>
    public Task<Guid> NewEventAsync(bool open) =>
        Api.CreateEventAsync(Organizer, VenueId, ["lawn"], perCustomerLimit: 100, open: open, price: 40m, resaleCapPercent: 100);

    /// <summary>A held order of the fan (on an event for fresh fixtures, so the shared event's limits stay untouched).</summary>
    public async Task<Guid> FreshHeldOrderAsync() => (await Api.HoldAsync(Fan, await FreshEventAsync(), 1, "lawn")).OrderId;

    /// <summary>A paid ticket of the fan, nobody else has touched.</summary>
    public async Task<Guid> FreshTicketAsync() => (await BuyAsync(await FreshEventAsync())).Tickets[0].TicketId;

    /// <summary>A listing of a fresh ticket of the fan, at 10 EUR.</summary>
    public async Task<Guid> FreshListingAsync() => await ListAsync(await FreshTicketAsync());

    /// <summary>A fresh ticket of the fan, listed; answers the ticket id.</summary>
    public async Task<Guid> FreshListedTicketAsync()
    {
        var ticket = await FreshTicketAsync();
        await ListAsync(ticket);
        return ticket;
    }

    /// <summary>The fan's 65-byte uncompressed P-256 device key, as the web app sends it.</summary>
    public static string DeviceKey()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var q = ec.ExportParameters(false).Q;
        return Convert.ToBase64String([0x04, .. q.X!, .. q.Y!]);
    }

    private async Task<Guid> FreshEventAsync()
    {
        // The fan's per-customer limit (100) is per event: a new event well before it is reached.
        if (_freshEvent == Guid.Empty || _freshUsed >= 80)
        {
            _freshEvent = await NewEventAsync(open: true);
            _freshUsed = 0;
        }
        _freshUsed++;
        return _freshEvent;
    }

    private async Task<Order> BuyAsync(Guid eventId)
    {
        var held = await Api.HoldAsync(Fan, eventId, 1, "lawn");
        var paid = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{held.OrderId}/pay", Fan);
        if (paid.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"pay: {await DescribeAsync(paid)}");
        return await TicketFlashClient.ReadAsync<Order>(paid);
    }

    private async Task<Guid> ListAsync(Guid ticketId)
    {
        var listed = await Api.SendAsync(HttpMethod.Post, $"/api/tickets/{ticketId}/listings", Fan, new { price = 10m });
        if (listed.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"list: {await DescribeAsync(listed)}");
        return (await listed.Content.ReadFromJsonAsync<JsonObject>(TicketFlashClient.Json))!["terms"]!["listingId"]!.GetValue<Guid>();
    }
}
