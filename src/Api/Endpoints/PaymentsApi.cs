using Microsoft.AspNetCore.Http.HttpResults;
using Stripe;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Resale;
using TicketFlash.Api.Infrastructure;

namespace TicketFlash.Api.Endpoints;

/// <summary>What a webhook delivery did: the outcome for the order or listing it names, or "ignored".</summary>
public sealed record WebhookReceipt(string EventId, string Type, string Outcome);

/// <summary>
/// Stripe's webhook. Anonymous: the request is authenticated by its Stripe-Signature (HMAC of the raw body with the
/// endpoint's secret, within a tolerance), never by a token. The grain that owns the payment (order or listing) decides
/// what the event changes and deduplicates redeliveries by event id.
/// </summary>
public static class PaymentsApi
{
    public const string SignatureHeader = "Stripe-Signature";
    private const int MaxBodyBytes = 256 * 1024;

    public static void MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var payments = app.MapGroup("/api/payments").WithTags("Payments").WithDomainProblems();
        payments.MapPost("/stripe/webhook", StripeWebhook).AllowAnonymous().DisableAntiforgery()
            .Accepts<string>("application/json").ProducesProblem(400).ProducesProblem(404).ProducesProblem(503);
    }

    private static async Task<Ok<WebhookReceipt>> StripeWebhook(HttpRequest request, IConfiguration config, IGrainFactory grains, ILoggerFactory logs)
    {
        var secret = config["Payments:Stripe:WebhookSecret"];
        if (!string.Equals(config["Payments:Gateway"], "Stripe", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(secret))
            throw DomainException.NotFound("The Stripe webhook (Payments:Gateway is not Stripe)");
        if (request.ContentLength > MaxBodyBytes) throw new DomainException(DomainErrorCode.Validation, "The webhook body is too large.");

        string json;
        using (var reader = new StreamReader(request.Body)) json = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        Event stripeEvent;
        try
        {
            // The API version is not enforced: a Stripe account may send events in its own version; only the stable
            // fields (id, type, the intent's id and metadata) are read, and the grain asks Stripe for the intent itself.
            stripeEvent = EventUtility.ConstructEvent(json, request.Headers[SignatureHeader].ToString(), secret,
                config.GetValue("Payments:Stripe:WebhookToleranceSeconds", 300L), throwOnApiVersionMismatch: false);
        }
        catch (Exception error) when (error is StripeException or System.Text.Json.JsonException or ArgumentException or FormatException)
        {
            throw new DomainException(DomainErrorCode.WebhookSignature, "The Stripe-Signature header does not verify for this body.");
        }

        var kind = stripeEvent.Type switch
        {
            EventTypes.PaymentIntentSucceeded => PaymentNoticeKind.Succeeded,
            EventTypes.PaymentIntentPaymentFailed => PaymentNoticeKind.Failed,
            _ => (PaymentNoticeKind?)null,
        };
        if (kind is null || stripeEvent.Data?.Object is not PaymentIntent intent) return Receipt(stripeEvent, "ignored");

        var notice = new PaymentNotice(stripeEvent.Id, kind.Value, intent.Id);
        var metadata = intent.Metadata ?? [];
        PaymentNoticeOutcome outcome;
        if (metadata.TryGetValue("order_id", out var order) && Guid.TryParse(order, out var orderId))
            outcome = await grains.Ref<IOrderGrain>(orderId).OnPaymentNotice(notice);
        else if (metadata.TryGetValue("listing_id", out var listing) && Guid.TryParse(listing, out var listingId))
            outcome = await grains.Ref<IListingGrain>(listingId).OnPaymentNotice(notice);
        else
        {
            logs.CreateLogger(nameof(PaymentsApi)).LogInformation("Stripe event {EventId} names no TicketFlash order or listing; ignored", stripeEvent.Id);
            return Receipt(stripeEvent, "ignored");
        }
        return Receipt(stripeEvent, outcome.ToString());
    }

    private static Ok<WebhookReceipt> Receipt(Event e, string outcome) => TypedResults.Ok(new WebhookReceipt(e.Id, e.Type, outcome));
}
