using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Live;
using TicketFlash.Abstractions.Streams;
using TicketFlash.Grains.Common;

namespace TicketFlash.Grains.Inventory;

/// <summary>
/// One section of one event. Reentrant so that group commit can batch writes: every method checks and changes memory
/// without awaiting in between, then waits for the shared durable write before it answers.
/// </summary>
[Reentrant]
public sealed partial class InventoryGrain : Grain, IInventoryGrain, IRemindable
{
    private readonly IPersistentState<InventoryState> _inventory;
    private readonly TimeProvider _clock;
    private readonly ILogger<InventoryGrain> _logger;
    private readonly GroupCommit _commit;
    private readonly InventoryOptions _options;
    private readonly Outbox _outbox;
    private char[] _seats = [];
    private int _held;
    private bool _liveDirty;

    public InventoryGrain(
        [PersistentState("inventory", StorageNames.Default)] IPersistentState<InventoryState> inventory,
        TimeProvider clock,
        IOptions<InventoryOptions> options,
        ILogger<InventoryGrain> logger)
    {
        _inventory = inventory;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _commit = new GroupCommit(WriteAsync, OnWriteFailed);
        _outbox = new Outbox(this, () => S.Outbox, logger);
    }

    /// <summary>The live state; storage gets a snapshot of it at each write (see <see cref="InventoryState.Snapshot"/>).</summary>
    private InventoryState S { get; set; } = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        S = _inventory.State;
        _seats = S.SeatMap.ToCharArray();
        _held = S.Holds.Values.Sum(h => h.Quantity);
        _durable = _reported = new DurableStock(S.Version, S.SeatMap, S.Sold, _held);
        this.RegisterGrainTimer(OnTick, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
        _outbox.Activated();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (!_outbox.HasUnsavedRemovals || _commit.IsBroken || !_inventory.RecordExists) return;
        try
        {
            await _commit.CommitAsync(); // drop published events from storage so they are not published again
        }
        catch (Exception error)
        {
            _logger.LogDebug(error, "Tidying the outbox at deactivation failed; the next activation republishes");
        }
    }

    public async Task Initialize(InventorySetup setup)
    {
        if (S.Capacity > 0)
        {
            // Already set up (possibly still being written by a concurrent call): never reset stock.
            if (!_inventory.RecordExists) await _commit.CommitAsync();
            return;
        }
        var section = setup.Section;
        S.EventId = setup.EventId;
        S.SectionId = section.Id;
        S.Rows = section.Rows;
        S.SeatsPerRow = section.SeatsPerRow;
        S.Capacity = section.TotalCapacity;
        _seats = section.IsReservedSeating ? new string(SeatCodes.Available, section.TotalCapacity).ToCharArray() : [];
        await _commit.CommitAsync();
    }

    public async Task<HoldResult> Hold(HoldRequest request)
    {
        EnsureUsable();
        if (S.Holds.TryGetValue(request.OrderId, out var existing))
        {
            await _commit.CommitAsync(); // a retry must not be answered before the first attempt's write
            return Describe(request.OrderId, existing);
        }
        if (request.Quantity < 1) throw DomainException.Invalid("Quantity must be positive.");
        if (request.Seats is { Count: > 0 } && request.Seats.Count != request.Quantity)
            throw DomainException.Invalid("The quantity must equal the number of seats requested.");

        var indexes = PickSeats(request);
        var hold = new HoldRecord { CustomerId = request.CustomerId, Quantity = request.Quantity, SeatIndexes = indexes, ExpiresAt = request.ExpiresAt };
        foreach (var i in indexes) _seats[i] = SeatCodes.Held;
        S.Holds[request.OrderId] = hold;
        _held += hold.Quantity;
        var result = Describe(request.OrderId, hold);
        S.Outbox.Add(new SeatsHeld(Guid.NewGuid(), S.EventId, _clock.GetUtcNow(), S.SectionId, request.OrderId, hold.Quantity, result.Seats));

        await _commit.CommitAsync();
        await EnsureExpiryReminder();
        return result;
    }

