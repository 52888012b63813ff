using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Customers;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Resale;
using TicketFlash.Grains.Common;

namespace TicketFlash.Grains.Customers;

public sealed class CustomerState
{
    /// <summary>Per event: the orders counting against the customer's limit.</summary>
    public Dictionary<Guid, Dictionary<Guid, Reservation>> Reservations { get; set; } = [];
    public List<Guid> OrderIds { get; set; } = [];
    public List<Guid> ReceivedTickets { get; set; } = [];

    /// <summary>Resale earnings, one per sold listing.</summary>
    public List<SaleProceeds> Proceeds { get; set; } = [];

    /// <summary>A deep copy for the storage writer, which serializes after an await while reentrant calls go on.</summary>
    public CustomerState Snapshot() => new()
    {
        Reservations = Reservations.ToDictionary(e => e.Key, e => e.Value.ToDictionary(
            r => r.Key, r => new Reservation { Quantity = r.Value.Quantity, ExpiresAt = r.Value.ExpiresAt, Confirmed = r.Value.Confirmed })),
        OrderIds = [.. OrderIds],
        ReceivedTickets = [.. ReceivedTickets],
        Proceeds = [.. Proceeds],
    };
}

public sealed class Reservation
{
    public int Quantity { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>True once the order is known to be confirmed: it counts forever, no need to ask again.</summary>
    public bool Confirmed { get; set; }
}

/// <summary>
/// Enforces the per-customer limit across concurrent orders: the count and the new reservation are checked and added
/// in one turn, then made durable with group commit (a fan firing 30 requests at once shares writes).
/// </summary>
[Reentrant]
public sealed class CustomerGrain : Grain, ICustomerGrain
{
    private readonly IPersistentState<CustomerState> _customer;
    private readonly TimeProvider _clock;
    private readonly ILogger<CustomerGrain> _logger;
    private readonly GroupCommit _commit;

    public CustomerGrain(
        [PersistentState("customer", StorageNames.Default)] IPersistentState<CustomerState> customer,
        TimeProvider clock,
        ILogger<CustomerGrain> logger)
    {
        _customer = customer;
        _clock = clock;
        _logger = logger;
        _commit = new GroupCommit(WriteAsync, OnWriteFailed);
    }

    private CustomerState S { get; set; } = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        S = _customer.State;
        return Task.CompletedTask;
    }

    private Task WriteAsync()
    {
        _customer.State = S.Snapshot();
        return _customer.WriteStateAsync();
    }

    public async Task Reserve(Guid eventId, Guid orderId, int quantity, int limit, DateTimeOffset expiresAt)
    {
        await SettleLapsedReservations(eventId);

        // From here to the commit nothing awaits: the check and the add are one step.
        if (_commit.IsBroken) throw new DomainException(DomainErrorCode.Unavailable, "Customer is reloading; try again.");
        var reservations = ReservationsOf(eventId);
        if (reservations.ContainsKey(orderId))
        {
            await _commit.CommitAsync(); // a retry must not be answered before the first attempt's write
            return;
        }
        var counted = reservations.Values.Sum(r => r.Quantity);
        if (counted + quantity > limit)
        {
            throw new DomainException(DomainErrorCode.LimitExceeded,
                $"This order would bring you to {counted + quantity} tickets for this event; the limit is {limit}.");
        }
        reservations[orderId] = new Reservation { Quantity = quantity, ExpiresAt = expiresAt };
        if (!S.OrderIds.Contains(orderId)) S.OrderIds.Add(orderId);
        await _commit.CommitAsync();
    }

    public async Task Release(Guid eventId, Guid orderId)
    {
        if (!ReservationsOf(eventId).Remove(orderId)) return;
        await _commit.CommitAsync();
    }

    public Task<IReadOnlyList<Guid>> GetOrderIds() => Task.FromResult<IReadOnlyList<Guid>>([.. S.OrderIds]);

    public Task<IReadOnlyList<Guid>> GetOrderIds(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.UserId != this.GetPrimaryKeyString() && !actor.IsAdmin) throw DomainException.Forbidden("Only the user or an admin may list these orders.");
        return GetOrderIds();
    }

    public async Task ReceiveTicket(Guid ticketId)
    {
        if (!S.ReceivedTickets.Contains(ticketId)) S.ReceivedTickets.Add(ticketId);
        await _commit.CommitAsync();
    }

    public Task<IReadOnlyList<Guid>> GetReceivedTickets() => Task.FromResult<IReadOnlyList<Guid>>([.. S.ReceivedTickets]);

    public async Task RecordProceeds(SaleProceeds proceeds)
    {
        ArgumentNullException.ThrowIfNull(proceeds);
        if (!S.Proceeds.Any(p => p.ListingId == proceeds.ListingId)) S.Proceeds.Add(proceeds);
        await _commit.CommitAsync(); // a retry must not be answered before the first attempt's write
    }

    public async Task VoidProceeds(Guid listingId, string reason)
    {
        var index = S.Proceeds.FindIndex(p => p.ListingId == listingId);
        if (index < 0 || S.Proceeds[index].VoidedReason is not null) return; // never recorded (the sale was unwound first), or a retry
        S.Proceeds[index] = S.Proceeds[index] with { VoidedReason = reason };
        await _commit.CommitAsync();
    }

    public Task<IReadOnlyList<SaleProceeds>> GetProceeds() => Task.FromResult<IReadOnlyList<SaleProceeds>>([.. S.Proceeds]);

    private Dictionary<Guid, Reservation> ReservationsOf(Guid eventId)
    {
        if (!S.Reservations.TryGetValue(eventId, out var reservations))
            S.Reservations[eventId] = reservations = [];
        return reservations;
    }

    /// <summary>
    /// A reservation past its hold expiry counts only if its order was confirmed (or is still deciding). Asking the
    /// order instead of writing here on every payment keeps a purchase to fewer durable writes.
    /// </summary>
    private async Task SettleLapsedReservations(Guid eventId)
    {
        var now = _clock.GetUtcNow();
        var lapsed = ReservationsOf(eventId).Where(r => !r.Value.Confirmed && r.Value.ExpiresAt < now).Select(r => r.Key).ToList();
        if (lapsed.Count == 0) return;
        var statuses = await Task.WhenAll(lapsed.Select(async id => (id, status: await GrainFactory.Ref<IOrderGrain>(id).PeekStatus())));
        var reservations = ReservationsOf(eventId);
        foreach (var (id, status) in statuses)
        {
            if (!reservations.TryGetValue(id, out var reservation)) continue;
            if (status == OrderStatus.Confirmed) reservation.Confirmed = true;
            else if (status is OrderStatus.Cancelled or OrderStatus.Expired or OrderStatus.None) reservations.Remove(id);
        }
    }

    private void OnWriteFailed(Exception error)
    {
        _logger.LogWarning(error, "Customer {Key} failed to write; deactivating to reload from storage", this.GetPrimaryKeyString());
        DeactivateOnIdle();
    }
}
