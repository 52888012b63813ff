using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Venues;

namespace TicketFlash.Abstractions.Inventory;

/// <summary>A seat's (or a GA place's) state as the inventory sees it: the life before the Ticket grain's.</summary>
public enum SeatStatus
{
    Available = 0,
    Reserved = 1,
    Sold = 2,
}

[GenerateSerializer, Immutable, Alias("tf.HoldRequest")]
public sealed record HoldRequest(
    [property: Id(0)] Guid OrderId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] int Quantity,
    [property: Id(3)] IReadOnlyList<string>? Seats,
    [property: Id(4)] DateTimeOffset ExpiresAt);

[GenerateSerializer, Immutable, Alias("tf.HoldResult")]
public sealed record HoldResult(
    [property: Id(0)] Guid OrderId,
    [property: Id(1)] IReadOnlyList<string> Seats,
    [property: Id(2)] DateTimeOffset ExpiresAt);

[GenerateSerializer, Immutable, Alias("tf.SeatState")]
public sealed record SeatState(
    [property: Id(0)] string SeatId,
    [property: Id(1)] SeatStatus Status);

[GenerateSerializer, Immutable, Alias("tf.SectionAvailability")]
public sealed record SectionAvailability(
    [property: Id(0)] string SectionId,
    [property: Id(1)] int Capacity,
    [property: Id(2)] int Available,
    [property: Id(3)] int Held,
    [property: Id(4)] int Sold,
    [property: Id(5)] IReadOnlyList<SeatState>? Seats)
{
    /// <summary>
    /// The section's count of durable writes (stored with its state, so it only grows, across activations too). The
    /// counts and seats above are those of this write, so a client that fetched the seats can drop every live delta
    /// whose version is not greater.
    /// </summary>
    [Id(6)]
    public long Version { get; init; }
}

[GenerateSerializer, Immutable, Alias("tf.SoldOrder")]
public sealed record SoldOrder([property: Id(0)] Guid OrderId, [property: Id(1)] int Quantity);

[GenerateSerializer, Immutable, Alias("tf.SoldOrdersPage")]
public sealed record SoldOrdersPage([property: Id(0)] int Total, [property: Id(1)] IReadOnlyList<SoldOrder> Orders);

[GenerateSerializer, Immutable, Alias("tf.InventorySetup")]
public sealed record InventorySetup(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] SectionDefinition Section);

/// <summary>One section of one event. Key: <see cref="InventoryKeys.For"/>.</summary>
[Alias("tf.IInventoryGrain")]
public interface IInventoryGrain : IGrainWithStringKey
{
    [Alias("Initialize")]
    Task Initialize(InventorySetup setup);

    /// <summary>Holds seats for an order; idempotent by order id (a retry returns the same seats).</summary>
    [Alias("Hold")]
    Task<HoldResult> Hold(HoldRequest request);

    /// <summary>Turns the order's hold into sold seats; idempotent.</summary>
    [Alias("Commit")]
    Task Commit(Guid orderId);

    /// <summary>Releases the order's hold (not sold seats); idempotent.</summary>
    [Alias("Release")]
    Task Release(Guid orderId);

    /// <summary>Puts a refunded ticket's place back on sale; idempotent by ticket id.</summary>
    [Alias("ReturnSeat")]
    Task ReturnSeat(Guid ticketId, string? seatId);

    [Alias("GetAvailability")]
    Task<SectionAvailability> GetAvailability(bool includeSeats);

    /// <summary>The section's sales in the order they happened (append-only, so a position is a stable cursor).</summary>
    [Alias("GetSoldOrders")]
    Task<SoldOrdersPage> GetSoldOrders(int from, int max);
}

public static class InventoryKeys
{
    public static string For(Guid eventId, string sectionId) => $"{eventId:N}/{sectionId}";
}
