using Orleans.Concurrency;
using TicketFlash.Abstractions.Inventory;

namespace TicketFlash.Abstractions.Live;

[GenerateSerializer, Immutable, Alias("tf.AvailabilitySnapshot")]
public sealed record AvailabilitySnapshot(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] IReadOnlyList<SectionAvailability> Sections,
    [property: Id(2)] DateTimeOffset At);

/// <summary>Implemented by each API node; receives the stock of events it watches.</summary>
[Alias("tf.IAvailabilityObserver")]
public interface IAvailabilityObserver : IGrainObserver
{
    [Alias("AvailabilityChanged")]
    void AvailabilityChanged(AvailabilitySnapshot snapshot);
}

/// <summary>
/// Fans an event's stock changes out to the API nodes watching it. Inventories report here after each durable change;
/// pushes are coalesced so a hot on-sale doesn't flood clients.
/// </summary>
[Alias("tf.ILiveStockGrain")]
public interface ILiveStockGrain : IGrainWithGuidKey
{
    [OneWay, Alias("Report")]
    Task Report(SectionAvailability section);

    /// <summary>Subscribes (or renews) an observer; renew within <see cref="SubscriptionLifetime"/>.</summary>
    [Alias("Subscribe")]
    Task<AvailabilitySnapshot> Subscribe(IAvailabilityObserver observer);

    [Alias("Unsubscribe")]
    Task Unsubscribe(IAvailabilityObserver observer);

    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(2);
}