    public async Task Commit(Guid orderId)
    {
        EnsureUsable();
        if (!S.Holds.TryGetValue(orderId, out var hold))
        {
            // Only the order releases an expired hold (it is asked first), so a confirmed order's missing hold was
            // already committed: this is the idempotent retry of a commit.
            return;
        }
        ApplySale(orderId, hold);
        await _commit.CommitAsync();
    }

    public async Task Release(Guid orderId)
    {
        EnsureUsable();
        if (!S.Holds.TryGetValue(orderId, out var hold)) return;
        ApplyRelease(orderId, hold);
        await _commit.CommitAsync();
    }

    public async Task ReturnSeat(Guid ticketId, string? seatId)
    {
        EnsureUsable();
        if (S.ReturnedTickets.Contains(ticketId))
        {
            await _commit.CommitAsync();
            return;
        }
        if (S.SeatsPerRow is { } perRow)
        {
            var index = seatId is null ? null : SeatIds.TryParse(seatId, S.Rows!.Value, perRow);
            if (index is not { } i || _seats[i] != SeatCodes.Sold) throw DomainException.State($"Seat '{seatId}' is not sold in section '{S.SectionId}'.");
            _seats[i] = SeatCodes.Available;
        }
        else if (S.Sold == 0)
        {
            throw DomainException.State($"Section '{S.SectionId}' has no sold place to return.");
        }
        S.Sold--;
        S.ReturnedTickets.Add(ticketId);
        S.Outbox.Add(new SeatsReleased(Guid.NewGuid(), S.EventId, _clock.GetUtcNow(), S.SectionId, ticketId, 1, seatId is null ? [] : [seatId]));
        await _commit.CommitAsync();
    }

    public async Task<SoldOrdersPage> GetSoldOrders(int from, int max)
    {
        if (!_inventory.RecordExists) throw DomainException.NotFound("Section");
        from = Math.Max(0, from);
        max = Math.Clamp(max, 1, 1000);
        var sealedEntries = S.SealedPages * SoldOrderLedger.PageEntries;
        var total = sealedEntries + SoldOrderLedger.Count(S.SoldOrders);
        var entries = from < sealedEntries // a sealed page: one page per call, the caller's cursor moves on
            ? SoldOrderLedger.Read([await GrainFactory.Page(S.EventId, S.SectionId, from / SoldOrderLedger.PageEntries).Get()], from % SoldOrderLedger.PageEntries, max)
            : SoldOrderLedger.Read(S.SoldOrders, from - sealedEntries, max);
        return new SoldOrdersPage(total, [.. entries.Select(e => new SoldOrder(e.OrderId, e.Quantity))]);
    }

    public Task<SectionAvailability> GetAvailability(bool includeSeats)
    {
        if (!_inventory.RecordExists) throw DomainException.NotFound("Section");
        return Task.FromResult(Availability(includeSeats));
    }

    private List<int> PickSeats(HoldRequest request)
    {
        var available = S.Capacity - S.Sold - _held;
        if (S.SeatsPerRow is not { } perRow)
        {
            if (request.Seats is { Count: > 0 }) throw DomainException.Invalid($"Section '{S.SectionId}' is general admission: it has no seat ids.");
            if (available < request.Quantity) throw Unavailable(available);
            return [];
        }
        if (request.Seats is not { Count: > 0 } wanted)
        {
            return BestAvailable.Pick(_seats, perRow, request.Quantity) ?? throw Unavailable(available);
        }

        var indexes = new List<int>(wanted.Count);
        foreach (var seatId in wanted)
        {
            var index = SeatIds.TryParse(seatId, S.Rows!.Value, perRow)
                ?? throw DomainException.Invalid($"Seat '{seatId}' does not exist in section '{S.SectionId}'.");
            if (indexes.Contains(index)) throw DomainException.Invalid($"Seat '{seatId}' is requested twice.");
            indexes.Add(index);
        }
        if (indexes.Any(i => _seats[i] != SeatCodes.Available))
            throw new DomainException(DomainErrorCode.SeatsUnavailable, "One or more of the requested seats are no longer available.");
        return indexes;
    }

