using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Live;

namespace TicketFlash.Grains.Inventory;

/// <summary>
/// Live reporting. Nothing here runs per purchase: a write only keeps a reference to the seat map string it stored anyway
/// (<see cref="DurableStock"/>), and the timer, at most every 250 ms, compares the last reported map with the last
/// durable one. The seats that differ are exactly those the writes in between changed (a seat held and released within
/// one interval is, rightly, no change), ride on the one-way report the counts already took, and need no extra storage.
/// </summary>
public sealed partial class InventoryGrain
{
    private DurableStock _durable = DurableStock.Empty;
    private DurableStock _reported = DurableStock.Empty;

    /// <summary>Sends the stock of the last durable write and, for reserved seating, the seats changed since the last report.</summary>
    private Task ReportLive()
    {
        var stock = _durable;
        var changes = S.SeatsPerRow is { } perRow ? SeatChanges(_reported, stock, S.SectionId, perRow) : null;
        _reported = stock;
        return GrainFactory.Ref<ILiveStockGrain>(S.EventId).ReportChanges(Availability(includeSeats: false), changes);
    }

    /// <summary>The seats whose state differs between two durable seat maps; a resync marker past <see cref="SectionSeatChanges.MaxSeats"/>.</summary>
    internal static SectionSeatChanges SeatChanges(DurableStock from, DurableStock to, string sectionId, int seatsPerRow)
    {
        var before = from.SeatMap.AsSpan();
        var after = to.SeatMap.AsSpan();
        var seats = new List<SeatState>();
        var i = 0;
        while (i < after.Length)
        {
            // Skips equal runs with vectorized compares: most of a section is unchanged between two reports.
            i += i < before.Length ? after[i..].CommonPrefixLength(before[i..]) : 0;
            if (i >= after.Length) break;
            var was = i < before.Length ? before[i] : SeatCodes.Available; // before Initialize's first write: all available
            if (after[i] != was)
            {
                if (seats.Count == SectionSeatChanges.MaxSeats) return SectionSeatChanges.ResyncMarker(sectionId, from.Version, to.Version);
                seats.Add(new SeatState(SeatIds.Format(i, seatsPerRow), SeatCodes.Status(after[i])));
            }
            i++;
        }
        return new SectionSeatChanges(sectionId, from.Version, to.Version, false, seats);
    }

    /// <summary>What the last durable write stored: version, the seat map string it wrote, and the counts.</summary>
    internal sealed record DurableStock(long Version, string SeatMap, int Sold, int Held)
    {
        public static readonly DurableStock Empty = new(0, "", 0, 0);
    }
}
