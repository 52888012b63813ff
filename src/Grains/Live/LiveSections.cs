using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Live;

namespace TicketFlash.Grains.Live;

/// <summary>
/// The coalescing behind <see cref="LiveStockGrain"/>, apart from its timer so it can be tested exactly: each section's
/// latest counts, and per reserved section the seats changed since the last push (last state per seat wins). Memory is
/// bounded: past <see cref="SectionSeatChanges.MaxSeats"/> changed seats a section keeps only a resync marker.
/// </summary>
public sealed class LiveSections
{
    private readonly Dictionary<string, SectionAvailability> _latest = [];
    private readonly Dictionary<string, Pending> _pending = [];

    /// <summary>True when something was reported since the last <see cref="TakePush"/>.</summary>
    public bool Dirty { get; private set; }

    /// <summary>Counts read from an inventory (no delta): known unless a report already told something newer.</summary>
    public void Load(SectionAvailability section)
    {
        if (!_latest.TryGetValue(section.SectionId, out var known) || known.Version < section.Version) _latest[section.SectionId] = section with { Seats = null };
    }

    /// <summary>A report from a silo that predates versions: counts only, keeping the version clients last saw.</summary>
    public void ReportCounts(SectionAvailability section)
    {
        var version = _latest.TryGetValue(section.SectionId, out var known) ? known.Version : section.Version;
        _latest[section.SectionId] = section with { Seats = null, Version = version };
        Dirty = true;
    }

    public void Report(SectionAvailability section, SectionSeatChanges? seats)
    {
        var id = section.SectionId;
        var known = _latest.GetValueOrDefault(id);
        // One-way messages may overtake each other: an older report must not roll counts back (its seats are in the newer one's range or lost → gap below).
        if (known is not null && section.Version <= known.Version) return;
        if (seats is not null)
        {
            if (!_pending.TryGetValue(id, out var pending)) _pending[id] = pending = new Pending(seats.FromVersion);
            // A report that does not start where the last one ended means changes were lost (a report overtaken, or
            // an inventory that wrote but did not report before it deactivated): clients must refetch.
            if (seats.Resync || (known is not null && seats.FromVersion > known.Version)) pending.MarkResync();
            else pending.Merge(seats.Seats);
        }
        _latest[id] = section with { Seats = null };
        Dirty = true;
    }

    /// <summary>All sections' counts and versions, without seat changes (what a subscriber gets first).</summary>
    public AvailabilitySnapshot Snapshot(Guid eventId, DateTimeOffset at) => new(eventId, Sections(), at);

    /// <summary>The next push: counts, versions and the merged seat changes, which it then forgets.</summary>
    public AvailabilitySnapshot TakePush(Guid eventId, DateTimeOffset at)
    {
        var changes = _pending.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value.ToChanges(p.Key, _latest[p.Key].Version)).ToList();
        _pending.Clear();
        Dirty = false;
        return new AvailabilitySnapshot(eventId, Sections(), at) { SeatChanges = changes };
    }

    private List<SectionAvailability> Sections() => [.. _latest.Values.OrderBy(s => s.SectionId, StringComparer.Ordinal)];

    private sealed class Pending(long fromVersion)
    {
        private Dictionary<string, SeatStatus>? _seats = [];

        public void Merge(IReadOnlyList<SeatState> seats)
        {
            if (_seats is null) return; // already a resync: nothing more to keep
            foreach (var seat in seats) _seats[seat.SeatId] = seat.Status;
            if (_seats.Count > SectionSeatChanges.MaxSeats) MarkResync();
        }

        public void MarkResync() => _seats = null;

        public SectionSeatChanges ToChanges(string sectionId, long version) => _seats is null
            ? SectionSeatChanges.ResyncMarker(sectionId, fromVersion, version)
            : new(sectionId, fromVersion, version, false, [.. _seats.Select(s => new SeatState(s.Key, s.Value))]);
    }
}
