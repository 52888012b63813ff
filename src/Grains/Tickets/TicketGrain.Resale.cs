using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Resale;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Common;

namespace TicketFlash.Grains.Tickets;

/// <summary>
/// The ticket's side of the resale market. The ticket opens its listing (a fresh grain, so nothing can be waiting on it);
/// afterwards only the listing calls the ticket (to check, sell or delist), and the ticket tells the listing one-way.
/// </summary>
public sealed partial class TicketGrain
{
    public async Task<TicketDetails> List(Actor actor, decimal price)
    {
        await EnsureMaterialized();
        if (actor.UserId != S.OwnerId) throw DomainException.Forbidden("Only the ticket's owner may list it.");
        if (!ResaleLimits.IsPrice(price)) throw DomainException.Invalid(ResaleLimits.PriceMessage);
        TicketStateMachine.Move(S.Status, TicketAction.List); // refuses (409) before anything is asked of others

        var evt = await GrainFactory.Ref<IEventGrain>(S.EventId).Get();
        if (evt.Status is EventStatus.Cancelled or EventStatus.Ended) throw DomainException.State($"The event is {evt.Status}: no resale.");
        var tier = evt.TierOf(S.SectionId) ?? throw DomainException.State($"Section '{S.SectionId}' has no price tier.");
        var cap = Math.Round(tier.Price * evt.ResaleCapPercent / 100m, 2, MidpointRounding.ToZero);
        if (price > cap)
            throw new DomainException(DomainErrorCode.PriceAboveCap,
                $"The price {price} {tier.Currency} is above this event's resale cap of {cap} {tier.Currency} ({evt.ResaleCapPercent} % of the face value {tier.Price}).");

        // The listing is stored first: if we crash before our own write it is an orphan that refuses buyers (we are not
        // listed under it), never a listing of a ticket that can still be used.
        var terms = new ListingTerms(Guid.NewGuid(), this.GetPrimaryKey(), S.EventId, S.SectionId, S.SeatId, S.OwnerId, price, tier.Currency, tier.Price, clock.GetUtcNow());
        await GrainFactory.Ref<IListingGrain>(terms.ListingId).Open(terms);
        Move(TicketAction.List, actor.UserId, $"listing {terms.ListingId:N} at {price} {tier.Currency}");
        S.ListingId = terms.ListingId;
        await ticket.WriteOrReloadAsync(DeactivateOnIdle);
        await ReportToRoster();
        return Describe();
    }

    public async Task<bool> IsListedUnder(Guid listingId)
    {
        await EnsureMaterialized();
        return S.Status == TicketStatus.Listed && S.ListingId == listingId;
    }

    public async Task<TicketDetails> SellOnResale(Guid listingId, string buyerId)
    {
        await EnsureMaterialized();
        if (S.SoldListings.Contains(listingId))
        {
            // A retried settlement: finish what the first attempt may not have (the buyer's notice, the roster).
            await ReportToRoster();
            if (S.RecipientToNotify is not null) await NotifyRecipient();
            return Describe();
        }
        if (S.Status != TicketStatus.Listed || S.ListingId != listingId)
            throw new DomainException(DomainErrorCode.ListingUnavailable, $"The ticket is {S.Status} and no longer on this listing.");
        Move(TicketAction.SellOnResale, buyerId, $"bought on listing {listingId:N} from {S.OwnerId}");
        S.OwnerId = buyerId;
        S.Serial++; // the seller's code names the old serial: refused from now on
        UnbindDevice(buyerId, $"resold on listing {listingId:N}");
        S.ListingId = null;
        S.SoldListings.Add(listingId);
        S.RecipientToNotify = buyerId;
        await ticket.WriteOrReloadAsync(DeactivateOnIdle);
        await ReportToRoster(); // first: the seller's old code must stop working offline too
        await NotifyRecipient();
        return Describe();
    }

    public async Task<TicketDetails> Delist(Guid listingId)
    {
        await EnsureMaterialized();
        if (S.Status != TicketStatus.Listed || S.ListingId != listingId) return Describe(); // already delisted (a retry)
        Move(TicketAction.Delist, S.OwnerId, $"listing {listingId:N} withdrawn");
        S.ListingId = null;
        await ticket.WriteOrReloadAsync(DeactivateOnIdle);
        await ReportToRoster();
        return Describe();
    }

    /// <summary>Before a write that takes a Listed ticket elsewhere (refund, revoke, cancel): forget the listing, return it.</summary>
    private Guid? LeaveMarket()
    {
        var listing = S.ListingId;
        S.ListingId = null;
        return listing;
    }

    /// <summary>After that write: tell the listing, one-way. If the message is lost the listing still refuses buyers (it checks us first).</summary>
    private void CloseListing(Guid? listingId, string reason)
    {
        if (listingId is { } id) _ = GrainFactory.Ref<IListingGrain>(id).Close(reason);
    }
}
