namespace TicketFlash.Abstractions.Tickets;

/// <summary>
/// One vocabulary for a place's whole life. Available and Reserved are the inventory's view before sale;
/// the Ticket grain's own life starts at Sold. Never renumber: stored in grain state.
/// </summary>
public enum TicketStatus
{
    Available = 0,
    Reserved = 1,
    Sold = 2,
    Minted = 3,
    Active = 4,
    Transferred = 5,
    Listed = 6,
    CheckedIn = 7,
    Expired = 8,
    Cancelled = 9,
    Refunded = 10,
    Revoked = 11,
}

[GenerateSerializer, Immutable, Alias("tf.TicketTransition")]
public sealed record TicketTransition(
    [property: Id(0)] TicketStatus From,
    [property: Id(1)] TicketStatus To,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string By,
    [property: Id(4)] string Reason);

[GenerateSerializer, Immutable, Alias("tf.TicketDetails")]
public sealed record TicketDetails(
    [property: Id(0)] Guid TicketId,
    [property: Id(1)] Guid OrderId,
    [property: Id(2)] Guid EventId,
    [property: Id(3)] string SectionId,
    [property: Id(4)] string? SeatId,
    [property: Id(5)] string OwnerId,
    [property: Id(6)] TicketStatus Status,
    [property: Id(7)] int Serial,
    [property: Id(8)] IReadOnlyList<TicketTransition> History);

/// <summary>
/// A ticket, keyed by <see cref="Orders.OrderIds.TicketId"/>. It is issued by its order's confirmation (durable in the
/// order) and materializes its own state on first use, so a purchase does not pay one database write per ticket.
/// </summary>
[Alias("tf.ITicketGrain")]
public interface ITicketGrain : IGrainWithGuidKey
{
    [Alias("Get")]
    Task<TicketDetails> Get();
}
