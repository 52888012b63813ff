using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Live;

namespace TicketFlash.Grains.Live;

/// <summary>
/// Per event: the latest stock of each section and the API nodes watching it. Holds no durable state: after a
/// failure, observers re-subscribe (they renew periodically) and inventories report again on their next change; the
/// first push then starts from the inventory's last report (<see cref="SectionSeatChanges.FromVersion"/>), so a client
/// that missed changes sees the gap and refetches. Coalescing: see <see cref="LiveSections"/>.
/// </summary>
[Reentrant]
public sealed class LiveStockGrain(TimeProvider clock, ILogger<LiveStockGrain> logger) : Grain, ILiveStockGrain
{
    private static readonly TimeSpan PushInterval = TimeSpan.FromMilliseconds(200);
    private readonly LiveSections _sections = new();
    private readonly Dictionary<IAvailabilityObserver, DateTimeOffset> _observers = [];
    private bool _loaded;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(Push, PushInterval, PushInterval);
        return Task.CompletedTask;
    }

    public Task Report(SectionAvailability section)
    {
        _sections.ReportCounts(section);
        return Task.CompletedTask;
    }

    public Task ReportChanges(SectionAvailability section, SectionSeatChanges? seats)
    {
        _sections.Report(section, seats);
        return Task.CompletedTask;
    }

    public async Task<AvailabilitySnapshot> Subscribe(IAvailabilityObserver observer)
    {
        _observers[observer] = clock.GetUtcNow() + ILiveStockGrain.SubscriptionLifetime;
        await LoadOnce();
        return _sections.Snapshot(this.GetPrimaryKey(), clock.GetUtcNow());
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
        foreach (var section in sections) _sections.Load(section);
        _loaded = true;
    }

    private Task Push(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var expired in _observers.Where(o => o.Value < now).Select(o => o.Key).ToList()) _observers.Remove(expired);
        if (!_sections.Dirty) return Task.CompletedTask;
        // Taken even with nobody watching, so unseen changes don't pile up; a later subscriber fetches the seats anyway.
        var snapshot = _sections.TakePush(this.GetPrimaryKey(), now);
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
}
