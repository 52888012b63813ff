using Orleans.Concurrency;

namespace TicketFlash.Abstractions.Orders;

/// <summary>
/// How an order (or a resale purchase) is being paid, when the gateway confirms in the browser (Stripe). The client
/// secret lets the buyer's browser confirm this one intent; it is shown only to the buyer.
/// </summary>
[GenerateSerializer, Immutable, Alias("tf.OrderPayment")]
public sealed record OrderPayment(
    [property: Id(0)] string Gateway,
    [property: Id(1)] string IntentId,
    [property: Id(2)] string? ClientSecret,
    [property: Id(3)] string IntentStatus,
    [property: Id(4)] string? RefundId = null,
    [property: Id(5)] string? FailureReason = null);

/// <summary>What a verified webhook says happened. Never renumber.</summary>
public enum PaymentNoticeKind
{
    Succeeded = 0,
    Failed = 1,
}

/// <summary>A verified gateway event about one payment intent (the event id deduplicates redeliveries).</summary>
[GenerateSerializer, Immutable, Alias("tf.PaymentNotice")]
public sealed record PaymentNotice(
    [property: Id(0)] string EventId,
    [property: Id(1)] PaymentNoticeKind Kind,
    [property: Id(2)] string IntentId);

/// <summary>What a notice did. Never renumber.</summary>
public enum PaymentNoticeOutcome
{
    /// <summary>The payment confirmed the order (or the listing's sale): tickets issued.</summary>
    Confirmed = 0,

    /// <summary>This event id was handled before: no effect.</summary>
    Duplicate = 1,

    /// <summary>Already in the state the notice asks for (e.g. confirmed by the buyer's own confirm): no effect.</summary>
    AlreadyApplied = 2,

    /// <summary>The payment arrived after the hold ended: it was refunded, no ticket issued.</summary>
    Refunded = 3,

    /// <summary>The payment failed: the hold was released.</summary>
    Released = 4,

    /// <summary>Not about this order's intent, or nothing to do in its state.</summary>
    Ignored = 5,
}
