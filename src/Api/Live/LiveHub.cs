using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using TicketFlash.Abstractions.Live;

namespace TicketFlash.Api.Live;

/// <summary>Live stock. <c>WatchEvent(eventId)</c> joins the event's group; clients then receive <c>availabilityChanged</c>.</summary>
[AllowAnonymous] // stock levels are public, like GET /api/events/{id}/availability
public sealed class LiveHub(LiveStockRelay relay) : Hub
{
    public const string Path = "/hubs/live";
    public const string AvailabilityChanged = "availabilityChanged";

    public async Task<AvailabilitySnapshot> WatchEvent(Guid eventId)
    {
        var snapshot = await relay.Watch(eventId);
        await Groups.AddToGroupAsync(Context.ConnectionId, LiveStockRelay.Group(eventId));
        return snapshot;
    }

    public Task UnwatchEvent(Guid eventId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, LiveStockRelay.Group(eventId));
}
