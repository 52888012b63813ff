using Microsoft.Extensions.Logging;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Customers;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Resale;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Common;
using TicketFlash.Grains.Payments;

namespace TicketFlash.Grains.Resale;

public sealed class ListingState
{
    public ListingTerms? Terms { get; set; }
    public ListingStatus Status { get; set; }
    public string? BuyerId { get; set; }

    /// <summary>The winning request's Idempotency-Key: the same buyer retrying with it gets the first outcome.</summary>
    public string? BuyKey { get; set; }

    /// <summary>Charges are idempotent per (listing, attempt); a declined attempt reopens the listing under the next number.</summary>
    public int PaymentAttempt { get; set; }
    public string? PaymentId { get; set; }
    public DateTimeOffset? SoldAt { get; set; }

    /// <summary>Sold and paid, and the ticket moved, the proceeds recorded, the index updated: nothing left to finish.</summary>
    public bool Settled { get; set; }
    public string? ClosedReason { get; set; }

    /// <summary>With a gateway the buyer confirms in the browser (Stripe): the current attempt's intent, and since when it is held.</summary>
    public string? IntentId { get; set; }
    public string? ClientSecret { get; set; }
    public DateTimeOffset? PayingSince { get; set; }

    /// <summary>Intents of attempts that ended unpaid; one that still succeeds is refunded (once, keyed by intent).</summary>
    public List<string> AbandonedIntents { get; set; } = [];
    public List<string> PaymentEvents { get; set; } = [];
}

