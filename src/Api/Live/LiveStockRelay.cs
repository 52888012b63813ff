using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using TicketFlash.Abstractions.Live;

namespace TicketFlash.Api.Live;

/// <summary>
/// This API node's one observer of the cluster's live stock: subscribed to every event a client of this node watches,
/// renewed periodically (subscriptions expire so a dead node is forgotten), relayed to SignalR groups. No backplane:
/// each node hears from the cluster directly.
/// </summary>
public sealed class LiveStockRelay(IGrainFactory grains, IHubContext<LiveHub> hub, ILogger<LiveStockRelay> logger)
    : BackgroundService, IAvailabilityObserver
{
    private static readonly TimeSpan RenewEvery = ILiveStockGrain.SubscriptionLifetime / 3;
    private readonly ConcurrentDictionary<Guid, byte> _watched = new();
    private IAvailabilityObserver? _reference;

    public static string Group(Guid eventId) => $"event:{eventId:N}";

    public async Task<AvailabilitySnapshot> Watch(Guid eventId)
    {
        var snapshot = await grains.Ref<ILiveStockGrain>(eventId).Subscribe(Reference());
        _watched.TryAdd(eventId, 0);
        return snapshot;
    }

    public void AvailabilityChanged(AvailabilitySnapshot snapshot) =>
        _ = hub.Clients.Group(Group(snapshot.EventId)).SendAsync(LiveHub.AvailabilityChanged, snapshot);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RenewEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var eventId in _watched.Keys)
            {
                try
                {
                    await grains.Ref<ILiveStockGrain>(eventId).Subscribe(Reference());
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.LogWarning(error, "Renewing the live subscription of event {EventId} failed; retrying next round", eventId);
                }
            }
        }
    }

    private IAvailabilityObserver Reference() => _reference ??= grains.CreateObjectReference<IAvailabilityObserver>(this);
}
