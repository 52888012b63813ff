using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Live;
using TicketFlash.Grains.Live;

namespace TicketFlash.Grains.Tests.Live;

/// <summary>
/// The live grain's coalescing, without its 200 ms timer: everything reported between two pushes leaves in one push,
/// exactly. (Through the grains the split into intervals depends on timing; see <see cref="LiveSeatChangesTests"/>.)
/// </summary>
public sealed class LiveSectionsTests
{
    private static readonly Guid EventId = Guid.NewGuid();
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;

    private static SectionAvailability Counts(string section, long version, int held, int sold, int capacity = 100) =>
        new(section, capacity, capacity - held - sold, held, sold, null) { Version = version };

    private static SectionSeatChanges Seats(string section, long from, long to, params (string Seat, SeatStatus Status)[] seats) =>
        new(section, from, to, false, [.. seats.Select(s => new SeatState(s.Seat, s.Status))]);

    [Fact]
    public void Changes_within_one_interval_leave_in_one_push_with_the_last_state_per_seat()
    {
        var live = new LiveSections();
        live.Report(Counts("R", 4, 2, 0), Seats("R", 3, 4, ("A-1", SeatStatus.Reserved), ("A-2", SeatStatus.Reserved)));
        live.Report(Counts("R", 5, 1, 1), Seats("R", 4, 5, ("A-1", SeatStatus.Sold)));
        live.Report(Counts("R", 7, 0, 1), Seats("R", 5, 7, ("A-2", SeatStatus.Available), ("B-9", SeatStatus.Reserved), ("B-9", SeatStatus.Available)));

        var push = live.TakePush(EventId, At);

        var changes = Assert.Single(push.SeatChanges);
        Assert.Equal(("R", 3L, 7L, false), (changes.SectionId, changes.FromVersion, changes.Version, changes.Resync));
        Assert.Equal(new Dictionary<string, SeatStatus> { ["A-1"] = SeatStatus.Sold, ["A-2"] = SeatStatus.Available, ["B-9"] = SeatStatus.Available },
            changes.Seats.ToDictionary(s => s.SeatId, s => s.Status));
        Assert.Equal((7L, 0, 1), (push.Sections.Single().Version, push.Sections.Single().Held, push.Sections.Single().Sold));
        Assert.False(live.Dirty);

        // The next push continues from there and carries only what came after.
        live.Report(Counts("R", 8, 1, 1), Seats("R", 7, 8, ("C-1", SeatStatus.Reserved)));
        var next = Assert.Single(live.TakePush(EventId, At).SeatChanges);
        Assert.Equal((7L, 8L, "C-1"), (next.FromVersion, next.Version, next.Seats.Single().SeatId));
    }

    [Fact]
    public void General_admission_sections_push_counts_and_versions_only()
    {
        var live = new LiveSections();
        live.Report(Counts("GA", 2, 3, 0), null);
        live.Report(Counts("R", 2, 1, 0), Seats("R", 1, 2, ("A-1", SeatStatus.Reserved)));

        var push = live.TakePush(EventId, At);

        Assert.Equal(["GA", "R"], push.Sections.Select(s => s.SectionId));
        Assert.Equal(2, push.Sections.Single(s => s.SectionId == "GA").Version);
        Assert.Equal(["R"], push.SeatChanges.Select(c => c.SectionId));
    }

    [Fact]
    public void More_changed_seats_than_the_bound_across_reports_become_one_resync_marker()
    {
        var live = new LiveSections();
        var half = SectionSeatChanges.MaxSeats / 2 + 1;
        live.Report(Counts("R", 2, half, 0, 5000), new("R", 1, 2, false, [.. Enumerable.Range(0, half).Select(i => new SeatState($"A-{i}", SeatStatus.Reserved))]));
        live.Report(Counts("R", 3, 2 * half, 0, 5000), new("R", 2, 3, false, [.. Enumerable.Range(0, half).Select(i => new SeatState($"B-{i}", SeatStatus.Reserved))]));
        live.Report(Counts("R", 4, 2 * half, 0, 5000), Seats("R", 3, 4, ("C-1", SeatStatus.Reserved)));

        var marker = Assert.Single(live.TakePush(EventId, At).SeatChanges);

        Assert.Equal((true, 0, 1L, 4L), (marker.Resync, marker.Seats.Count, marker.FromVersion, marker.Version));
        live.Report(Counts("R", 5, 2 * half, 1, 5000), Seats("R", 4, 5, ("C-1", SeatStatus.Sold)));
        Assert.False(Assert.Single(live.TakePush(EventId, At).SeatChanges).Resync); // only that interval's
    }

    [Fact]
    public void The_same_seats_again_and_again_stay_one_entry_each_and_under_the_bound()
    {
        var live = new LiveSections();
        for (var v = 1; v <= 3 * SectionSeatChanges.MaxSeats; v++)
            live.Report(Counts("R", v + 1, v % 2, 0), Seats("R", v, v + 1, ("A-1", v % 2 == 1 ? SeatStatus.Reserved : SeatStatus.Available)));

        var changes = Assert.Single(live.TakePush(EventId, At).SeatChanges);

        Assert.False(changes.Resync);
        Assert.Equal(SeatStatus.Available, Assert.Single(changes.Seats).Status);
    }

    [Fact]
    public void A_report_that_skips_versions_makes_a_resync_and_an_overtaken_one_is_ignored()
    {
        var live = new LiveSections();
        live.Load(Counts("R", 10, 0, 0));
        live.Report(Counts("R", 14, 3, 0), Seats("R", 12, 14, ("A-1", SeatStatus.Reserved))); // 10 → 12 never arrived
        live.Report(Counts("R", 12, 1, 0), Seats("R", 10, 12, ("A-9", SeatStatus.Reserved))); // arrives late

        var push = live.TakePush(EventId, At);

        Assert.True(Assert.Single(push.SeatChanges).Resync);
        Assert.Equal((14L, 3), (push.Sections.Single().Version, push.Sections.Single().Held)); // counts never roll back
    }

    [Fact]
    public void A_subscription_snapshot_has_counts_and_versions_and_does_not_consume_the_pending_changes()
    {
        var live = new LiveSections();
        live.Load(Counts("R", 3, 0, 0) with { Seats = [new SeatState("A-1", SeatStatus.Available)] });
        live.Report(Counts("R", 4, 1, 0), Seats("R", 3, 4, ("A-1", SeatStatus.Reserved)));

        var snapshot = live.Snapshot(EventId, At);

        Assert.Empty(snapshot.SeatChanges);
        Assert.Null(snapshot.Sections.Single().Seats);
        Assert.Equal(4, snapshot.Sections.Single().Version);
        Assert.Equal("A-1", Assert.Single(Assert.Single(live.TakePush(EventId, At).SeatChanges).Seats).SeatId);
    }
}
