namespace TicketFlash.Grains.Payments;

/// <summary>A payment intent as the gateway reports it (Stripe's statuses: requires_payment_method, processing, succeeded, canceled, …).</summary>
public sealed record PaymentIntentView(
    string Id,
    string Status,
    string? ClientSecret,
    long AmountMinor,
    string Currency,
    IReadOnlyDictionary<string, string> Metadata,
    string? LastError)
{
    public const string Succeeded = "succeeded";
    public const string Canceled = "canceled";
    public const string RequiresPaymentMethod = "requires_payment_method";
    public const string Processing = "processing";
}

/// <summary>
/// A gateway whose payments the buyer confirms in the browser (Stripe PaymentIntents): the server creates an intent,
/// the browser confirms it, a webhook (or the buyer's next call) tells the server. Refunds stay <see cref="IPaymentGateway.RefundAsync"/>.
/// Every call that creates or moves money carries an idempotency key.
/// </summary>
public interface IPaymentIntentGateway : IPaymentGateway
{
    Task<PaymentIntentView> CreateIntentAsync(string idempotencyKey, decimal amount, string currency, IReadOnlyDictionary<string, string> metadata, CancellationToken ct = default);

    Task<PaymentIntentView> GetIntentAsync(string intentId, CancellationToken ct = default);

    /// <summary>Cancels the intent unless it can no longer be cancelled (succeeded, processing): then returns it as it is.</summary>
    Task<PaymentIntentView> CancelIntentAsync(string intentId, string idempotencyKey, CancellationToken ct = default);

    /// <summary>The amount in the currency's minor units as the gateway counts them (cents; yen as they are).</summary>
    long ToMinor(decimal amount, string currency);
}
