using TicketFlash.Abstractions.Common;

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
    [property: Id(8)] IReadOnlyList<TicketTransition> History,
    [property: Id(9)] Guid? ListingId = null);

/// <summary>
/// A ticket, keyed by <see cref="Orders.OrderIds.TicketId"/>. It is issued by its order's confirmation (durable in the
/// order) and materializes its own state on first use, so a purchase does not pay one database write per ticket.
/// </summary>
[Alias("tf.ITicketGrain")]
public interface ITicketGrain : IGrainWithGuidKey
{
    /// <summary>Unchecked: for grains (issuer, listing, refund run) that decided access themselves. The API uses <see cref="Get(Actor)"/>.</summary>
    [Alias("Get")]
    Task<TicketDetails> GetUnchecked();

    /// <summary>The ticket, for its owner or an admin; anyone else is refused.</summary>
    [Alias("GetFor")]
    Task<TicketDetails> Get(Actor actor);

    /// <summary>The ticket if <paramref name="actor"/> owns it now, else null (a ticket received and passed on again).</summary>
    [Alias("GetIfOwnedBy")]
    Task<TicketDetails?> GetIfOwnedBy(Actor actor);

    /// <summary>The listing the owner (or an admin) may withdraw: the ticket must be listed now.</summary>
    [Alias("ListingToWithdraw")]
    Task<Guid> ListingToWithdraw(Actor actor);

    /// <summary>Every transition (who, when, why, from, to): for the owner, the event's organizer and admins.</summary>
    [Alias("GetHistory")]
    Task<IReadOnlyList<TicketTransition>> GetHistory(Actor actor);

    /// <summary>Organizer or admin, with a reason: refunds the ticket's price and returns the seat to the inventory.</summary>
    [Alias("Refund")]
    Task<TicketDetails> Refund(Actor actor, string reason);

    /// <summary>Organizer or admin, with a reason: the ticket stops being valid (no money moves).</summary>
    [Alias("Revoke")]
    Task<TicketDetails> Revoke(Actor actor, string reason);

    /// <summary>The owner gives the ticket to another user: a new serial voids the old code at once.</summary>
    [Alias("Transfer")]
    Task<TicketDetails> Transfer(Actor actor, string toUserId);

    /// <summary>
    /// The owner binds the device key (65-byte uncompressed P-256 point) that makes the ticket's device codes, replacing
    /// any device bound before; answers the event-signed certificate the device puts in each code. A transfer or resale
    /// unbinds it.
    /// </summary>
    [Alias("BindDevice")]
    Task<DeviceBinding> BindDevice(Actor actor, byte[] publicKey);

    /// <summary>The owner puts the ticket on the resale market at or under the event's cap; it can't be used meanwhile.</summary>
    [Alias("List")]
    Task<TicketDetails> List(Actor actor, decimal price);

    /// <summary>For the listing, before it charges a buyer: is the ticket still on the market under that listing?</summary>
    [Alias("IsListedUnder")]
    Task<bool> IsListedUnder(Guid listingId);

    /// <summary>For the listing, after the buyer paid: the ticket moves to the buyer with a new serial. Idempotent.</summary>
    [Alias("SellOnResale")]
    Task<TicketDetails> SellOnResale(Guid listingId, string buyerId);

    /// <summary>For the listing, after the seller withdrew it: the ticket is usable again. Idempotent.</summary>
    [Alias("Delist")]
    Task<TicketDetails> Delist(Guid listingId);

    /// <summary>
    /// For the refund run of a cancelled event: Cancelled, then its price back (Refunded). Idempotent. A resold ticket
    /// answers <c>ResalesToUnwind</c> until every listing it was sold on has unwound its sale.
    /// </summary>
    [Alias("CancelForEvent")]
    Task<Cancellation.CancellationRefund> CancelForEvent(string reason);

    /// <summary>The listings this ticket was sold on whose sale is not unwound yet, oldest first.</summary>
    [Alias("ResalesToUnwind")]
    Task<IReadOnlyList<Guid>> ResalesToUnwind();

    /// <summary>For the listing: its sale was unwound (buyer refunded, proceeds voided). Idempotent.</summary>
    [Alias("ResaleUnwound")]
    Task ResaleUnwound(Guid listingId);

    /// <summary>For the expiry run, after the event's check-in window closed: a live ticket becomes Expired. True if it did (now or before).</summary>
    [Alias("ExpireAfterEvent")]
    Task<bool> ExpireAfterEvent();

