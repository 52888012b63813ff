using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using TicketFlash.Abstractions.CheckIn;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Common;
using TicketFlash.Grains.Tickets.Codes;

namespace TicketFlash.Grains.CheckIn;

public sealed class CheckInState
{
    public Dictionary<string, GateTally> Gates { get; set; } = [];

    /// <summary>Admissions per minute (unix minutes), for the scans-per-minute chart.</summary>
    public Dictionary<long, int> AdmittedPerMinute { get; set; } = [];

    /// <summary>Offline scans already reconciled (key: device, code, time) and their result: a re-sent sync counts nothing twice.</summary>
    public Dictionary<string, CheckInResult> SyncedScans { get; set; } = [];

    public List<CheckInConflict> Conflicts { get; set; } = [];

    /// <summary>A deep copy for the storage writer, which serializes after an await while reentrant scans go on.</summary>
    public CheckInState Snapshot() => new()
    {
        Gates = Gates.ToDictionary(g => g.Key, g => new GateTally { Admitted = g.Value.Admitted, Refused = g.Value.Refused }),
        AdmittedPerMinute = new Dictionary<long, int>(AdmittedPerMinute),
        SyncedScans = new Dictionary<string, CheckInResult>(SyncedScans),
        Conflicts = [.. Conflicts],
    };
}

public sealed class GateTally
{
    public int Admitted { get; set; }
    public int Refused { get; set; }
}

/// <summary>
/// The gate of one event. Verifies a scanned code with public keys only, then asks the ticket (the one place that
/// admits, one scan at a time) and counts. Reentrant: scans at many gates run side by side; counts are group-committed.
/// </summary>
[Reentrant]
public sealed partial class CheckInGrain : Grain, ICheckInGrain
{
    private readonly IPersistentState<CheckInState> _state;
    private readonly TimeProvider _clock;
    private readonly ILogger<CheckInGrain> _logger;
    private readonly GroupCommit _commit;
    private TicketKeyRing? _keys;
    private EventDetails? _event;

    public CheckInGrain(
        [PersistentState("checkin", StorageNames.Default)] IPersistentState<CheckInState> state,
        TimeProvider clock,
        ILogger<CheckInGrain> logger)
    {
        _state = state;
        _clock = clock;
        _logger = logger;
        _commit = GroupCommit.OfSnapshots(_state, () => S.Snapshot(), e =>
        {
            _logger.LogWarning(e, "Check-in counts failed to write; reloading");
            DeactivateOnIdle();
        });
    }

