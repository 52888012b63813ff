using Stripe;

namespace TicketFlash.Grains.Payments;

/// <summary>
/// Stripe PaymentIntents and Refunds through Stripe.net. Every mutating request carries our idempotency key, so a
/// retried call (a crash, a timeout, Stripe.net's own retries) returns Stripe's first answer instead of moving money twice.
/// </summary>
public sealed class StripePaymentGateway : IPaymentIntentGateway
{
    // Stripe's zero-decimal and three-decimal currencies (https://docs.stripe.com/currencies#zero-decimal).
    private static readonly HashSet<string> ZeroDecimal = new(StringComparer.OrdinalIgnoreCase)
        { "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF" };
    private static readonly HashSet<string> ThreeDecimal = new(StringComparer.OrdinalIgnoreCase) { "BHD", "JOD", "KWD", "OMR", "TND" };

    private readonly PaymentIntentService _intents;
    private readonly RefundService _refunds;

    public StripePaymentGateway(StripeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.SecretKey))
            throw new InvalidOperationException("Payments:Gateway is Stripe but Payments:Stripe:SecretKey is not configured.");
        var client = new StripeClient(new StripeClientOptions
        {
            ApiKey = options.SecretKey,
            ApiBase = string.IsNullOrEmpty(options.ApiBase) ? null : options.ApiBase.TrimEnd('/'),
        });
        _intents = new PaymentIntentService(client);
        _refunds = new RefundService(client);
    }

    public long ToMinor(decimal amount, string currency)
    {
        if (ZeroDecimal.Contains(currency)) return decimal.ToInt64(decimal.Round(amount, 0, MidpointRounding.AwayFromZero));
        // Stripe takes three-decimal amounts in thousandths but only divisible by ten.
        if (ThreeDecimal.Contains(currency)) return decimal.ToInt64(decimal.Round(amount * 100, 0, MidpointRounding.AwayFromZero)) * 10;
        return decimal.ToInt64(decimal.Round(amount * 100, 0, MidpointRounding.AwayFromZero));
    }

    public Task<PaymentIntentView> CreateIntentAsync(string idempotencyKey, decimal amount, string currency,
        IReadOnlyDictionary<string, string> metadata, CancellationToken ct = default) =>
        Call(async () => View(await _intents.CreateAsync(new PaymentIntentCreateOptions
        {
            Amount = ToMinor(amount, currency),
            Currency = currency.ToLowerInvariant(),
            Metadata = metadata.ToDictionary(),
            AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true },
        }, Key(idempotencyKey), ct)));

    public Task<PaymentIntentView> GetIntentAsync(string intentId, CancellationToken ct = default) =>
        Call(async () => View(await _intents.GetAsync(intentId, cancellationToken: ct)));

    public Task<PaymentIntentView> CancelIntentAsync(string intentId, string idempotencyKey, CancellationToken ct = default) => Call(async () =>
    {
        try
        {
            return View(await _intents.CancelAsync(intentId, new PaymentIntentCancelOptions { CancellationReason = "abandoned" }, Key(idempotencyKey), ct));
        }
        catch (StripeException error) when (error.StripeError?.Code == "payment_intent_unexpected_state")
        {
            return View(await _intents.GetAsync(intentId, cancellationToken: ct)); // succeeded or processing: the caller decides by its status
        }
    });

    /// <summary>
    /// Stripe's failures as domain refusals (grains and the API map only those): unreachable or 5xx/429 → Unavailable
    /// (503, retry; Stripe retries a webhook answered so), any other refusal → InvalidState with Stripe's code.
    /// </summary>
    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (StripeException error) when (error.HttpStatusCode is 0 or System.Net.HttpStatusCode.TooManyRequests || (int)error.HttpStatusCode >= 500)
        {
            throw new DomainException(DomainErrorCode.Unavailable, "The payment provider is unavailable; retry.");
        }
        catch (StripeException error)
        {
            throw DomainException.State($"The payment provider refused the request ({error.StripeError?.Code ?? error.StripeError?.Type ?? ((int)error.HttpStatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
        }
        catch (HttpRequestException)
        {
            throw new DomainException(DomainErrorCode.Unavailable, "The payment provider is unreachable; retry.");
        }
    }

    /// <summary>Not available: with Stripe the buyer confirms in the browser (<see cref="CreateIntentAsync"/>).</summary>
    public Task<PaymentResult> ChargeAsync(string idempotencyKey, decimal amount, string currency, CancellationToken ct = default) =>
        throw new NotSupportedException("Stripe payments are confirmed by the buyer: create a payment intent.");

    public Task<PaymentResult> RefundAsync(string idempotencyKey, string paymentId, decimal amount, string currency, CancellationToken ct = default) =>
        Call(() => Refund(idempotencyKey, paymentId, amount, currency, ct));

    private async Task<PaymentResult> Refund(string idempotencyKey, string paymentId, decimal amount, string currency, CancellationToken ct)
    {
        try
        {
            var refund = await _refunds.CreateAsync(new RefundCreateOptions
            {
                PaymentIntent = paymentId,
                Amount = ToMinor(amount, currency),
                Metadata = new Dictionary<string, string> { ["ticketflash_key"] = idempotencyKey },
            }, Key(idempotencyKey), ct);
            return refund.Status is "failed" or "canceled"
                ? new PaymentResult(false, refund.Id, $"Stripe refund {refund.Status}")
                : new PaymentResult(true, refund.Id, null); // succeeded or pending: Stripe owns it from here
        }
        catch (StripeException error) when (error.HttpStatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.PaymentRequired)
        {
            return new PaymentResult(false, "", $"Stripe refused the refund: {error.StripeError?.Code ?? error.Message}");
        }
    }

    private static RequestOptions Key(string idempotencyKey) => new() { IdempotencyKey = idempotencyKey };

    private static PaymentIntentView View(PaymentIntent intent) =>
        new(intent.Id, intent.Status, intent.ClientSecret, intent.Amount, intent.Currency ?? "",
            intent.Metadata is null ? new Dictionary<string, string>() : new Dictionary<string, string>(intent.Metadata), intent.LastPaymentError?.Message);
}
