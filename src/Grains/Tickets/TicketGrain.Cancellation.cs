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
            return S.History.Any(h => h.By == CancellationActor && h.To == TicketStatus.Refunded) ? CancellationRefund.Refunded : CancellationRefund.AlreadyRefunded;
        if (S.Status != TicketStatus.Cancelled)
        {
            if (!TicketStateMachine.TryMove(S.Status, TicketAction.Cancel, out _)) return CancellationRefund.NotRefundable;
            Move(TicketAction.Cancel, CancellationActor, reason);
            var listing = LeaveMarket();
            await ticket.WriteOrReloadAsync(DeactivateOnIdle); // refused at the gate from here on, even if the money is slow
            CloseListing(listing, "the event was cancelled");
            await ReportToRoster(); // offline gates learn it now, not once the money is back
        }

        if (S.SoldListings.Count > 0) return CancellationRefund.NeedsManualRefund; // see the enum: not the order's buyer

        // Cancelled: the money goes back exactly once (the order keys the refund by ticket), then Refunded is recorded.
        var origin = OrderIds.FromTicketId(this.GetPrimaryKey())!.Value;
        await GrainFactory.GetGrain<IOrderGrain>(origin.OrderId).RefundTicket(origin.Index, reason);
        Move(TicketAction.Refund, CancellationActor, reason);
        await ticket.WriteOrReloadAsync(DeactivateOnIdle);
        await ReportToRoster();
        return CancellationRefund.Refunded;
    }

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
