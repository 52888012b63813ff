using Orleans.Concurrency;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Venues;

namespace TicketFlash.Abstractions.Events;

/// <summary>An event's sale status. Never renumber: stored in grain state.</summary>
public enum EventStatus
{
    Draft = 0,
    OnSale = 1,
    Paused = 2,
    SoldOut = 3,
    Ended = 4,
    Cancelled = 5,
}

[GenerateSerializer, Immutable, Alias("tf.PriceTier")]
public sealed record PriceTier(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] decimal Price,
    [property: Id(3)] string Currency,
    [property: Id(4)] IReadOnlyList<string> Sections);

[GenerateSerializer, Immutable, Alias("tf.CreateEventCommand")]
public sealed record CreateEventCommand(
    [property: Id(0)] string Name,
    [property: Id(1)] Guid VenueId,
    [property: Id(2)] DateTimeOffset StartsAt,
    [property: Id(3)] DateTimeOffset EndsAt,
    [property: Id(4)] IReadOnlyList<PriceTier> Tiers,
    [property: Id(5)] int PerCustomerLimit,
    [property: Id(6)] TimeSpan HoldDuration,
    [property: Id(7)] double TransferFreezeHours = 0,
    [property: Id(8)] int ResaleCapPercent = EventDefaults.ResaleCapPercent);

public static class EventDefaults
{
    /// <summary>Resale at up to face value unless the organizer says otherwise.</summary>
    public const int ResaleCapPercent = 100;

    public const int MaxResaleCapPercent = 1000;
}

/// <summary>What an order needs to know to sell a section: its price and the event's rules.</summary>
[GenerateSerializer, Immutable, Alias("tf.SectionOffer")]
public sealed record SectionOffer(
    [property: Id(0)] string SectionId,
    [property: Id(1)] string TierId,
    [property: Id(2)] decimal Price,
    [property: Id(3)] string Currency,
    [property: Id(4)] bool IsReservedSeating,
    [property: Id(5)] int Capacity);

[GenerateSerializer, Immutable, Alias("tf.SaleTerms")]
public sealed record SaleTerms(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] EventStatus Status,
    [property: Id(2)] int PerCustomerLimit,
    [property: Id(3)] TimeSpan HoldDuration,
    [property: Id(4)] IReadOnlyList<SectionOffer> Sections,
    [property: Id(5)] string Tenant);

[GenerateSerializer, Immutable, Alias("tf.EventDetails")]
public sealed record EventDetails(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Tenant,
    [property: Id(2)] string Name,
    [property: Id(3)] Guid VenueId,
    [property: Id(4)] DateTimeOffset StartsAt,
    [property: Id(5)] DateTimeOffset EndsAt,
    [property: Id(6)] EventStatus Status,
    [property: Id(7)] IReadOnlyList<PriceTier> Tiers,
    [property: Id(8)] IReadOnlyList<SectionDefinition> Sections,
    [property: Id(9)] int PerCustomerLimit,
    [property: Id(10)] double HoldMinutes,
    [property: Id(11)] double TransferFreezeHours = 0,
    [property: Id(12)] int ResaleCapPercent = EventDefaults.ResaleCapPercent)
{
    /// <summary>The face value of a place in <paramref name="sectionId"/>: the price of the tier that sells it.</summary>
    public PriceTier? TierOf(string sectionId) => Tiers.FirstOrDefault(t => t.Sections.Contains(sectionId));
}

[Alias("tf.IEventGrain")]
public interface IEventGrain : IGrainWithGuidKey
{
    [Alias("Create")]
    Task<EventDetails> Create(Actor actor, CreateEventCommand command);

    [ReadOnly, Alias("Get")]
    Task<EventDetails> Get();

    [ReadOnly, Alias("GetSaleTerms")]
    Task<SaleTerms> GetSaleTerms();

    [Alias("ChangeStatus")]
    Task<EventDetails> ChangeStatus(Actor actor, EventStatus target);

    /// <summary>The progress of the event's refund run (NotStarted unless cancelled): for the event's staff and admins.</summary>
    [Alias("GetRefundProgress")]
    Task<Cancellation.RefundProgress> GetRefundProgress(Actor actor);
}

/// <summary>The list of events, for browsing. One grain: events are created rarely, read often.</summary>
[Alias("tf.IEventCatalogGrain")]
public interface IEventCatalogGrain : IGrainWithStringKey
{
    public const string Key = "all";

    [Alias("Upsert")]
    Task Upsert(EventDetails details);

    [Alias("List")]
    Task<IReadOnlyList<EventDetails>> List();
}
