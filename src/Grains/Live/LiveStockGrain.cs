using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Live;

namespace TicketFlash.Grains.Live;

/// <summary>
/// Per event: the latest stock of each section and the API nodes watching it. Holds no durable state: after a
/// failure, observers re-subscribe (they renew periodically) and inventories report again on their next change.
/// </summary>
[Reentrant]
public sealed class LiveStockGrain(TimeProvider clock, ILogger<LiveStockGrain> logger) : Grain, ILiveStockGrain
{
    private static readonly TimeSpan PushInterval = TimeSpan.FromMilliseconds(200);
    private readonly Dictionary<string, SectionAvailability> _sections = [];
    private readonly Dictionary<IAvailabilityObserver, DateTimeOffset> _observers = [];
    private bool _dirty;
    private bool _loaded;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(Push, PushInterval, PushInterval);
        return Task.CompletedTask;
    }

    public Task Report(SectionAvailability section)
    {
        _sections[section.SectionId] = section;
        _dirty = true;
        return Task.CompletedTask;
    }

    public async Task<AvailabilitySnapshot> Subscribe(IAvailabilityObserver observer)
    {
        _observers[observer] = clock.GetUtcNow() + ILiveStockGrain.SubscriptionLifetime;
        await LoadOnce();
        return Snapshot();
    }

    public Task Unsubscribe(IAvailabilityObserver observer)
    {
        _observers.Remove(observer);
        return Task.CompletedTask;
    }

    private async Task LoadOnce()
    {
        if (_loaded) return;
        var terms = await GrainFactory.Ref<IEventGrain>(this.GetPrimaryKey()).GetSaleTerms();
        var sections = await Task.WhenAll(terms.Sections.Select(s =>
            GrainFactory.Ref<IInventoryGrain>(InventoryKeys.For(this.GetPrimaryKey(), s.SectionId)).GetAvailability(false)));
        foreach (var section in sections) _sections.TryAdd(section.SectionId, section);
        _loaded = true;
    }

    private Task Push(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var expired in _observers.Where(o => o.Value < now).Select(o => o.Key).ToList()) _observers.Remove(expired);
        if (!_dirty || _observers.Count == 0) return Task.CompletedTask;
        _dirty = false;
        var snapshot = Snapshot();
        foreach (var observer in _observers.Keys.ToList())
        {
            try
            {
                observer.AvailabilityChanged(snapshot);
            }
            catch (Exception error)
            {
                logger.LogDebug(error, "Dropping an unreachable observer");
                _observers.Remove(observer);
            }
        }
        return Task.CompletedTask;
    }

    private AvailabilitySnapshot Snapshot() =>
        new(this.GetPrimaryKey(), [.. _sections.Values.OrderBy(s => s.SectionId, StringComparer.Ordinal)], clock.GetUtcNow());
}
