using Microsoft.Extensions.Logging;
using Orleans.Placement;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Customers;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Streams;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Common;
using TicketFlash.Grains.Payments;

namespace TicketFlash.Grains.Orders;

/// <summary>
/// Hold → pay → confirm for one order. Not reentrant: the order is the arbiter of its hold, so "pay" and "the hold
/// expired" are decided one after the other, never both.
/// Placed on the silo that received the request: one hop less on the hot path.
/// </summary>
[PreferLocalPlacement]
public sealed partial class OrderGrain(
    [PersistentState("order", StorageNames.Default)] IPersistentState<OrderState> order,
    IPaymentGateway payments,
    TimeProvider clock,
    ILogger<OrderGrain> logger) : Grain, IOrderGrain
{
    private Outbox? _outbox;
    private bool _commitUnsaved;

    private OrderState S => order.State;

    private Outbox Published => _outbox ??= new Outbox(this, () => order.State.Outbox, logger);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Status == OrderStatus.Confirmed && !S.InventoryCommitted) await CommitInventory();
        Published.Activated();
    }

    /// <summary>
    /// Saves what changed without a write of its own (events published, the inventory commit acknowledged), so the next
    /// activation neither republishes nor re-commits. Off the hot path: it runs when the grain goes idle.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (S.Status == OrderStatus.None || !(Published.HasUnsavedRemovals || _commitUnsaved)) return;
        try
        {
            await Write();
        }
        catch (Exception error)
        {
            logger.LogDebug(error, "Tidying order state at deactivation failed; the next activation repeats idempotent work");
        }
    }

    public async Task<OrderDetails> Place(Actor actor, PlaceOrderCommand command)
    {
        var fingerprint = Fingerprint(command);
        if (S.Status != OrderStatus.None)
        {
            EnsureOwner(actor);
            if (S.RequestFingerprint != fingerprint)
                throw new DomainException(DomainErrorCode.IdempotencyKeyReused, "This Idempotency-Key was already used for a different order request.");
            return Describe();
        }
        var id = this.GetPrimaryKey();
        var plan = await OrderPlanner.Plan(GrainFactory, command);
        var expiresAt = clock.GetUtcNow() + plan.Terms.HoldDuration;

        var (offer, hold) = await HoldSeats(actor.UserId, command, plan, expiresAt);
        try
        {
            await GrainFactory.Ref<ICustomerGrain>(actor.UserId).Reserve(command.EventId, id, command.Quantity, plan.Terms.PerCustomerLimit, expiresAt);
        }
        catch
        {
            await Inventory(command.EventId, offer.SectionId).Release(id);
            throw;
        }

        order.State = new OrderState
        {
            CustomerId = actor.UserId,
            EventId = command.EventId,
            SectionId = offer.SectionId,
            Status = OrderStatus.Held,
            Quantity = command.Quantity,
            Seats = [.. hold.Seats],
            UnitPrice = offer.Price,
            Currency = offer.Currency,
            CreatedAt = clock.GetUtcNow(),
            ExpiresAt = hold.ExpiresAt,
            RequestFingerprint = fingerprint,
        };
        await Write();
        return Describe();
    }

    public async Task<OrderDetails> Pay(Actor actor)
    {
        EnsureExists();
        EnsureOwner(actor);
        switch (S.Status)
        {
            case OrderStatus.Confirmed:
                if (!S.InventoryCommitted) await CommitInventory(); // a retry after the commit failed finishes it
                return Describe();
            case OrderStatus.Expired:
                throw new DomainException(DomainErrorCode.HoldExpired, "The hold on these seats expired; place a new order.");
            case OrderStatus.Cancelled:
                throw DomainException.State("This order was cancelled.");
            case OrderStatus.PaymentPending:
                return await ConfirmByClient(); // the browser confirmed with the gateway: ask it, confirm if paid
        }
        if (clock.GetUtcNow() >= S.ExpiresAt)
        {
            await Close(OrderStatus.Expired);
            throw new DomainException(DomainErrorCode.HoldExpired, "The hold on these seats expired; place a new order.");
        }

        var terms = await GrainFactory.Ref<Abstractions.Events.IEventGrain>(S.EventId).GetSaleTerms();
        if (terms.Status == Abstractions.Events.EventStatus.Cancelled)
        {
            await Close(OrderStatus.Cancelled);
            throw DomainException.State("The event was cancelled; the hold is released and nothing was charged.");
        }

        // A gateway the buyer confirms in the browser (Stripe) gets an intent; the one-call gateway charges at once.
        if (payments is IPaymentIntentGateway intents) return await StartIntent(intents);
        var payment = await payments.ChargeAsync(this.GetPrimaryKey().ToString("N"), S.Total, S.Currency);
        if (!payment.Succeeded)
            throw new DomainException(DomainErrorCode.PaymentDeclined, $"The payment was declined: {payment.FailureReason}");

        await Confirm(payment.PaymentId);
        return Describe();
    }

    /// <summary>Paid: tickets issued (in the outbox with the state), then the inventory sells the held seats.</summary>
    private async Task Confirm(string paymentId)
    {
        var now = clock.GetUtcNow();
        S.Status = OrderStatus.Confirmed;
        S.ConfirmedAt = now;
        S.PaymentId = paymentId;
        S.Outbox.Add(new OrderConfirmed(Guid.NewGuid(), S.EventId, now, this.GetPrimaryKey(), S.CustomerId, S.Quantity, S.Total, S.Currency));
        S.Outbox.AddRange(Tickets().Select(t => new TicketIssued(Guid.NewGuid(), S.EventId, now, t.TicketId, t.OrderId, S.CustomerId, t.SectionId, t.SeatId)));
        await Write();
        await CommitInventory();
    }

    public async Task<OrderDetails> Cancel(Actor actor)
    {
        EnsureExists();
        EnsureOwner(actor);
        if (S.Status == OrderStatus.Confirmed) throw DomainException.State("A confirmed order cannot be released; ask for a refund.");
        if (S.Status == OrderStatus.Held) await Close(OrderStatus.Cancelled);
        if (S.Status == OrderStatus.PaymentPending) await CancelPending();
        return Describe();
    }

    public Task<OrderDetails> Get(Actor actor)
    {
        EnsureExists();
        EnsureOwner(actor);
        return Task.FromResult(Describe());
    }

    public async Task<HoldVerdict> ResolveExpiredHold()
    {
        switch (S.Status)
        {
            case OrderStatus.Confirmed:
                return HoldVerdict.Commit;
            case OrderStatus.Held when clock.GetUtcNow() < S.ExpiresAt:
                return HoldVerdict.Keep;
            case OrderStatus.Held:
                await Close(OrderStatus.Expired);
                return HoldVerdict.Release;
            case OrderStatus.PaymentPending when clock.GetUtcNow() < S.ExpiresAt:
                return HoldVerdict.Keep;
            case OrderStatus.PaymentPending:
                return await ExpirePending();
            default:
                return HoldVerdict.Release;
        }
    }

    public async Task RefundTicket(int index, string reason)
    {
        if (S.Status != OrderStatus.Confirmed || index < 0 || index >= S.Quantity) throw DomainException.State("Only a ticket of a confirmed order can be refunded.");
        if (S.TicketRefunds.ContainsKey(index)) return;
        var ticketId = OrderIds.TicketId(this.GetPrimaryKey(), index);
        var refund = await payments.RefundAsync($"refund-{ticketId:N}", S.PaymentId ?? "", S.UnitPrice, S.Currency);
        if (!refund.Succeeded) throw new DomainException(DomainErrorCode.Unavailable, $"The refund failed ({refund.FailureReason}); it will be retried.");
        S.TicketRefunds[index] = refund.PaymentId;
        await Write();
        logger.LogInformation("Refunded ticket {TicketId} ({Reason})", ticketId, reason);
    }

    public Task<OrderStatus> PeekStatus() => Task.FromResult(S.Status);

    public Task<TicketSummary?> DescribeTicket(int index) =>
        Task.FromResult(S.Status == OrderStatus.Confirmed && index < S.Quantity ? Tickets()[index] : null);

    private async Task Close(OrderStatus final)
    {
        S.Status = final;
        S.Outbox.Add(new OrderClosed(Guid.NewGuid(), S.EventId, clock.GetUtcNow(), this.GetPrimaryKey(), final.ToString()));
        await Write();
        await Task.WhenAll(
            Inventory(S.EventId, S.SectionId).Release(this.GetPrimaryKey()),
            GrainFactory.Ref<ICustomerGrain>(S.CustomerId).Release(S.EventId, this.GetPrimaryKey()));
    }

    private async Task CommitInventory()
    {
        await Inventory(S.EventId, S.SectionId).Commit(this.GetPrimaryKey());
        S.InventoryCommitted = true; // persisted with the next write (at the latest on deactivation); a repeat commit is harmless.
        _commitUnsaved = true;
    }

    private IInventoryGrain Inventory(Guid eventId, string sectionId) =>
        GrainFactory.Ref<IInventoryGrain>(InventoryKeys.For(eventId, sectionId));

    private async Task Write()
    {
        var events = Published.Snapshot();
        _commitUnsaved = false;
        try
        {
            // A stale ETag (another activation wrote first) or any failure: never overwrite, reload the truth.
            await order.WriteOrReloadAsync(DeactivateOnIdle);
        }
        catch
        {
            Published.Activated(); // whatever the reloaded state holds is durable
            throw;
        }
        Published.Durable(events);
    }

    private void EnsureExists()
    {
        if (S.Status == OrderStatus.None) throw DomainException.NotFound("Order");
    }

    private void EnsureOwner(Actor actor)
    {
        if (actor.UserId != S.CustomerId && !actor.IsAdmin) throw DomainException.Forbidden("This order belongs to another customer.");
    }

    private List<TicketSummary> Tickets()
    {
        if (S.Status != OrderStatus.Confirmed) return [];
        // The order's view: the ticket was sold (issued) by it. The ticket grain knows where it went since.
        var status = TicketStatus.Sold.ToString();
        return [.. Enumerable.Range(0, S.Quantity).Select(i => new TicketSummary(
            OrderIds.TicketId(this.GetPrimaryKey(), i), this.GetPrimaryKey(), S.EventId, S.SectionId, i < S.Seats.Count ? S.Seats[i] : null, status, S.CustomerId, S.ConfirmedAt))];
    }

    private OrderDetails Describe()
    {
        // A hold past its expiry is expired whether or not the inventory has swept it yet.
        var status = S.Status == OrderStatus.Held && clock.GetUtcNow() >= S.ExpiresAt ? OrderStatus.Expired : S.Status;
        return new OrderDetails(this.GetPrimaryKey(), S.CustomerId, S.EventId, S.SectionId, status, S.Seats, S.Quantity, S.Total,
            S.Currency, S.CreatedAt, S.ExpiresAt, Tickets(), DescribePayment());
    }

    private static string Fingerprint(PlaceOrderCommand c) =>
        $"{c.EventId:N}|{c.Quantity}|{c.SectionId}|{string.Join(',', c.Seats ?? [])}";
}
