using TicketFlash.Abstractions.Cancellation;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Common;

namespace TicketFlash.Grains.Tickets;

/// <summary>
/// The ticket's part in the sweeps over a whole event: cancellation (Cancel, so the code is refused from then on, money
/// back, Refunded) and expiry after the check-in window.
/// </summary>
public sealed partial class TicketGrain
{
    private const string CancellationActor = "system:cancellation";

    public async Task<CancellationRefund> CancelForEvent(string reason)
    {
        await EnsureMaterialized();
        if (S.Status == TicketStatus.Refunded)
            return S.History.Any(h => h.By == CancellationActor && h.To == TicketStatus.Refunded) ? RefundedByCancellation : CancellationRefund.AlreadyRefunded;
        if (S.Status != TicketStatus.Cancelled)
        {
            if (!TicketStateMachine.TryMove(S.Status, TicketAction.Cancel, out _)) return CancellationRefund.NotRefundable;
            Move(TicketAction.Cancel, CancellationActor, reason);
            var listing = LeaveMarket();
            await ticket.WriteOrReloadAsync(DeactivateOnIdle); // refused at the gate from here on, even if the money is slow
            CloseListing(listing, "the event was cancelled");
            await ReportToRoster(); // offline gates learn it now, not once the money is back
        }

        // Resold: the holder paid a seller, not the organizer. Each resale is unwound first (the run asks the listings;
        // the ticket never waits on a listing, which may be calling it), so the original buyer is refunded only after.
        if (PendingUnwinds().Count > 0) return CancellationRefund.ResalesToUnwind;

        // Cancelled: the money goes back exactly once (the order keys the refund by ticket), then Refunded is recorded.
        var origin = OrderIds.FromTicketId(this.GetPrimaryKey())!.Value;
        await GrainFactory.Ref<IOrderGrain>(origin.OrderId).RefundTicket(origin.Index, reason);
        Move(TicketAction.Refund, CancellationActor, reason);
        await ticket.WriteOrReloadAsync(DeactivateOnIdle);
        await ReportToRoster();
        return RefundedByCancellation;
    }

    public async Task<IReadOnlyList<Guid>> ResalesToUnwind()
    {
        await EnsureMaterialized();
        return PendingUnwinds();
    }

    public async Task ResaleUnwound(Guid listingId)
    {
        await EnsureMaterialized();
        if (!S.SoldListings.Contains(listingId) || S.UnwoundListings.Contains(listingId)) return;
        S.UnwoundListings.Add(listingId);
        await ticket.WriteOrReloadAsync(DeactivateOnIdle);
    }

    private List<Guid> PendingUnwinds() => [.. S.SoldListings.Where(l => !S.UnwoundListings.Contains(l))];

    private CancellationRefund RefundedByCancellation =>
        S.SoldListings.Count > 0 ? CancellationRefund.RefundedWithResalesUnwound : CancellationRefund.Refunded;

    public async Task<bool> ExpireAfterEvent()
    {
        await EnsureMaterialized();
        if (S.Status == TicketStatus.Expired) return true;
        if (!TicketStateMachine.TryMove(S.Status, TicketAction.Expire, out _)) return false; // used, refunded, revoked: stays as it is
        Move(TicketAction.Expire, "system:expiry", "the event's check-in window closed");
        var listing = LeaveMarket();
        await ticket.WriteOrReloadAsync(DeactivateOnIdle);
        CloseListing(listing, "the event is over");
        await ReportToRoster();
        return true;
    }
}
