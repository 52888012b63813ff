using TicketFlash.Abstractions.CheckIn;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tests.Infrastructure;
using TicketFlash.Grains.Tests.Tickets.Lifecycle;
using TicketFlash.Grains.Tickets.Codes;

namespace TicketFlash.Grains.Tests.CheckIn;

/// <summary>Offline scanners: the bundle they decide with, and the server's "first scan wins" reconciliation of their uploads.</summary>
[Collection(ClusterCollection.Name)]
public sealed class OfflineCheckInTests(ClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.GrainFactory;

    private ITicketGrain Ticket(Guid ticketId) => Grains.GetGrain<ITicketGrain>(ticketId);

    private async Task<(GateEvent Event, List<(Actor Fan, Guid TicketId, string Code)> Tickets)> Setup(int count)
    {
        var evt = await GateKit.CreateEvent(Grains, [Sections.GeneralAdmission("ga", 100)]);
        var tickets = new List<(Actor, Guid, string)>();
        for (var i = 0; i < count; i++)
        {
            var fan = Actors.Fan();
            var id = (await GateKit.Buy(Grains, fan, evt.Id, 1)).Tickets[0].TicketId;
            tickets.Add((fan, id, await GateKit.CodeOf(Grains, fan, id)));
        }
        return (evt, tickets);
    }

    private Task<IReadOnlyList<SyncedScanResult>> Sync(GateEvent evt, string device, string gate, params (string Code, DateTimeOffset At)[] scans) =>
        Grains.GetGrain<ICheckInGrain>(evt.Id).Sync(evt.Staff(), device, gate, [.. scans.Select(s => new OfflineScan(s.Code, s.At))]);

    [Fact]
    public async Task The_bundle_lets_a_scanner_verify_codes_alone_and_lists_changed_tickets_incrementally()
    {
        var (evt, tickets) = await Setup(5);
        var staff = evt.Staff();
        var gate = Grains.GetGrain<ICheckInGrain>(evt.Id);
        var empty = await gate.GetBundle(staff, 0);
        Assert.Empty(empty.Tickets); // untouched tickets are the default: Active, serial 1

        var (a, b, c, d) = (tickets[0], tickets[1], tickets[2], tickets[3]);
        await Ticket(a.TicketId).Transfer(a.Fan, "friend");
        await Ticket(b.TicketId).Revoke(evt.Organizer, "fraud");
        await Ticket(c.TicketId).List(c.Fan, 10m);
        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, staff, d.Code)).Result);

        // An admission reaches the roster without the gate waiting for it (ICheckInRosterGrain.Note): soon, not at once.
        var full = await BundleOnceItLists(gate, staff, d.TicketId);
        Assert.Equal(
            new[] { (a.TicketId, 2, TicketStatus.Transferred), (b.TicketId, 1, TicketStatus.Revoked), (c.TicketId, 1, TicketStatus.Listed), (d.TicketId, 1, TicketStatus.CheckedIn) }.OrderBy(x => x.Item1),
            full.Tickets.Select(t => (t.TicketId, t.Serial, t.Status)).OrderBy(x => x.Item1));
        Assert.Equal((TicketCodeIssuer.CheckInWindow(evt.Details).From, TicketCodeIssuer.CheckInWindow(evt.Details).To), (full.CheckInOpens, full.CheckInCloses));
        var ring = new TicketKeyRing(full.Keys);
        Assert.All(full.Keys, k => Assert.Equal(32, k.PublicKey.Length));
        Assert.All(tickets, t => Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(t.Code, ring, DateTimeOffset.UtcNow).Verdict));

        Assert.Empty((await gate.GetBundle(staff, full.Next)).Tickets);
        await Ticket(c.TicketId).Revoke(evt.Organizer, "listed by a tout");
        var delta = await gate.GetBundle(staff, full.Next);
        Assert.Equal((c.TicketId, TicketStatus.Revoked), (Assert.Single(delta.Tickets).TicketId, delta.Tickets[0].Status));
        Assert.True(delta.Next > full.Next);
        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => gate.GetBundle(Actors.Fan(), 0));
        await DomainAssert.Refuses(DomainErrorCode.Validation, () => gate.GetBundle(staff, -1));
    }

    [Fact]
    public async Task An_admission_noted_in_the_roster_is_stored_and_survives_the_roster_s_deactivation()
    {
        var (evt, tickets) = await Setup(1);
        var gate = Grains.GetGrain<ICheckInGrain>(evt.Id);
        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, evt.Staff(), tickets[0].Code)).Result);
        Assert.Contains((await BundleOnceItLists(gate, evt.Staff(), tickets[0].TicketId)).Tickets, t => t.TicketId == tickets[0].TicketId);

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // past the roster's flush period
        var shard = Grains.GetGrain<ICheckInRosterGrain>(evt.Id, RosterShards.Of(tickets[0].TicketId));
        await shard.AsReference<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(200);

        var entry = Assert.Single((await shard.GetChanges(0)).Entries);
        Assert.Equal((tickets[0].TicketId, TicketStatus.CheckedIn), (entry.TicketId, entry.Status));
    }

    private static async Task<OfflineBundle> BundleOnceItLists(ICheckInGrain gate, Actor staff, Guid ticketId)
    {
        for (var attempt = 0; ; attempt++)
        {
            var bundle = await gate.GetBundle(staff, 0);
            if (bundle.Tickets.Any(t => t.TicketId == ticketId) || attempt == 50) return bundle;
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Two_offline_gates_admitting_one_ticket_are_a_conflict_the_earliest_scan_wins_and_counts_reconcile()
    {
        var (evt, tickets) = await Setup(4);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-20);
        var (twice, onlineFirst, once, revoked) = (tickets[0], tickets[1], tickets[2], tickets[3]);
        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, evt.Staff(), onlineFirst.Code, "main")).Result);
        await Ticket(revoked.TicketId).Revoke(evt.Organizer, "chargeback");

        // North syncs first: its later scan of "twice" is admitted for now.
        var north = await Sync(evt, "north-1", "north", (twice.Code, t0.AddMinutes(5)), (once.Code, t0.AddMinutes(6)));
        Assert.Equal([CheckInResult.Admitted, CheckInResult.Admitted], north.Select(r => r.Result));
        // South scanned "twice" earlier: first scan wins, north's becomes the duplicate. It also admitted a ticket already
        // admitted online, and one revoked before the doors opened.
        var south = await Sync(evt, "south-1", "south", (twice.Code, t0), (onlineFirst.Code, DateTimeOffset.UtcNow), (revoked.Code, t0.AddMinutes(1)));
        Assert.Equal([(CheckInResult.Admitted, true), (CheckInResult.AlreadyCheckedIn, true), (CheckInResult.Revoked, false)],
            south.Select(r => (r.Result, r.Conflict)));
        var resent = await Sync(evt, "south-1", "south", (twice.Code, t0));
        Assert.Equal(CheckInResult.Admitted, Assert.Single(resent).Result);

        var ticket = await Ticket(twice.TicketId).GetUnchecked();
        Assert.Equal(TicketStatus.CheckedIn, ticket.Status);
        var admission = Assert.Single(ticket.History, h => h.To == TicketStatus.CheckedIn);
        Assert.Equal((t0, "gate:south"), (admission.At, admission.By));

        var conflicts = await Grains.GetGrain<ICheckInGrain>(evt.Id).GetConflicts(evt.Organizer);
        Assert.Equal(2, conflicts.Count);
        Assert.Contains(conflicts, c => c.TicketId == twice.TicketId && (c.FirstGate, c.FirstAt, c.SecondGate) == ("south", t0, "north"));
        Assert.Contains(conflicts, c => c.TicketId == onlineFirst.TicketId && (c.FirstGate, c.SecondGate) == ("main", "south"));

        var stats = await Grains.GetGrain<ICheckInGrain>(evt.Id).GetStats(evt.Organizer);
        var checkedIn = 0;
        foreach (var t in tickets) checkedIn += (await Ticket(t.TicketId).GetUnchecked()).Status == TicketStatus.CheckedIn ? 1 : 0;
        Assert.Equal(3, checkedIn);
        Assert.Equal(checkedIn, stats.Admitted);
        Assert.Equal((3, 5, 2), (stats.Refused, stats.OfflineScans, stats.Conflicts)); // north's duplicate; south's duplicate and revoked
        var gates = stats.Gates.ToDictionary(g => g.Gate, g => (g.Admitted, g.Refused));
        Assert.Equal((1, 1), gates["north"]); // "once" admitted; its "twice" became the duplicate
        Assert.Equal((1, 2), gates["south"]);
        Assert.Equal((1, 0), gates["main"]);
    }

    [Fact]
    public async Task A_delisted_ticket_replaces_its_Listed_entry_so_offline_scanners_admit_it_again()
    {
        var (evt, tickets) = await Setup(1);
        var (fan, ticketId, _) = tickets[0];
        var gate = Grains.GetGrain<ICheckInGrain>(evt.Id);
        var listingId = (await Ticket(ticketId).List(fan, 10m)).ListingId!.Value;
        var listed = await gate.GetBundle(evt.Staff(), 0);
        Assert.Equal(TicketStatus.Listed, Assert.Single(listed.Tickets).Status);

        await Grains.GetGrain<Abstractions.Resale.IListingGrain>(listingId).Withdraw(fan);

        var delta = await gate.GetBundle(evt.Staff(), listed.Next);
        Assert.Equal((ticketId, 1, TicketStatus.Active), (Assert.Single(delta.Tickets).TicketId, delta.Tickets[0].Serial, delta.Tickets[0].Status));
    }

    [Fact]
    public async Task A_scan_dated_in_the_future_is_not_believed_and_bad_uploads_are_refused()
    {
        var (evt, tickets) = await Setup(1);
        var results = await Sync(evt, "d", "g", (tickets[0].Code, DateTimeOffset.UtcNow.AddHours(1)), ("garbage", DateTimeOffset.UtcNow));
        Assert.Equal([CheckInResult.Invalid, CheckInResult.Invalid], results.Select(r => r.Result));
        Assert.Equal(TicketStatus.Active, (await Ticket(tickets[0].TicketId).GetUnchecked()).Status);
        await DomainAssert.Refuses(DomainErrorCode.Validation, () => Sync(evt, "d", "g"));
        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () =>
            Grains.GetGrain<ICheckInGrain>(evt.Id).Sync(Actors.Fan(), "d", "g", [new OfflineScan(tickets[0].Code, DateTimeOffset.UtcNow)]));
    }
}
