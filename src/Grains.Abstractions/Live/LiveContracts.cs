using Orleans.Concurrency;
using TicketFlash.Abstractions.Inventory;

namespace TicketFlash.Abstractions.Live;

/// <summary>
/// An event's stock: every section's counts and version, plus, in a push, the seats of reserved sections that changed
/// since the previous push. Seat changes travel instead of clients refetching <c>?seats=true</c>: with 10,000 watchers,
/// refetching a section's whole seat list once a second is ~10,000 requests/s of the full map (tens of KB each) through
/// the API and the inventory grains during the on-sale; a coalesced delta is one small message per push interval per
/// API node, fanned out by SignalR, and costs the inventory nothing extra per read.
/// </summary>
[GenerateSerializer, Immutable, Alias("tf.AvailabilitySnapshot")]
public sealed record AvailabilitySnapshot(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] IReadOnlyList<SectionAvailability> Sections,
    [property: Id(2)] DateTimeOffset At)
{
    /// <summary>Reserved sections whose seats changed since the previous push; empty in a subscription's snapshot.</summary>
    [Id(3)]
    public IReadOnlyList<SectionSeatChanges> SeatChanges { get; init; } = [];
}

/// <summary>
/// The seats of one reserved section that changed between two versions, last state per seat. A client holding the
/// section at version v (from <c>?seats=true</c> or earlier pushes) applies <see cref="Seats"/> when
/// <see cref="FromVersion"/> ≤ v &lt; <see cref="Version"/>; it refetches the section when <see cref="Resync"/> is set or
/// when <see cref="FromVersion"/> &gt; v (it missed a change, e.g. the live grain restarted).
/// </summary>
[GenerateSerializer, Immutable, Alias("tf.SectionSeatChanges")]
public sealed record SectionSeatChanges(
    [property: Id(0)] string SectionId,
    [property: Id(1)] long FromVersion,
    [property: Id(2)] long Version,
    [property: Id(3)] bool Resync,
    [property: Id(4)] IReadOnlyList<SeatState> Seats)
{
    /// <summary>More changed seats than this in one push become a resync marker: bounded memory and message size.</summary>
    public const int MaxSeats = 2000;

    public static SectionSeatChanges ResyncMarker(string sectionId, long fromVersion, long version) => new(sectionId, fromVersion, version, true, []);
}

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
    /// <summary>Counts only: what inventories of silos that predate seat changes send (kept for rolling upgrades).</summary>
    [OneWay, Alias("Report")]
    Task Report(SectionAvailability section);

    /// <summary>A section's counts at a durable write, and for reserved seating the seats changed since its previous report.</summary>
    [OneWay, Alias("ReportChanges")]
    Task ReportChanges(SectionAvailability section, SectionSeatChanges? seats);

    /// <summary>Subscribes (or renews) an observer; renew within <see cref="SubscriptionLifetime"/>.</summary>
    [Alias("Subscribe")]
    Task<AvailabilitySnapshot> Subscribe(IAvailabilityObserver observer);

    [Alias("Unsubscribe")]
    Task Unsubscribe(IAvailabilityObserver observer);

    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(2);
}
