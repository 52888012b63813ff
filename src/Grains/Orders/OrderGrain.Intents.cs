using TicketFlash.Abstractions.Orders;
using TicketFlash.Grains.Payments;
using Microsoft.Extensions.Logging;

namespace TicketFlash.Grains.Orders;

/// <summary>
/// Paying with a payment intent (Stripe): Held → PaymentPending (intent created, client secret to the fan) → Confirmed
/// when the gateway says succeeded, whether the webhook or the fan's own confirm tells us first. The order is not
/// reentrant, so those arrive one after the other and only the first confirms. The hold's end cancels the intent; a
/// payment that still succeeds after the hold ended is refunded and issues no ticket (the seats may be someone else's).
/// </summary>
public sealed partial class OrderGrain
{
    private const int RememberedPaymentEvents = 32;

    private string OrderKey => this.GetPrimaryKey().ToString("N");

    private IPaymentIntentGateway Intents => payments as IPaymentIntentGateway
        ?? throw DomainException.State("This order's payment intent belongs to a gateway this cluster no longer uses.");

    private async Task<OrderDetails> StartIntent(IPaymentIntentGateway intents)
    {
        // Keyed by the order: a retry after a crash before the write below gets the same intent back from Stripe.
        var intent = await intents.CreateIntentAsync($"order-{OrderKey}-intent", S.Total, S.Currency, new Dictionary<string, string>
        {
            ["order_id"] = this.GetPrimaryKey().ToString(),
            ["event_id"] = S.EventId.ToString(),
        });
        S.Status = OrderStatus.PaymentPending;
        S.IntentId = intent.Id;
        S.ClientSecret = intent.ClientSecret;
        S.IntentStatus = intent.Status;
        await Write();
        return Describe();
    }

    /// <summary>The fan's "pay" again after confirming in the browser: the gateway's word decides, not the browser's.</summary>
    private async Task<OrderDetails> ConfirmByClient()
    {
        var intent = await Intents.GetIntentAsync(S.IntentId!);
        if (intent.Status == PaymentIntentView.Succeeded) await ConfirmIntent(intent);
        else if (clock.GetUtcNow() >= S.ExpiresAt) await ExpirePending();
        else if (S.IntentStatus != intent.Status)
        {
            S.IntentStatus = intent.Status;
            await Write();
        }
        if (S.Status == OrderStatus.Expired) throw new DomainException(DomainErrorCode.HoldExpired, "The hold on these seats expired; place a new order.");
        return Describe();
    }

    public async Task<PaymentNoticeOutcome> OnPaymentNotice(PaymentNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (S.Status == OrderStatus.None || S.IntentId is null || S.IntentId != notice.IntentId) return PaymentNoticeOutcome.Ignored;
        if (S.PaymentEvents.Contains(notice.EventId)) return PaymentNoticeOutcome.Duplicate;

        var outcome = await Apply(notice);
        // Remembered only once its effect is durable: a notice whose handling failed is handled again on redelivery.
        S.PaymentEvents.Add(notice.EventId);
        if (S.PaymentEvents.Count > RememberedPaymentEvents) S.PaymentEvents.RemoveAt(0);
        await Write();
        logger.LogInformation("Payment notice {EventId} ({Kind}) for order {OrderId}: {Outcome}", notice.EventId, notice.Kind, this.GetPrimaryKey(), outcome);
        return outcome;
    }

    private async Task<PaymentNoticeOutcome> Apply(PaymentNotice notice)
    {
        if (S.Status == OrderStatus.Confirmed) return PaymentNoticeOutcome.AlreadyApplied;
        // The event says what happened then; the intent says what holds now (events may arrive out of order).
        var intent = await Intents.GetIntentAsync(S.IntentId!);
        if (S.Status == OrderStatus.PaymentPending)
        {
            if (intent.Status == PaymentIntentView.Succeeded)
            {
                await ConfirmIntent(intent);
                return PaymentNoticeOutcome.Confirmed;
            }
            if (notice.Kind == PaymentNoticeKind.Failed && intent.Status is PaymentIntentView.RequiresPaymentMethod or PaymentIntentView.Canceled)
            {
                S.PaymentFailure = intent.LastError ?? "The payment failed.";
                await CancelPending();
                return S.Status == OrderStatus.Confirmed ? PaymentNoticeOutcome.Confirmed : PaymentNoticeOutcome.Released;
            }
            return PaymentNoticeOutcome.Ignored; // processing, or needs the fan: a later event or the hold's end decides
        }
        // Closed (expired, released) and yet paid: the seats may be sold to someone else, so the money goes back.
        if (intent.Status != PaymentIntentView.Succeeded) return PaymentNoticeOutcome.Ignored;
        if (S.LateRefundId is not null) return PaymentNoticeOutcome.AlreadyApplied;
        var refund = await payments.RefundAsync($"order-{OrderKey}-late-refund", intent.Id, S.Total, S.Currency);
        if (!refund.Succeeded) throw new DomainException(DomainErrorCode.Unavailable, $"Refunding a late payment failed ({refund.FailureReason}); it will be retried.");
        S.LateRefundId = refund.PaymentId;
        S.IntentStatus = intent.Status;
        logger.LogWarning("Order {OrderId} was paid after its hold ended ({Status}): refunded with {RefundId}", this.GetPrimaryKey(), S.Status, refund.PaymentId);
        return PaymentNoticeOutcome.Refunded;
    }

    /// <summary>The hold ended while the intent was open: cancel it at the gateway (best effort) and release the seats.</summary>
    private async Task<HoldVerdict> ExpirePending()
    {
        if (await CancelIntentOrConfirm()) return HoldVerdict.Commit;
        await Close(OrderStatus.Expired);
        return HoldVerdict.Release;
    }

    /// <summary>The fan releases, or the payment failed: cancel the intent (best effort), then release the seats.</summary>
    private async Task CancelPending()
    {
        if (!await CancelIntentOrConfirm()) await Close(OrderStatus.Cancelled);
    }

    /// <summary>True when the intent turned out to be paid already: then the order is confirmed instead (the seats are still held by it).</summary>
    private async Task<bool> CancelIntentOrConfirm()
    {
        try
        {
            var intent = await Intents.CancelIntentAsync(S.IntentId!, $"order-{OrderKey}-cancel");
            if (intent.Status == PaymentIntentView.Succeeded)
            {
                await ConfirmIntent(intent);
                return true;
            }
            S.IntentStatus = intent.Status;
        }
        catch (Exception error) when (error is not DomainException || error is DomainException { Code: DomainErrorCode.Unavailable })
        {
            // Releasing must not wait for the gateway: if this intent still succeeds, its late notice refunds it.
            logger.LogWarning(error, "Cancelling payment intent {IntentId} of order {OrderId} failed; a late payment will be refunded", S.IntentId, this.GetPrimaryKey());
        }
        return false;
    }

    private async Task ConfirmIntent(PaymentIntentView intent)
    {
        if (intent.AmountMinor != Intents.ToMinor(S.Total, S.Currency) || !string.Equals(intent.Currency, S.Currency, StringComparison.OrdinalIgnoreCase))
            throw DomainException.State($"Payment intent {intent.Id} is for {intent.AmountMinor} {intent.Currency}, not this order's total.");
        S.IntentStatus = intent.Status;
        S.ClientSecret = null; // nothing left for the browser to confirm
        await Confirm(intent.Id);
    }

    private OrderPayment? DescribePayment() =>
        S.IntentId is null ? null : new OrderPayment("Stripe", S.IntentId, S.ClientSecret, S.IntentStatus ?? "", S.LateRefundId, S.PaymentFailure);
}
