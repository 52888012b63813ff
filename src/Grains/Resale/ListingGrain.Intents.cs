using Microsoft.Extensions.Logging;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Resale;
using TicketFlash.Grains.Payments;

namespace TicketFlash.Grains.Resale;

/// <summary>
/// Buying a listing with a payment intent (Stripe), like an order: Paying (intent created, client secret to the buyer)
/// → Sold when the gateway says succeeded (webhook or the buyer's retry of buy) → settled. The listing is not
/// reentrant, so a webhook and the buyer's retry are served one after the other. An unpaid attempt holds the listing
/// for <see cref="ResaleOptions.PayWindow"/>; the next buyer after that cancels its intent and takes over; if that intent still
/// succeeds, it is refunded.
/// </summary>
public sealed partial class ListingGrain
{
    private TimeSpan PayWindow => resale.PayWindow;
    private const int RememberedPaymentEvents = 32;

    private string ListingKey => this.GetPrimaryKey().ToString("N");

    private IPaymentIntentGateway Intents => payments as IPaymentIntentGateway
        ?? throw DomainException.State("This listing's payment intent belongs to a gateway this cluster no longer uses.");

    private async Task<ListingDetails> StartIntent(IPaymentIntentGateway intents)
    {
        var intent = await intents.CreateIntentAsync($"resale-{ListingKey}-{S.PaymentAttempt}-intent", Terms.Price, Terms.Currency, new Dictionary<string, string>
        {
            ["listing_id"] = this.GetPrimaryKey().ToString(),
            ["attempt"] = S.PaymentAttempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        S.IntentId = intent.Id;
        S.ClientSecret = intent.ClientSecret;
        S.PayingSince = clock.GetUtcNow();
        await Write();
        return DescribeForBuyer(intent.Status);
    }

    /// <summary>The winner's retry of buy: the gateway's word decides whether the listing is paid.</summary>
    private async Task<ListingDetails> ResumeIntent()
    {
        if (S.Status == ListingStatus.Paying && S.IntentId is null) return await StartIntent(Intents); // a crash before the intent was recorded
        if (S.Status == ListingStatus.Paying)
        {
            var intent = await Intents.GetIntentAsync(S.IntentId!);
            if (intent.Status != PaymentIntentView.Succeeded) return DescribeForBuyer(intent.Status);
            await MarkPaid(intent);
        }
        await Finish();
        return DescribeForBuyer(PaymentIntentView.Succeeded);
    }

    public async Task<PaymentNoticeOutcome> OnPaymentNotice(PaymentNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (S.Terms is null || (notice.IntentId != S.IntentId && !S.AbandonedIntents.Contains(notice.IntentId))) return PaymentNoticeOutcome.Ignored;
        if (S.PaymentEvents.Contains(notice.EventId)) return PaymentNoticeOutcome.Duplicate;
        var outcome = await Apply(notice);
        S.PaymentEvents.Add(notice.EventId); // only once the effect is durable
        if (S.PaymentEvents.Count > RememberedPaymentEvents) S.PaymentEvents.RemoveAt(0);
        await Write();
        logger.LogInformation("Payment notice {EventId} ({Kind}) for listing {ListingId}: {Outcome}", notice.EventId, notice.Kind, this.GetPrimaryKey(), outcome);
        return outcome;
    }

    private async Task<PaymentNoticeOutcome> Apply(PaymentNotice notice)
    {
        var current = notice.IntentId == S.IntentId;
        if (current && S.Status is ListingStatus.Sold or ListingStatus.Unwound) return PaymentNoticeOutcome.AlreadyApplied;
        var intent = await Intents.GetIntentAsync(notice.IntentId);
        if (current && S.Status == ListingStatus.Paying)
        {
            if (intent.Status == PaymentIntentView.Succeeded)
            {
                await MarkPaid(intent);
                await Finish();
                return PaymentNoticeOutcome.Confirmed;
            }
            if (notice.Kind == PaymentNoticeKind.Failed && intent.Status is PaymentIntentView.RequiresPaymentMethod or PaymentIntentView.Canceled)
                return await ReleaseAttempt() ? PaymentNoticeOutcome.Confirmed : PaymentNoticeOutcome.Released;
            return PaymentNoticeOutcome.Ignored;
        }
        // An attempt that lost the listing (expired, failed, or the listing closed) and was paid anyway: money back.
        if (intent.Status != PaymentIntentView.Succeeded) return PaymentNoticeOutcome.Ignored;
        var refund = await payments.RefundAsync($"resale-{ListingKey}-late-refund-{intent.Id}", intent.Id, Terms.Price, Terms.Currency);
        if (!refund.Succeeded) throw new DomainException(DomainErrorCode.Unavailable, $"Refunding a late resale payment failed ({refund.FailureReason}); it will be retried.");
        logger.LogWarning("Listing {ListingId}: intent {IntentId} was paid after its attempt ended; refunded with {RefundId}", this.GetPrimaryKey(), intent.Id, refund.PaymentId);
        return PaymentNoticeOutcome.Refunded;
    }

    /// <summary>An unpaid attempt past its window gives the listing back (another buyer or the seller is asking).</summary>
    private async Task ExpireStalePaying()
    {
        if (S.Status != ListingStatus.Paying || payments is not IPaymentIntentGateway || S.PayingSince + PayWindow > clock.GetUtcNow()) return;
        await ReleaseAttempt();
    }

    /// <summary>Cancels the attempt's intent (best effort) and reopens the listing; true if the intent was paid after all (then it is sold).</summary>
    private async Task<bool> ReleaseAttempt()
    {
        try
        {
            var intent = await Intents.CancelIntentAsync(S.IntentId!, $"resale-{ListingKey}-{S.PaymentAttempt}-cancel");
            if (intent.Status == PaymentIntentView.Succeeded)
            {
                await MarkPaid(intent);
                await Finish();
                return true;
            }
        }
        catch (Exception error) when (error is not DomainException || error is DomainException { Code: DomainErrorCode.Unavailable })
        {
            logger.LogWarning(error, "Cancelling intent {IntentId} of listing {ListingId} failed; a late payment will be refunded", S.IntentId, this.GetPrimaryKey());
        }
        if (S.IntentId is not null) S.AbandonedIntents.Add(S.IntentId);
        S.Status = ListingStatus.Open;
        S.BuyerId = null;
        S.BuyKey = null;
        S.IntentId = null;
        S.ClientSecret = null;
        S.PayingSince = null;
        await Write();
        return false;
    }

    private async Task MarkPaid(PaymentIntentView intent)
    {
        if (intent.AmountMinor != Intents.ToMinor(Terms.Price, Terms.Currency) || !string.Equals(intent.Currency, Terms.Currency, StringComparison.OrdinalIgnoreCase))
            throw DomainException.State($"Payment intent {intent.Id} is for {intent.AmountMinor} {intent.Currency}, not this listing's price.");
        S.Status = ListingStatus.Sold;
        S.PaymentId = intent.Id;
        S.SoldAt = clock.GetUtcNow();
        S.ClientSecret = null;
        await Write(); // the money is taken: from here on the sale only moves forward
    }

    private ListingDetails DescribeForBuyer(string intentStatus) => S.IntentId is null
        ? Describe()
        : Describe() with { Payment = new OrderPayment("Stripe", S.IntentId, S.ClientSecret, intentStatus) };
}