    private CheckInState S { get; set; } = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        S = _state.State;
        return Task.CompletedTask;
    }

    public async Task<CheckInOutcome> Scan(Actor actor, string code, string gate, string deviceId, DateTimeOffset? scannedAt)
    {
        var evt = await Authorize(actor);
        var at = scannedAt ?? _clock.GetUtcNow();
        var outcome = await Decide(evt, code, gate, deviceId, at);
        Count(gate, outcome.Result, at);
        await _commit.CommitAsync();
        return outcome;
    }

    public async Task<CheckInStats> GetStats(Actor actor)
    {
        await Authorize(actor);
        var gates = S.Gates.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new GateCount(g.Key, g.Value.Admitted, g.Value.Refused)).ToList();
        var nowMinute = _clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        var perMinute = Enumerable.Range(0, 60).Select(i => S.AdmittedPerMinute.GetValueOrDefault(nowMinute - 59 + i)).ToList();
        return new CheckInStats(this.GetPrimaryKey(), gates.Sum(g => g.Admitted), gates.Sum(g => g.Refused), gates, perMinute, S.SyncedScans.Count, S.Conflicts.Count);
    }

    private async Task<CheckInOutcome> Decide(EventDetails evt, string code, string gate, string deviceId, DateTimeOffset at, bool offline = false)
    {
        if (!TicketCode.TryParse(code, out var claimed)) return Refusal(CheckInResult.Invalid, "Not a TicketFlash code.");
        if (claimed.EventId != evt.Id) return await ForeignCode(code, claimed.EventId, at);

        var check = TicketCode.Verify(code, await Keys(claimed.KeyId), at);
        switch (check.Verdict)
        {
            case TicketCodeVerdict.Valid:
                break;
            case TicketCodeVerdict.NotYetValid when at >= claimed.ValidFrom:
                return Refusal(CheckInResult.TooEarly, "The code is from a time step that has not begun: the phone's or the scanner's clock is wrong.");
            case TicketCodeVerdict.NotYetValid:
                return Refusal(CheckInResult.TooEarly, $"Check-in opens at {claimed.ValidFrom:u}.");
            case TicketCodeVerdict.Expired:
                return Refusal(CheckInResult.TooLate, $"Check-in closed at {claimed.ValidTo:u}.");
            default:
                return Refusal(CheckInResult.Invalid, $"The code failed verification ({check.Verdict}).");
        }
        return await GrainFactory.Ref<ITicketGrain>(claimed.TicketId).CheckIn(new CheckInAttempt(claimed.Serial, gate, deviceId, at, offline, claimed.DeviceKey));
    }

    /// <summary>
    /// WrongEvent only for an authentic code of another existing event; a forged or altered code is Invalid. (An unknown
    /// event id is never looked up in the key grains, which would create keys for it.)
    /// </summary>
    private async Task<CheckInOutcome> ForeignCode(string code, Guid otherEventId, DateTimeOffset at)
    {
        try
        {
            await GrainFactory.Ref<IEventGrain>(otherEventId).Get();
        }
        catch (DomainException e) when (e.Code == DomainErrorCode.NotFound)
        {
            return Refusal(CheckInResult.Invalid, "The code names no known event.");
        }
        var keys = new TicketKeyRing(await GrainFactory.Ref<ITicketKeyGrain>(otherEventId).GetPublicKeys());
        var verdict = TicketCode.Verify(code, keys, at).Verdict;
        return verdict is TicketCodeVerdict.Malformed or TicketCodeVerdict.UnknownKey or TicketCodeVerdict.BadSignature or TicketCodeVerdict.BadDeviceSignature
            ? Refusal(CheckInResult.Invalid, $"The code failed verification ({verdict}).")
            : Refusal(CheckInResult.WrongEvent, "This ticket is for another event.");
    }

    /// <summary>Public keys of this event, refreshed when a code names a key we have not seen (a rotation).</summary>
    private async Task<TicketKeyRing> Keys(uint keyId)
    {
        if (_keys is null || _keys.Find(this.GetPrimaryKey(), keyId) is null)
            _keys = new TicketKeyRing(await GrainFactory.Ref<ITicketKeyGrain>(this.GetPrimaryKey()).GetPublicKeys());
        return _keys;
    }

    private async Task<EventDetails> Authorize(Actor actor)
    {
        _event ??= await GrainFactory.Ref<IEventGrain>(this.GetPrimaryKey()).Get();
        if (!actor.CanManage(_event.Tenant)) throw DomainException.Forbidden("Only the event's venue staff, organizer or an admin may scan or see gate counts.");
        return _event;
    }

    private void Count(string gate, CheckInResult result, DateTimeOffset at)
    {
        var tally = Tally(gate);
        if (result == CheckInResult.Admitted)
        {
            tally.Admitted++;
            var minute = at.ToUnixTimeSeconds() / 60;
            S.AdmittedPerMinute[minute] = S.AdmittedPerMinute.GetValueOrDefault(minute) + 1;
        }
        else
        {
            tally.Refused++;
        }
    }

    private GateTally Tally(string gate)
    {
        if (!S.Gates.TryGetValue(gate, out var tally)) S.Gates[gate] = tally = new GateTally();
        return tally;
    }

    private static CheckInOutcome Refusal(CheckInResult result, string detail) => new(result, null, null, null, null, null, null, detail);
}