/// <summary>
/// One listing. Not reentrant: two buyers are served one after the other, so exactly one wins. Buying is hold (the
/// listing becomes Paying for one buyer, durably) → pay (idempotent key) → confirm (Sold) → settle (ticket, proceeds,
/// index); an interrupted buy is finished by the buyer's retry or the listing's next activation.
/// </summary>
public sealed partial class ListingGrain(
    [PersistentState("listing", StorageNames.Default)] IPersistentState<ListingState> listing,
    IPaymentGateway payments,
    TimeProvider clock,
    ResaleOptions resale,
    ILogger<ListingGrain> logger) : Grain, IListingGrain
{
    private ListingState S => listing.State;

    private ListingTerms Terms => S.Terms ?? throw DomainException.NotFound("Listing");

    private string ChargeKey => $"resale-{this.GetPrimaryKey():N}-{S.PaymentAttempt}";

    private string BuyerRefundKey => $"resale-refund-{this.GetPrimaryKey():N}";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Terms is null || S.Settled || S.Status is not (ListingStatus.Paying or ListingStatus.Sold)) return;
        try
        {
            await Finish();
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Finishing listing {ListingId} after a restart failed; the buyer's retry finishes it", this.GetPrimaryKey());
        }
    }

    public async Task<ListingDetails> Open(ListingTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (S.Terms is not null) return Describe(); // a retry
        if (terms.ListingId != this.GetPrimaryKey()) throw DomainException.Invalid("The terms name another listing.");
        listing.State = new ListingState { Terms = terms, Status = ListingStatus.Open };
        await Write();
        await Index().Upsert(Describe());
        return Describe();
    }

    public Task<ListingDetails> GetUnchecked()
    {
        _ = Terms;
        return Task.FromResult(Describe());
    }

    public Task<ListingView> Get(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var details = Describe();
        if (actor.IsAdmin || actor.UserId == Terms.SellerId || (S.BuyerId is not null && actor.UserId == S.BuyerId)) return Task.FromResult(new ListingView(details, Full: true));
        return Task.FromResult(new ListingView(details with { Terms = details.Terms with { SellerId = "" }, BuyerId = null, ClosedReason = null }, Full: false));
    }

    public async Task<ListingDetails> Buy(Actor buyer, string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(buyer);
        _ = Terms;
        if (S.BuyerId == buyer.UserId && S.BuyKey == idempotencyKey && S.Status is ListingStatus.Paying or ListingStatus.Sold)
        {
            if (payments is IPaymentIntentGateway) return await ResumeIntent(); // the buyer confirmed in the browser: ask the gateway
            await Finish(); // the winner's retry: finishes an interrupted buy, never charges again
            return Describe();
        }
        await ExpireStalePaying();
        if (S.Status != ListingStatus.Open) throw Unavailable();
        if (buyer.UserId == Terms.SellerId) throw DomainException.Invalid("You cannot buy your own listing.");

        var evt = await GrainFactory.Ref<IEventGrain>(Terms.EventId).GetSaleTerms();
        if (evt.Status is EventStatus.Cancelled or EventStatus.Ended)
        {
            await CloseOpen($"the event is {evt.Status}");
            throw Unavailable();
        }
        if (!await Ticket().IsListedUnder(this.GetPrimaryKey()))
        {
            await CloseOpen("the ticket is no longer on the market");
            throw Unavailable();
        }

        // Hold: from this write on the listing is this buyer's; every other buyer is refused.
        S.Status = ListingStatus.Paying;
        S.BuyerId = buyer.UserId;
        S.BuyKey = idempotencyKey;
        S.PaymentAttempt++;
        await Write();
        if (payments is IPaymentIntentGateway intents) return await StartIntent(intents);
        await Finish();
        return Describe();
    }

    public async Task<ListingDetails> Withdraw(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.UserId != Terms.SellerId && !actor.IsAdmin) throw DomainException.Forbidden("Only the seller may delist.");
        await ExpireStalePaying();
        if (S.Status == ListingStatus.Open)
        {
            S.Status = ListingStatus.Withdrawn;
            await Write();
        }
        if (S.Status != ListingStatus.Withdrawn) throw Unavailable();
        await Ticket().Delist(this.GetPrimaryKey()); // idempotent: a retry after a crash finishes here
        await Index().Remove(this.GetPrimaryKey());
        return Describe();
    }

    public async Task Close(string reason)
    {
        if (S.Terms is null) return;
        await CloseOpen(reason);
    }

    public async Task UnwindForCancellation(string reason)
    {
        _ = Terms; // an unknown listing is refused (not found) before anything else
        if (S.Status is not (ListingStatus.Sold or ListingStatus.Unwound)) return; // never sold: nothing to give back
        if (S.Status == ListingStatus.Sold)
        {
            // The same key as any other refund of this sale, so the buyer is paid back once whatever path runs.
            var refund = await payments.RefundAsync(BuyerRefundKey, S.PaymentId!, Terms.Price, Terms.Currency);
            if (!refund.Succeeded) throw new DomainException(DomainErrorCode.Unavailable, $"Refunding the resale buyer failed ({refund.FailureReason}); it will be retried.");
            S.Status = ListingStatus.Unwound;
            S.ClosedReason = $"The event was cancelled ({reason}): the buyer was refunded and the seller's proceeds voided.";
            S.Settled = true; // an unfinished settlement stays unfinished: no proceeds are recorded for an unwound sale
            await Write();
        }
        // Repeated on every call, so a crash after the write above still finishes them.
        await GrainFactory.Ref<ICustomerGrain>(Terms.SellerId).VoidProceeds(this.GetPrimaryKey(), reason);
        await Index().Remove(this.GetPrimaryKey());
        await Ticket().ResaleUnwound(this.GetPrimaryKey());
    }

    /// <summary>Pay (if not yet paid), then settle. Every step is idempotent, so a retry or a restart may repeat it.</summary>
    private async Task Finish()
    {
        if (S.Status == ListingStatus.Paying && payments is IPaymentIntentGateway) return; // paid by the buyer's intent, not here
        if (S.Status == ListingStatus.Paying)
        {
            var payment = await payments.ChargeAsync(ChargeKey, Terms.Price, Terms.Currency);
            if (!payment.Succeeded)
            {
                S.Status = ListingStatus.Open;
                S.BuyerId = null;
                S.BuyKey = null;
                await Write();
                throw new DomainException(DomainErrorCode.PaymentDeclined, $"The payment was declined: {payment.FailureReason}");
            }
            S.Status = ListingStatus.Sold;
            S.PaymentId = payment.PaymentId;
            S.SoldAt = clock.GetUtcNow();
            await Write(); // confirmed: the money is taken, from here on the sale only moves forward
        }
        if (S.Status != ListingStatus.Sold || S.Settled) return;

        try
        {
            await Ticket().SellOnResale(this.GetPrimaryKey(), S.BuyerId!);
        }
        catch (DomainException refused) when (refused.Code == DomainErrorCode.ListingUnavailable)
        {
            await RefundBuyer(refused.Message);
            throw Unavailable();
        }
        await GrainFactory.Ref<ICustomerGrain>(Terms.SellerId).RecordProceeds(
            new SaleProceeds(this.GetPrimaryKey(), Terms.TicketId, Terms.EventId, Terms.Price, Terms.Currency, S.SoldAt!.Value, S.PaymentId!));
        await Index().Remove(this.GetPrimaryKey());
        S.Settled = true;
        await Write();
    }

    /// <summary>The ticket left the market between our check and the sale (refunded, revoked): the buyer gets the money back.</summary>
    private async Task RefundBuyer(string why)
    {
        var refund = await payments.RefundAsync(BuyerRefundKey, S.PaymentId!, Terms.Price, Terms.Currency);
        if (!refund.Succeeded) throw new DomainException(DomainErrorCode.Unavailable, $"Refunding the buyer failed ({refund.FailureReason}); it will be retried.");
        S.Status = ListingStatus.Closed;
        S.ClosedReason = $"{why} The buyer was refunded.";
        S.Settled = true;
        await Write();
        await Index().Remove(this.GetPrimaryKey());
    }

    private async Task CloseOpen(string reason)
    {
        if (S.Status != ListingStatus.Open) return;
        S.Status = ListingStatus.Closed;
        S.ClosedReason = reason;
        await Write();
        await Index().Remove(this.GetPrimaryKey());
    }

    private DomainException Unavailable() => new(DomainErrorCode.ListingUnavailable, S.Status switch
    {
        ListingStatus.Paying or ListingStatus.Sold => "This listing was bought by someone else.",
        ListingStatus.Withdrawn => "The seller withdrew this listing.",
        ListingStatus.Closed => $"This listing is closed: {S.ClosedReason}",
        _ => "This listing is not for sale.",
    });

    private ITicketGrain Ticket() => GrainFactory.Ref<ITicketGrain>(Terms.TicketId);

    private IResaleGrain Index() => GrainFactory.Ref<IResaleGrain>(Terms.EventId);

    private Task Write() => listing.WriteOrReloadAsync(DeactivateOnIdle);

    private ListingDetails Describe() => new(Terms, S.Status, S.BuyerId, S.SoldAt, S.ClosedReason);
}
