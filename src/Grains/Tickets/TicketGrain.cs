using Microsoft.Extensions.Logging;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Common;

namespace TicketFlash.Grains.Tickets;

/// <summary>
/// A ticket. Its issue is durable in its confirmed order; the grain materializes (and persists) its own state the
/// first time it is used, so a purchase costs no write per ticket. Every change goes through <see cref="TicketStateMachine"/>.
/// Not reentrant: two gates scanning at the same instant are answered one after the other, so only one is admitted.
/// </summary>
public sealed partial class TicketGrain(
    [PersistentState("ticket", StorageNames.Default)] IPersistentState<TicketState> ticket,
    TimeProvider clock,
    ILogger<TicketGrain> logger) : Grain, ITicketGrain
{
    private TicketState S => ticket.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!ticket.RecordExists) return;
        if (RosterNeedsUs) await ReportToRoster(); // a report a crash may have cut off (never throws)
        try
        {
            // Unfinished work of an earlier activation; a dependency that is down must not make the ticket unusable.
            if (S.RefundUnsettled) await SettleRefund("resumed after a restart");
            if (S.RecipientToNotify is not null) await NotifyRecipient();
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Ticket {TicketId}: finishing a refund or a recipient notice failed; the next activation or refund request repeats it", this.GetPrimaryKey());
        }
    }

    public async Task<TicketDetails> Transfer(Actor actor, string toUserId)
    {
        await EnsureMaterialized();
        if (actor.UserId != S.OwnerId) throw DomainException.Forbidden("Only the ticket's owner may transfer it.");
        if (!TicketRules.IsRecipient(toUserId)) throw DomainException.Invalid(TicketRules.RecipientMessage);
        if (toUserId == S.OwnerId) throw DomainException.Invalid("The ticket already belongs to that user.");
        var evt = await GrainFactory.Ref<IEventGrain>(S.EventId).Get();
        if (clock.GetUtcNow() >= evt.StartsAt - TimeSpan.FromHours(evt.TransferFreezeHours))
            throw DomainException.State($"Transfers are frozen {evt.TransferFreezeHours} h before the event starts.");
        Move(TicketAction.Transfer, actor.UserId, $"to {toUserId}");
        S.OwnerId = toUserId;
        S.Serial++; // the old code names the old serial: refused from now on
        UnbindDevice(actor.UserId, $"transferred to {toUserId}");
        S.RecipientToNotify = toUserId;
        await ticket.WriteOrReloadAsync(DeactivateOnIdle);
        await ReportToRoster();
        await NotifyRecipient();
        return Describe();
    }

    public async Task<TicketDetails> GetUnchecked()
    {
        await EnsureMaterialized();
        return Describe();
    }

    public async Task<TicketDetails> Get(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await EnsureMaterialized();
        if (!IsOwnerOrAdmin(actor)) throw DomainException.Forbidden("This ticket belongs to someone else.");
        return Describe();
    }

    public async Task<TicketDetails?> GetIfOwnedBy(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await EnsureMaterialized();
        return actor.UserId == S.OwnerId ? Describe() : null;
    }

    public async Task<Guid> ListingToWithdraw(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await EnsureMaterialized();
        if (!IsOwnerOrAdmin(actor)) throw DomainException.Forbidden("Only the ticket's owner may delist it.");
        return Describe().ListingId ?? throw DomainException.State($"The ticket is {S.Status}, not listed.");
    }

    private bool IsOwnerOrAdmin(Actor actor) => actor.UserId == S.OwnerId || actor.IsAdmin;

    public async Task<IReadOnlyList<TicketTransition>> GetHistory(Actor actor)
    {
        await EnsureMaterialized();
        if (actor.UserId != S.OwnerId && !await IsOrganizerOrAdmin(actor)) throw DomainException.Forbidden("Only the owner, the event's organizer and admins see a ticket's history.");
        return S.History;
    }

    public async Task<TicketDetails> Refund(Actor actor, string reason)
    {
        await AuthorizePrivileged(actor, reason);
        if (S.Status == TicketStatus.Refunded && S.RefundUnsettled)
        {
            await SettleRefund(reason); // the money did not go back last time: a repeated request finishes it
            return Describe();
        }
        if (S.SoldListings.Count > 0)
            throw DomainException.State("This ticket was resold: its holder paid the seller, not the organizer, so the order's price cannot simply go back. Refund it by hand.");
        Move(TicketAction.Refund, actor.UserId, reason);
        var listing = LeaveMarket();
        S.RefundUnsettled = true;
        await ticket.WriteOrReloadAsync(DeactivateOnIdle);
        CloseListing(listing, "the ticket was refunded");
        await ReportToRoster();
        await SettleRefund(reason);
        return Describe();
    }

    public async Task<TicketDetails> Revoke(Actor actor, string reason)
    {
        await AuthorizePrivileged(actor, reason);
        Move(TicketAction.Revoke, actor.UserId, reason);
        var listing = LeaveMarket();
        await ticket.WriteOrReloadAsync(DeactivateOnIdle);
        CloseListing(listing, "the ticket was revoked");
        await ReportToRoster();
        return Describe();
    }

    public async Task<CheckInOutcome> CheckIn(CheckInAttempt attempt)
    {
        await EnsureMaterialized();
        if (attempt.Serial != (uint)S.Serial) return Outcome(CheckInResult.Revoked, "This code was replaced (the ticket changed hands); the old code is void.");
        if (attempt.DeviceKey is { } device && !IsBoundDevice(device))
            return Outcome(CheckInResult.Revoked, "This device code comes from a device that is no longer bound to the ticket (the holder bound another); its codes are void.");
        switch (S.Status)
        {
            case TicketStatus.CheckedIn when attempt.Offline:
                return await ReconcileOfflineScan(attempt);
            case TicketStatus.CheckedIn:
                return Outcome(CheckInResult.AlreadyCheckedIn, $"Already admitted at {S.CheckedInAt:u} through gate {S.CheckedInGate}.");
            case TicketStatus.Revoked or TicketStatus.Refunded or TicketStatus.Cancelled:
                return Outcome(CheckInResult.Revoked, $"The ticket is {S.Status}.");
        }
        if (!TicketStateMachine.TryMove(S.Status, TicketAction.CheckIn, out _))
            return Outcome(CheckInResult.NotActive, $"A ticket in state {S.Status} cannot be admitted.");

        Move(TicketAction.CheckIn, $"gate:{attempt.Gate}", ScanReason(attempt), attempt.ScannedAt);
        S.CheckedInAt = attempt.ScannedAt;
        S.CheckedInGate = attempt.Gate;
        S.CheckedInDevice = attempt.DeviceId;
        await ticket.WriteOrReloadAsync(DeactivateOnIdle); // admitted only once this is durable
        await ReportToRoster(admission: true);
        return Outcome(CheckInResult.Admitted, "Welcome.");
    }

    /// <summary>
    /// An offline scan of a ticket already admitted: "first scan wins". The same scan sent again is answered as before;
    /// an earlier scan takes the admission's place (the later one becomes the duplicate); a later one is the duplicate.
    /// </summary>
    private async Task<CheckInOutcome> ReconcileOfflineScan(CheckInAttempt attempt)
    {
        if (attempt.DeviceId == S.CheckedInDevice && attempt.ScannedAt == S.CheckedInAt)
            return Outcome(CheckInResult.Admitted, "Welcome (this scan was already recorded).");
        if (attempt.ScannedAt >= S.CheckedInAt)
            return Outcome(CheckInResult.AlreadyCheckedIn, $"Already admitted at {S.CheckedInAt:u} through gate {S.CheckedInGate}.");

        var (displacedGate, displacedAt) = (S.CheckedInGate, S.CheckedInAt);
        var admission = S.History.FindLastIndex(h => h.To == TicketStatus.CheckedIn && h.From != TicketStatus.CheckedIn); // not a device binding after it
        S.History[admission] = S.History[admission] with
        {
            At = attempt.ScannedAt,
            By = $"gate:{attempt.Gate}",
            Reason = $"{TicketAction.CheckIn}: {ScanReason(attempt)}; first scan, before gate {displacedGate} at {displacedAt:u}",
        };
        S.CheckedInAt = attempt.ScannedAt;
        S.CheckedInGate = attempt.Gate;
        S.CheckedInDevice = attempt.DeviceId;
        await ticket.WriteOrReloadAsync(DeactivateOnIdle);
        return Outcome(CheckInResult.Admitted, $"First scan: the admission at gate {displacedGate} ({displacedAt:u}) is now the duplicate.")
            with { DisplacedGate = displacedGate, DisplacedAt = displacedAt };
    }

    private static string ScanReason(CheckInAttempt attempt) =>
        attempt.Offline ? $"scanned offline by device {attempt.DeviceId}" : $"scanned by device {attempt.DeviceId}";

    private async Task SettleRefund(string reason)
    {
        var origin = OrderIds.FromTicketId(this.GetPrimaryKey())!.Value;
        await GrainFactory.Ref<IOrderGrain>(origin.OrderId).RefundTicket(origin.Index, reason);
        await GrainFactory.Ref<IInventoryGrain>(InventoryKeys.For(S.EventId, S.SectionId)).ReturnSeat(this.GetPrimaryKey(), S.SeatId);
        S.RefundUnsettled = false;
        await ticket.WriteOrReloadAsync(DeactivateOnIdle);
    }

    private async Task NotifyRecipient()
    {
        await GrainFactory.Ref<Abstractions.Customers.ICustomerGrain>(S.RecipientToNotify!).ReceiveTicket(this.GetPrimaryKey());
        S.RecipientToNotify = null;
        await ticket.WriteOrReloadAsync(DeactivateOnIdle);
    }

    private void Move(TicketAction action, string by, string reason, DateTimeOffset? at = null)
    {
        var to = TicketStateMachine.Move(S.Status, action);
        S.History.Add(new TicketTransition(S.Status, to, at ?? clock.GetUtcNow(), by, $"{action}: {reason}"));
        S.Status = to;
    }

    private async Task AuthorizePrivileged(Actor actor, string reason)
    {
        await EnsureMaterialized();
        if (!await IsOrganizerOrAdmin(actor)) throw DomainException.Forbidden("Only the event's organizer or an admin may do this.");
        if (!TicketRules.IsReason(reason)) throw DomainException.Invalid(TicketRules.ReasonMessage);
    }

    private async Task<bool> IsOrganizerOrAdmin(Actor actor) =>
        actor.CanAdminister((await GrainFactory.Ref<IEventGrain>(S.EventId).GetSaleTerms()).Tenant);

    private async Task EnsureMaterialized()
    {
        if (ticket.RecordExists) return;
        var origin = OrderIds.FromTicketId(this.GetPrimaryKey()) ?? throw DomainException.NotFound("Ticket");
        var summary = await GrainFactory.Ref<IOrderGrain>(origin.OrderId).DescribeTicket(origin.Index)
            ?? throw DomainException.NotFound("Ticket");
        ticket.State = new TicketState
        {
            OrderId = summary.OrderId,
            EventId = summary.EventId,
            SectionId = summary.SectionId,
            SeatId = summary.SeatId,
            OwnerId = summary.OwnerId,
            Status = TicketStatus.Reserved,
            Serial = 1,
        };
        Move(TicketAction.Issue, summary.OwnerId, "order confirmed", summary.IssuedAt); // sold when paid, not when first read
        Move(TicketAction.Activate, "system", "no minting configured");
        await ticket.WriteOrReloadAsync(DeactivateOnIdle);
    }

    private CheckInOutcome Outcome(CheckInResult result, string detail) =>
        new(result, this.GetPrimaryKey(), S.SectionId, S.SeatId, S.Status, S.CheckedInAt, S.CheckedInGate, detail);

    private TicketDetails Describe() =>
        new(this.GetPrimaryKey(), S.OrderId, S.EventId, S.SectionId, S.SeatId, S.OwnerId, S.Status, S.Serial, S.History, S.ListingId);
}