    /// <summary>Admits the ticket once; a second scan learns when and where the first one was.</summary>
    [Alias("CheckIn")]
    Task<CheckInOutcome> CheckIn(CheckInAttempt attempt);
}

/// <summary>A gate's answer. Never renumber: scanners store it.</summary>
public enum CheckInResult
{
    Admitted = 0,
    AlreadyCheckedIn = 1,
    Invalid = 2,
    Revoked = 3,
    WrongEvent = 4,
    TooEarly = 5,
    TooLate = 6,
    NotActive = 7,
}

[GenerateSerializer, Immutable, Alias("tf.CheckInAttempt")]
public sealed record CheckInAttempt(
    [property: Id(0)] uint Serial,
    [property: Id(1)] string Gate,
    [property: Id(2)] string DeviceId,
    [property: Id(3)] DateTimeOffset ScannedAt,
    [property: Id(4)] bool Offline = false,
    [property: Id(5)] byte[]? DeviceKey = null);

/// <summary>
/// A device bound to a ticket: the certificate (179 bytes) its codes carry, and the times it is good for. The device
/// signs a new code every <see cref="StepSeconds"/> seconds without asking the server.
/// </summary>
[GenerateSerializer, Immutable, Alias("tf.DeviceBinding")]
public sealed record DeviceBinding(
    [property: Id(0)] byte[] Certificate,
    [property: Id(1)] uint KeyId,
    [property: Id(2)] DateTimeOffset ValidFrom,
    [property: Id(3)] DateTimeOffset ValidTo,
    [property: Id(4)] int StepSeconds,
    [property: Id(5)] DateTimeOffset BoundAt);

[GenerateSerializer, Immutable, Alias("tf.CheckInOutcome")]
public sealed record CheckInOutcome(
    [property: Id(0)] CheckInResult Result,
    [property: Id(1)] Guid? TicketId,
    [property: Id(2)] string? SectionId,
    [property: Id(3)] string? SeatId,
    [property: Id(4)] TicketStatus? Status,
    [property: Id(5)] DateTimeOffset? FirstScanAt,
    [property: Id(6)] string? FirstGate,
    [property: Id(7)] string Detail,
    [property: Id(8)] string? DisplacedGate = null,
    [property: Id(9)] DateTimeOffset? DisplacedAt = null)
{
    /// <summary>An offline scan earlier than the recorded admission took its place ("first scan wins"): the other one became the duplicate.</summary>
    public bool DisplacedAnother => DisplacedAt is not null;
}

[GenerateSerializer, Immutable, Alias("tf.GateCount")]
public sealed record GateCount([property: Id(0)] string Gate, [property: Id(1)] int Admitted, [property: Id(2)] int Refused);

[GenerateSerializer, Immutable, Alias("tf.CheckInStats")]
public sealed record CheckInStats(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] int Admitted,
    [property: Id(2)] int Refused,
    [property: Id(3)] IReadOnlyList<GateCount> Gates,
    [property: Id(4)] IReadOnlyList<int> AdmittedPerMinute,
    [property: Id(5)] int OfflineScans = 0,
    [property: Id(6)] int Conflicts = 0);

/// <summary>The gate of one event: verifies codes (public keys only), asks the ticket to admit itself, counts.</summary>
[Alias("tf.ICheckInGrain")]
public interface ICheckInGrain : IGrainWithGuidKey
{
    [Alias("Scan")]
    Task<CheckInOutcome> Scan(Actor actor, string code, string gate, string deviceId, DateTimeOffset? scannedAt);

    [Alias("GetStats")]
    Task<CheckInStats> GetStats(Actor actor);

    /// <summary>What a scanner needs to decide alone: public keys, the check-in window, and ticket changes since a token.</summary>
    [Alias("GetBundle")]
    Task<CheckIn.OfflineBundle> GetBundle(Actor actor, long since);

    /// <summary>Scans a device made offline, reconciled "first scan wins" (earliest scannedAt); one result per scan, in order.</summary>
    [Alias("Sync")]
    Task<IReadOnlyList<CheckIn.SyncedScanResult>> Sync(Actor actor, string deviceId, string gate, IReadOnlyList<CheckIn.OfflineScan> scans);

    /// <summary>Tickets admitted twice (at least once offline): for the organizer.</summary>
    [Alias("GetConflicts")]
    Task<IReadOnlyList<CheckIn.CheckInConflict>> GetConflicts(Actor actor);
}
