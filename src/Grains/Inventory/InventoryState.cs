using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Streams;

namespace TicketFlash.Grains.Inventory;

/// <summary>
/// One section's stock, kept compact because a hot section is written hundreds of times per second:
/// reserved seating is one character per seat, sales of general admission are a count, and only unpaid holds are listed.
/// </summary>
public sealed class InventoryState
{
    public Guid EventId { get; set; }
    public string SectionId { get; set; } = "";
    public int? Rows { get; set; }
    public int? SeatsPerRow { get; set; }
    public int Capacity { get; set; }

    /// <summary>Reserved seating only: one character per seat (see <see cref="SeatCodes"/>), index = row * seatsPerRow + seat - 1.</summary>
    public string SeatMap { get; set; } = "";

    public int Sold { get; set; }
    public Dictionary<Guid, HoldRecord> Holds { get; set; } = [];

    /// <summary>Refunded tickets whose place went back on sale (rare; makes ReturnSeat idempotent).</summary>
    public List<Guid> ReturnedTickets { get; set; } = [];

    /// <summary>
    /// Every sale's order and quantity, packed (see <see cref="SoldOrderLedger"/>): what a cancellation refunds. Only the
    /// pages after the first <see cref="SealedPages"/>, which live in <see cref="SoldOrderPageGrain"/>s.
    /// </summary>
    public List<string> SoldOrders { get; set; } = [];

    /// <summary>Full ledger pages moved out of this state (pages 0 … SealedPages − 1).</summary>
    public int SealedPages { get; set; }
    public List<DomainEvent> Outbox { get; set; } = [];

    /// <summary>Durable writes so far: the version live clients compare (see SectionAvailability.Version).</summary>
    public long Version { get; set; }

    /// <summary>
    /// A copy for the storage writer: the provider serializes after an await, while reentrant calls go on changing the
    /// live state. Holds, events and ledger pages (strings) are never changed in place, so copying the collections is enough.
    /// </summary>
    public InventoryState Snapshot() => new()
    {
        EventId = EventId,
        SectionId = SectionId,
        Rows = Rows,
        SeatsPerRow = SeatsPerRow,
        Capacity = Capacity,
        SeatMap = SeatMap,
        Sold = Sold,
        Holds = new Dictionary<Guid, HoldRecord>(Holds),
        ReturnedTickets = [.. ReturnedTickets],
        SoldOrders = [.. SoldOrders], // pages are immutable strings: the list copy is a full snapshot
        SealedPages = SealedPages,
        Outbox = [.. Outbox],
        Version = Version,
    };
}

public sealed class HoldRecord
{
    public string CustomerId { get; set; } = "";
    public int Quantity { get; set; }
    public List<int> SeatIndexes { get; set; } = [];
    public DateTimeOffset ExpiresAt { get; set; }
}

public static class SeatCodes
{
    public const char Available = '.';
    public const char Held = 'h';
    public const char Sold = 's';

    public static SeatStatus Status(char code) => code switch
    {
        Held => SeatStatus.Reserved,
        Sold => SeatStatus.Sold,
        _ => SeatStatus.Available,
    };
}
