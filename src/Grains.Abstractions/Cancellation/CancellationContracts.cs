using Orleans.Concurrency;

namespace TicketFlash.Abstractions.Cancellation;

/// <summary>Where an event's refund run is. Never renumber: stored in grain state.</summary>
public enum RefundRunStatus
{
    NotStarted = 0,
    Running = 1,
    Completed = 2,
}

/// <summary>What a cancellation did to one ticket. Never renumber.</summary>
public enum CancellationRefund
{
    /// <summary>Cancelled and its price returned by this cancellation (now, or by an earlier attempt of the same run).</summary>
    Refunded = 0,

    /// <summary>Refunded before the cancellation (a single refund by the organizer): nothing more to return.</summary>
    AlreadyRefunded = 1,

    /// <summary>Used, revoked or expired: no money goes back.</summary>
    NotRefundable = 2,

    /// <summary>
    /// No longer answered: runs before resales were unwound automatically left resold tickets here for the organizer.
    /// Kept so their stored counts still read.
    /// </summary>
    NeedsManualRefund = 3,

    /// <summary>
    /// Cancelled (its code refused) and resold, with resales not yet unwound: returning the original order's price first
    /// would pay the wrong person. The refund run unwinds each resale (<c>IListingGrain.UnwindForCancellation</c>) and asks again.
    /// </summary>
    ResalesToUnwind = 4,

    /// <summary>Cancelled; every resale unwound (each buyer's payment returned, each seller's proceeds voided), then the original order's price returned.</summary>
    RefundedWithResalesUnwound = 5,
}

[GenerateSerializer, Immutable, Alias("tf.RefundProgress")]
public sealed record RefundProgress(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] RefundRunStatus Status,
    [property: Id(2)] int Sections,
    [property: Id(3)] int SectionsDone,
    [property: Id(4)] int OrdersVisited,
    [property: Id(5)] int TicketsRefunded,
    [property: Id(6)] int TicketsAlreadyRefunded,
    [property: Id(7)] int TicketsNotRefundable,
    [property: Id(8)] DateTimeOffset? StartedAt,
    [property: Id(9)] DateTimeOffset? CompletedAt,
    [property: Id(10)] string? LastError,
    [property: Id(11)] int TicketsWaiting = 0,
    [property: Id(12)] int TicketsNeedingManualRefund = 0,
    [property: Id(13)] int TicketsWithResalesUnwound = 0);

/// <summary>
/// The refund run of one cancelled event (keyed by event id): walks every section's sold orders with a stored cursor,
/// cancels and refunds each ticket (idempotent per ticket), and survives restarts (a reminder brings it back).
/// </summary>
[Alias("tf.IRefundRunGrain")]
public interface IRefundRunGrain : IGrainWithGuidKey
{
    /// <summary>Called by the event once its Cancelled status is stored; idempotent.</summary>
    [Alias("Start")]
    Task<RefundProgress> Start(string reason, IReadOnlyList<string> sectionIds);

    /// <summary>
    /// Unchecked: the API asks <see cref="Events.IEventGrain.GetRefundProgress"/>, which decides who may see it. Interleaves
    /// (a pure read) so the event asking it never waits on a running step.
    /// </summary>
    [AlwaysInterleave, Alias("GetProgress")]
    Task<RefundProgress> GetProgress();
}
