using System.Collections.Concurrent;

namespace TicketFlash.Grains.Payments;

/// <summary>
/// Development gateway: approves every charge, idempotent by key within this process. Not a payment provider: it is
/// registered only when configuration asks for it (Payments:Gateway = Simulated).
/// </summary>
public sealed class SimulatedPaymentGateway : IPaymentGateway
{
    private readonly ConcurrentDictionary<string, PaymentResult> _charges = new();
    private readonly ConcurrentDictionary<string, PaymentResult> _refunds = new();

    public int ChargeCount => _charges.Count;

    /// <summary>The idempotency keys of the refunds this instance made (tests check none is made twice).</summary>
    public IReadOnlyCollection<string> RefundKeys => [.. _refunds.Keys];

    public Task<PaymentResult> ChargeAsync(string idempotencyKey, decimal amount, string currency, CancellationToken ct = default) =>
        Task.FromResult(_charges.GetOrAdd(idempotencyKey, key => new PaymentResult(true, $"sim_ch_{key}", null)));

    /// <summary>Simulates refunds the provider refuses (by idempotency key), as a provider outage would; null: none.</summary>
    public Func<string, bool>? DeclineRefund { get; set; }

    public Task<PaymentResult> RefundAsync(string idempotencyKey, string paymentId, decimal amount, string currency, CancellationToken ct = default) =>
        DeclineRefund?.Invoke(idempotencyKey) == true
            ? Task.FromResult(new PaymentResult(false, "", "simulated: the provider refused the refund"))
            : Task.FromResult(_refunds.GetOrAdd(idempotencyKey, key => new PaymentResult(true, $"sim_re_{key}", null)));
}
