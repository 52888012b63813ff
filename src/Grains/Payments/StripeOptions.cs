namespace TicketFlash.Grains.Payments;

/// <summary>Payments:Stripe:* — the secret key only ever from configuration (environment or a secret store), never from code.</summary>
public sealed class StripeOptions
{
    public const string Section = "Payments:Stripe";

    public string SecretKey { get; set; } = "";

    /// <summary>Verifies webhooks (read by the API, not the silo).</summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>Public by design: the browser's Stripe.js needs it (served by GET /api/config).</summary>
    public string? PublishableKey { get; set; }

    /// <summary>Null: Stripe's own (https://api.stripe.com). Tests point it at the local fake.</summary>
    public string? ApiBase { get; set; }

    /// <summary>How old a webhook's signed timestamp may be (Stripe's library default: 300 s).</summary>
    public long WebhookToleranceSeconds { get; set; } = 300;
}
