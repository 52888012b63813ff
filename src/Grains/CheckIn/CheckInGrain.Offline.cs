using System.Security.Cryptography;
using System.Text;
using TicketFlash.Abstractions.CheckIn;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tickets.Codes;

namespace TicketFlash.Grains.CheckIn;

/// <summary>
/// The gate when the network dies: scanners download a bundle (public keys, check-in window, roster changes since their
/// token) and decide alone; later they upload what they scanned and the server reconciles "first scan wins".
/// </summary>
public sealed partial class CheckInGrain
{
    private readonly HashSet<string> _syncing = [];

    public async Task<OfflineBundle> GetBundle(Actor actor, long since)
    {
        var evt = await Authorize(actor);
        if (since < 0) throw DomainException.Invalid("since is a token from an earlier bundle (0 for everything).");
        var keys = await GrainFactory.Ref<ITicketKeyGrain>(evt.Id).GetPublicKeys();
        var shards = await Task.WhenAll(RosterShards.All.Select(shard => GrainFactory.Ref<ICheckInRosterGrain>(evt.Id, shard).GetChanges(since)));
        var (opens, closes) = TicketCodeIssuer.CheckInWindow(evt);
        return new OfflineBundle(evt.Id, keys, opens, closes, [.. shards.SelectMany(s => s.Entries)], since, shards.Min(s => s.Next), _clock.GetUtcNow());
    }

    public async Task<IReadOnlyList<SyncedScanResult>> Sync(Actor actor, string deviceId, string gate, IReadOnlyList<OfflineScan> scans)
    {
        ArgumentNullException.ThrowIfNull(scans);
        var evt = await Authorize(actor);
        if (!OfflineLimits.IsScanCount(scans.Count)) throw DomainException.Invalid(OfflineLimits.ScanCountMessage);
        var now = _clock.GetUtcNow();
        var results = new SyncedScanResult[scans.Count];
        // Oldest first, so "first scan wins" holds inside one upload too.
        foreach (var i in Enumerable.Range(0, scans.Count).OrderBy(i => scans[i].ScannedAt))
            results[i] = await SyncOne(evt, deviceId, gate, scans[i], now);
        await _commit.CommitAsync();
        return results;
    }

    public async Task<IReadOnlyList<CheckInConflict>> GetConflicts(Actor actor)
    {
        await Authorize(actor);
        return [.. S.Conflicts];
    }

    private async Task<SyncedScanResult> SyncOne(EventDetails evt, string deviceId, string gate, OfflineScan scan, DateTimeOffset now)
    {
        var key = ScanKey(deviceId, scan);
        if (S.SyncedScans.TryGetValue(key, out var earlier)) return new(scan.Code, scan.ScannedAt, earlier, null, false, "Already synced.");
        if (!_syncing.Add(key)) return new(scan.Code, scan.ScannedAt, CheckInResult.AlreadyCheckedIn, null, false, "A concurrent upload is syncing this scan.");
        try
        {
            var outcome = scan.ScannedAt > now + OfflineLimits.MaxClockAhead
                ? Refusal(CheckInResult.Invalid, "The scan is dated in the future: the device's clock is wrong.")
                : await Decide(evt, scan.Code, gate, deviceId, scan.ScannedAt, offline: true);
            var conflict = Reconcile(gate, deviceId, scan, outcome, now);
            S.SyncedScans[key] = outcome.Result;
            return new(scan.Code, scan.ScannedAt, outcome.Result, outcome.TicketId, conflict, outcome.Detail);
        }
        finally
        {
            _syncing.Remove(key);
        }
    }

    /// <summary>Counts the scan and records a double admission. Returns whether this scan revealed one.</summary>
    private bool Reconcile(string gate, string deviceId, OfflineScan scan, CheckInOutcome outcome, DateTimeOffset now)
    {
        Count(gate, outcome.Result, scan.ScannedAt);
        if (outcome is { Result: CheckInResult.Admitted, DisplacedAt: { } displacedAt, DisplacedGate: { } displacedGate })
        {
            // The admission recorded before was later than this one: it becomes the duplicate, so the counts move with it.
            var tally = Tally(displacedGate);
            tally.Admitted--;
            tally.Refused++;
            var minute = displacedAt.ToUnixTimeSeconds() / 60;
            S.AdmittedPerMinute[minute] = S.AdmittedPerMinute.GetValueOrDefault(minute) - 1;
            S.Conflicts.Add(new CheckInConflict(outcome.TicketId!.Value, gate, scan.ScannedAt, displacedGate, displacedAt, deviceId, now));
            return true;
        }
        if (outcome is { Result: CheckInResult.AlreadyCheckedIn, TicketId: { } ticketId })
        {
            S.Conflicts.Add(new CheckInConflict(ticketId, outcome.FirstGate ?? "", outcome.FirstScanAt ?? scan.ScannedAt, gate, scan.ScannedAt, deviceId, now));
            return true;
        }
        return false;
    }

    /// <summary>A short stable key for one scan of one device (codes are ~170 characters).</summary>
    private static string ScanKey(string deviceId, OfflineScan scan) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes($"{deviceId}\n{scan.Code}\n{scan.ScannedAt.ToUnixTimeMilliseconds()}")).AsSpan(0, 12));
}