    private DomainException Unavailable(int available) => available == 0
        ? new(DomainErrorCode.SoldOut, $"Section '{S.SectionId}' is sold out.")
        : new(DomainErrorCode.SeatsUnavailable, $"Section '{S.SectionId}' has only {available} places left together.");

    private void ApplySale(Guid orderId, HoldRecord hold)
    {
        foreach (var i in hold.SeatIndexes) _seats[i] = SeatCodes.Sold;
        S.Holds.Remove(orderId);
        _held -= hold.Quantity;
        S.Sold += hold.Quantity;
        SoldOrderLedger.Append(S.SoldOrders, orderId, hold.Quantity);
        S.Outbox.Add(new SeatsSold(Guid.NewGuid(), S.EventId, _clock.GetUtcNow(), S.SectionId, orderId, hold.Quantity, SeatNames(hold)));
    }

    private void ApplyRelease(Guid orderId, HoldRecord hold)
    {
        foreach (var i in hold.SeatIndexes) _seats[i] = SeatCodes.Available;
        S.Holds.Remove(orderId);
        _held -= hold.Quantity;
        S.Outbox.Add(new SeatsReleased(Guid.NewGuid(), S.EventId, _clock.GetUtcNow(), S.SectionId, orderId, hold.Quantity, SeatNames(hold)));
    }

    private HoldResult Describe(Guid orderId, HoldRecord hold) => new(orderId, SeatNames(hold), hold.ExpiresAt);

    private List<string> SeatNames(HoldRecord hold) =>
        S.SeatsPerRow is { } perRow ? [.. hold.SeatIndexes.Select(i => SeatIds.Format(i, perRow))] : [];

    /// <summary>
    /// The stock as of the last durable write, with its version: what is reported live and what GET answers, so a
    /// fetched seat list and the deltas pushed after it agree on what each version contains (and nothing not yet
    /// stored, which a failed write could take back, is ever shown).
    /// </summary>
    private SectionAvailability Availability(bool includeSeats)
    {
        var stock = _durable;
        List<SeatState>? seats = null;
        if (includeSeats && S.SeatsPerRow is { } perRow)
        {
            seats = new List<SeatState>(stock.SeatMap.Length);
            for (var i = 0; i < stock.SeatMap.Length; i++) seats.Add(new SeatState(SeatIds.Format(i, perRow), SeatCodes.Status(stock.SeatMap[i])));
        }
        return new SectionAvailability(S.SectionId, S.Capacity, S.Capacity - stock.Sold - stock.Held, stock.Held, stock.Sold, seats) { Version = stock.Version };
    }

    private void EnsureUsable()
    {
        if (!_inventory.RecordExists && S.Capacity == 0) throw DomainException.NotFound("Section");
        if (_commit.IsBroken) throw new DomainException(DomainErrorCode.Unavailable, "This section is reloading; try again.");
    }

    private async Task WriteAsync()
    {
        SoldOrderLedger.Pack(S.SoldOrders);
        while (S.SoldOrders.Count > 1 && SoldOrderLedger.IsFullPage(S.SoldOrders[0]))
        {
            // A full ledger page leaves the hot state for a grain of its own before the write that drops it: every
            // inventory write stays small, and no sale is ever only in memory.
            await GrainFactory.Page(S.EventId, S.SectionId, S.SealedPages).Store(S.SoldOrders[0]);
            S.SoldOrders.RemoveAt(0);
            S.SealedPages++;
        }
        SoldOrderLedger.Pack(S.SoldOrders); // sales appended while the page was stored; in this turn, with the snapshot
        S.SeatMap = new string(_seats);
        S.Version++;
        var events = _outbox.Snapshot();
        _inventory.State = S.Snapshot(); // taken now, in this turn: later interleaved changes go to the next write
        var written = new DurableStock(S.Version, S.SeatMap, S.Sold, _held);
        await _inventory.WriteStateAsync();
        _durable = written;
        _liveDirty = true;
        _outbox.Durable(events);
    }

    private void OnWriteFailed(Exception error)
    {
        _logger.LogWarning(error, "Inventory {Key} failed to write; deactivating to reload from storage", this.GetPrimaryKeyString());
        DeactivateOnIdle();
    }
}
