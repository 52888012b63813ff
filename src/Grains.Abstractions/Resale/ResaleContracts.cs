using Orleans.Concurrency;
using TicketFlash.Abstractions.Common;

namespace TicketFlash.Abstractions.Resale;

/// <summary>A listing's life. Never renumber: stored in grain state.</summary>
public enum ListingStatus
{
    Open = 0,

    /// <summary>A buyer won the listing and is being charged; nobody else can buy it.</summary>
    Paying = 1,
    Sold = 2,

    /// <summary>The seller delisted.</summary>
    Withdrawn = 3,

    /// <summary>The ticket left the market another way (refunded, revoked, event cancelled); a buyer who had paid got the money back.</summary>
    Closed = 4,

    /// <summary>Sold, then unwound because the event was cancelled: the buyer got the price back, the seller's proceeds were voided.</summary>
    Unwound = 5,
}

/// <summary>What the ticket puts on the market: fixed for the listing's life.</summary>
[GenerateSerializer, Immutable, Alias("tf.ListingTerms")]
public sealed record ListingTerms(
    [property: Id(0)] Guid ListingId,
    [property: Id(1)] Guid TicketId,
    [property: Id(2)] Guid EventId,
    [property: Id(3)] string SectionId,
    [property: Id(4)] string? SeatId,
    [property: Id(5)] string SellerId,
    [property: Id(6)] decimal Price,
    [property: Id(7)] string Currency,
    [property: Id(8)] decimal FaceValue,
    [property: Id(9)] DateTimeOffset ListedAt);

[GenerateSerializer, Immutable, Alias("tf.ListingDetails")]
public sealed record ListingDetails(
    [property: Id(0)] ListingTerms Terms,
    [property: Id(1)] ListingStatus Status,
    [property: Id(2)] string? BuyerId,
    [property: Id(3)] DateTimeOffset? SoldAt,
    [property: Id(4)] string? ClosedReason,
    [property: Id(5)] Orders.OrderPayment? Payment = null);

/// <summary>A listing as one caller may see it: <see cref="Full"/> when the caller is its seller, its buyer or an admin.</summary>
[GenerateSerializer, Immutable, Alias("tf.ListingView")]
public sealed record ListingView(
    [property: Id(0)] ListingDetails Listing,
    [property: Id(1)] bool Full);

/// <summary>Money a seller earned on the resale market (recorded once per listing).</summary>
[GenerateSerializer, Immutable, Alias("tf.SaleProceeds")]
public sealed record SaleProceeds(
    [property: Id(0)] Guid ListingId,
    [property: Id(1)] Guid TicketId,
    [property: Id(2)] Guid EventId,
    [property: Id(3)] decimal Amount,
    [property: Id(4)] string Currency,
    [property: Id(5)] DateTimeOffset SoldAt,
    [property: Id(6)] string PaymentId,
    [property: Id(7)] string? VoidedReason = null);

/// <summary>
/// One listing of one ticket, keyed by a fresh listing id. Opened by the ticket; buying follows hold → pay → confirm:
/// the first buyer to win the (non-reentrant) listing is charged once (idempotent by listing and attempt), then the
/// ticket moves to the buyer with a new serial and the seller's proceeds are recorded.
/// Calls go listing → ticket (buy, withdraw) and ticket → listing only to open a new listing or one-way, so they never wait on each other.
/// </summary>
[Alias("tf.IListingGrain")]
public interface IListingGrain : IGrainWithGuidKey
{
    /// <summary>Called by the ticket before it becomes Listed; idempotent.</summary>
    [Alias("Open")]
    Task<ListingDetails> Open(ListingTerms terms);

    /// <summary>Unchecked, with the seller's and buyer's identities: for grains and the seller's own listing call.</summary>
    [Alias("Get")]
    Task<ListingDetails> GetUnchecked();

    /// <summary>
    /// The seller, the buyer and admins see everything; anyone else gets the listing with seller, buyer and closing reason
    /// blanked (<see cref="ListingView.Full"/> false), so identities never leave the silo for them.
    /// </summary>
    [Alias("GetFor")]
    Task<ListingView> Get(Actor actor);

    /// <summary>Idempotent per (buyer, idempotency key): a retry never charges twice and answers the first outcome.</summary>
    [Alias("Buy")]
    Task<ListingDetails> Buy(Actor buyer, string idempotencyKey);

    /// <summary>The seller (or an admin) delists; the ticket becomes usable again.</summary>
    [Alias("Withdraw")]
    Task<ListingDetails> Withdraw(Actor actor);

    /// <summary>The ticket left the market another way; one-way so the ticket never waits on its listing.</summary>
    [OneWay, Alias("Close")]
    Task Close(string reason);

    /// <summary>
    /// For the refund run of a cancelled event, on a completed sale: the buyer's payment goes back (once: keyed by listing),
    /// the seller's proceeds are voided, and the ticket is told. Idempotent; a refused refund throws and is retried.
    /// </summary>
    [Alias("UnwindForCancellation")]
    Task UnwindForCancellation(string reason);

    /// <summary>A verified gateway notification (Stripe webhook) about a buyer's payment intent; deduplicated by event id.</summary>
    [Alias("OnPaymentNotice")]
    Task<Orders.PaymentNoticeOutcome> OnPaymentNotice(Orders.PaymentNotice notice);
}

/// <summary>The resale market of one event (keyed by event id): the open listings, for browsing.</summary>
[Alias("tf.IResaleGrain")]
public interface IResaleGrain : IGrainWithGuidKey
{
    [Alias("Upsert")]
    Task Upsert(ListingDetails listing);

    [Alias("Remove")]
    Task Remove(Guid listingId);

    [Alias("List")]
    Task<IReadOnlyList<ListingDetails>> List();
}

public static class ResaleLimits
{
    public const decimal MaxPrice = 1_000_000m;

    public static readonly string PriceMessage = $"price is above 0, at most {MaxPrice}, with at most 2 decimals";

    public static bool IsPrice(decimal? price) => price is > 0 and <= MaxPrice && decimal.Round(price.Value, 2) == price;
}
