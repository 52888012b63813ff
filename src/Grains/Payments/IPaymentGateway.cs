namespace TicketFlash.Grains.Payments;

[GenerateSerializer, Immutable, Alias("tf.PaymentResult")]
public sealed record PaymentResult(
    [property: Id(0)] bool Succeeded,
    [property: Id(1)] string PaymentId,
    [property: Id(2)] string? FailureReason);

/// <summary>
/// Charges and refunds money. Every call carries an idempotency key (the order id): a retried charge after a crash
/// returns the first charge, never a second one.
/// </summary>
public interface IPaymentGateway
{
    Task<PaymentResult> ChargeAsync(string idempotencyKey, decimal amount, string currency, CancellationToken ct = default);

    Task<PaymentResult> RefundAsync(string idempotencyKey, string paymentId, decimal amount, string currency, CancellationToken ct = default);
}
