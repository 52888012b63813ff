using Orleans.Concurrency;
using System.Security.Cryptography;
using System.Text;
using TicketFlash.Abstractions.Common;

namespace TicketFlash.Abstractions.Orders;

/// <summary>An order's life. Never renumber: stored in grain state.</summary>
public enum OrderStatus
{
    None = 0,
    Held = 1,
    Confirmed = 2,
    Cancelled = 3,
    Expired = 4,

    /// <summary>A payment intent exists at the gateway (Stripe): the fan confirms it in the browser, the webhook or the fan's next pay confirms the order.</summary>
    PaymentPending = 5,
}

[GenerateSerializer, Immutable, Alias("tf.PlaceOrderCommand")]
public sealed record PlaceOrderCommand(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] int Quantity,
    [property: Id(2)] string? SectionId,
    [property: Id(3)] IReadOnlyList<string>? Seats);

[GenerateSerializer, Immutable, Alias("tf.TicketSummary")]
public sealed record TicketSummary(
    [property: Id(0)] Guid TicketId,
    [property: Id(1)] Guid OrderId,
    [property: Id(2)] Guid EventId,
    [property: Id(3)] string SectionId,
    [property: Id(4)] string? SeatId,
    [property: Id(5)] string Status,
    [property: Id(6)] string OwnerId,
    [property: Id(7)] DateTimeOffset? IssuedAt = null);

[GenerateSerializer, Immutable, Alias("tf.OrderDetails")]
public sealed record OrderDetails(
    [property: Id(0)] Guid OrderId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] Guid EventId,
    [property: Id(3)] string SectionId,
    [property: Id(4)] OrderStatus Status,
    [property: Id(5)] IReadOnlyList<string> Seats,
    [property: Id(6)] int Quantity,
    [property: Id(7)] decimal Total,
    [property: Id(8)] string Currency,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] DateTimeOffset ExpiresAt,
    [property: Id(11)] IReadOnlyList<TicketSummary> Tickets,
    [property: Id(12)] OrderPayment? Payment = null);

/// <summary>What an inventory learns when it asks an order about a hold that outlived its expiry.</summary>
public enum HoldVerdict
{
    Release = 0,
    Commit = 1,
    /// <summary>The order's clock says the hold has not expired yet: ask again later.</summary>
    Keep = 2,
}

/// <summary>An order, keyed by <see cref="OrderIds.Derive"/> so a retried request finds the same grain.</summary>
[Alias("tf.IOrderGrain")]
public interface IOrderGrain : IGrainWithGuidKey
{
    [Alias("Place")]
    Task<OrderDetails> Place(Actor actor, PlaceOrderCommand command);

    [Alias("Pay")]
    Task<OrderDetails> Pay(Actor actor);

    [Alias("Cancel")]
    Task<OrderDetails> Cancel(Actor actor);

    [Alias("Get")]
    Task<OrderDetails> Get(Actor actor);

    /// <summary>Called by the inventory when a hold passed its expiry: the order decides, so a seat is never both paid for and released.</summary>
    [Alias("ResolveExpiredHold")]
    Task<HoldVerdict> ResolveExpiredHold();

    /// <summary>The ticket this order issued at <paramref name="index"/>, or null: lets a ticket grain materialize itself.</summary>
    [AlwaysInterleave, Alias("DescribeTicket")]
    Task<TicketSummary?> DescribeTicket(int index);

    /// <summary>Refunds one ticket's price (idempotent per ticket); called by the ticket after it became Refunded.</summary>
    [Alias("RefundTicket")]
    Task RefundTicket(int index, string reason);

    /// <summary>A verified gateway notification (Stripe webhook) about this order's payment intent; deduplicated by event id.</summary>
    [Alias("OnPaymentNotice")]
    Task<PaymentNoticeOutcome> OnPaymentNotice(PaymentNotice notice);

    /// <summary>Status for internal callers (the customer's limit check); interleaves so it cannot deadlock with Place.</summary>
    [AlwaysInterleave, Alias("PeekStatus")]
    Task<OrderStatus> PeekStatus();
}

public static class OrderIds
{
    /// <summary>
    /// The order id is a name-based id of (customer, idempotency key): the same pair always names the same order grain.
    /// The last byte is zero; ticket ids reuse the order id with the last byte set to the ticket's number.
    /// </summary>
    public static Guid Derive(string customerId, string idempotencyKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"order\n{customerId}\n{idempotencyKey}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[15] = 0;
        return new Guid(bytes);
    }

    public static Guid TicketId(Guid orderId, int index)
    {
        if (index is < 0 or > 254) throw new ArgumentOutOfRangeException(nameof(index));
        var bytes = orderId.ToByteArray();
        bytes[15] = (byte)(index + 1);
        return new Guid(bytes);
    }

    public static (Guid OrderId, int Index)? FromTicketId(Guid ticketId)
    {
        var bytes = ticketId.ToByteArray();
        if (bytes[15] == 0) return null;
        var index = bytes[15] - 1;
        bytes[15] = 0;
        return (new Guid(bytes), index);
    }
}

public static class OrderLimits
{
    /// <summary>Tickets in one order; ticket ids use one byte of the order id, so this must stay below 255.</summary>
    public const int MaxQuantity = 20;

    public const int MaxIdempotencyKeyLength = 128;

    // Each rule once, with one message: the API checks it for a field-level 400, the grain again for callers that skip the API.
    public static readonly string QuantityMessage = $"quantity is 1–{MaxQuantity}";
    public const string SeatsMatchQuantityMessage = "quantity must equal the number of seats";
    public const string SeatsHaveSectionMessage = "choosing seats needs their sectionId";

    public static bool IsQuantity(int? quantity) => quantity is >= 1 and <= MaxQuantity;

    public static bool SeatsMatchQuantity(int seats, int? quantity) => seats == 0 || seats == quantity;

    public static bool SeatsHaveSection(int seats, string? sectionId) => seats == 0 || sectionId is not null;

    public static bool IsIdempotencyKey(string? key) => key is { Length: > 0 and <= MaxIdempotencyKeyLength };
}
