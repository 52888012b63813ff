using System.Text.Json.Serialization;

namespace TicketFlash.Abstractions.Streams;

/// <summary>
/// Something a grain made durable and others care about. <see cref="Id"/> is unique per occurrence and stable across
/// re-publication, so at-least-once delivery lets consumers deduplicate.
/// </summary>
[GenerateSerializer, Immutable, Alias("tf.DomainEvent")]
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(EventOpened), "EventOpened")]
[JsonDerivedType(typeof(EventStatusChanged), "EventStatusChanged")]
[JsonDerivedType(typeof(SeatsHeld), "SeatsHeld")]
[JsonDerivedType(typeof(SeatsReleased), "SeatsReleased")]
[JsonDerivedType(typeof(SeatsSold), "SeatsSold")]
[JsonDerivedType(typeof(OrderConfirmed), "OrderConfirmed")]
[JsonDerivedType(typeof(OrderClosed), "OrderClosed")]
[JsonDerivedType(typeof(TicketIssued), "TicketIssued")]
public abstract record DomainEvent(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid EventId,
    [property: Id(2)] DateTimeOffset OccurredAt);

[GenerateSerializer, Immutable, Alias("tf.EventOpened")]
public sealed record EventOpened(Guid Id, Guid EventId, DateTimeOffset OccurredAt, [property: Id(0)] string Name)
    : DomainEvent(Id, EventId, OccurredAt);

[GenerateSerializer, Immutable, Alias("tf.EventStatusChanged")]
public sealed record EventStatusChanged(Guid Id, Guid EventId, DateTimeOffset OccurredAt, [property: Id(0)] string Status)
    : DomainEvent(Id, EventId, OccurredAt);

[GenerateSerializer, Immutable, Alias("tf.SeatsHeld")]
public sealed record SeatsHeld(
    Guid Id, Guid EventId, DateTimeOffset OccurredAt,
    [property: Id(0)] string SectionId, [property: Id(1)] Guid OrderId, [property: Id(2)] int Quantity, [property: Id(3)] IReadOnlyList<string> Seats)
    : DomainEvent(Id, EventId, OccurredAt);

[GenerateSerializer, Immutable, Alias("tf.SeatsReleased")]
public sealed record SeatsReleased(
    Guid Id, Guid EventId, DateTimeOffset OccurredAt,
    [property: Id(0)] string SectionId, [property: Id(1)] Guid OrderId, [property: Id(2)] int Quantity, [property: Id(3)] IReadOnlyList<string> Seats)
    : DomainEvent(Id, EventId, OccurredAt);

[GenerateSerializer, Immutable, Alias("tf.SeatsSold")]
public sealed record SeatsSold(
    Guid Id, Guid EventId, DateTimeOffset OccurredAt,
    [property: Id(0)] string SectionId, [property: Id(1)] Guid OrderId, [property: Id(2)] int Quantity, [property: Id(3)] IReadOnlyList<string> Seats)
    : DomainEvent(Id, EventId, OccurredAt);

[GenerateSerializer, Immutable, Alias("tf.OrderConfirmed")]
public sealed record OrderConfirmed(
    Guid Id, Guid EventId, DateTimeOffset OccurredAt,
    [property: Id(0)] Guid OrderId, [property: Id(1)] string CustomerId, [property: Id(2)] int Quantity,
    [property: Id(3)] decimal Total, [property: Id(4)] string Currency)
    : DomainEvent(Id, EventId, OccurredAt);

[GenerateSerializer, Immutable, Alias("tf.OrderClosed")]
public sealed record OrderClosed(
    Guid Id, Guid EventId, DateTimeOffset OccurredAt,
    [property: Id(0)] Guid OrderId, [property: Id(1)] string Status)
    : DomainEvent(Id, EventId, OccurredAt);

[GenerateSerializer, Immutable, Alias("tf.TicketIssued")]
public sealed record TicketIssued(
    Guid Id, Guid EventId, DateTimeOffset OccurredAt,
    [property: Id(0)] Guid TicketId, [property: Id(1)] Guid OrderId, [property: Id(2)] string OwnerId,
    [property: Id(3)] string SectionId, [property: Id(4)] string? SeatId)
    : DomainEvent(Id, EventId, OccurredAt);

public static class DomainStreams
{
    /// <summary>The stream provider every grain publishes on (memory streams in development).</summary>
    public const string Provider = "domain";

    /// <summary>Sales activity of one event: stream key = the event id.</summary>
    public const string SalesNamespace = "sales";

    public static StreamId SalesOf(Guid eventId) => StreamId.Create(SalesNamespace, eventId);
}
