using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using TicketFlash.Abstractions.CheckIn;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Common;

namespace TicketFlash.Grains.CheckIn;

public sealed class RosterState
{
    public Dictionary<Guid, RosterRow> Tickets { get; set; } = [];

    /// <summary>
    /// The last change's sequence: microseconds of the clock, or one more than the previous change when the clock is
    /// behind. So the shards of one event stay close to each other and one token can serve them all.
    /// </summary>
    public long Sequence { get; set; }

    public RosterState Snapshot() => new() { Tickets = new Dictionary<Guid, RosterRow>(Tickets), Sequence = Sequence };
}

/// <summary>A roster row; replaced, never changed in place (so a snapshot may share rows). <see cref="DeviceKey"/>: see <see cref="RosterEntry"/>.</summary>
public sealed record RosterRow(int Serial, TicketStatus Status, int Version, long Sequence, byte[]? DeviceKey = null);

/// <summary>
/// The offline scanners' view of one event's tickets. Each ticket reports itself after its own durable write, with its
/// version (the length of its history), so a repeated or late report never overwrites a newer one. Only tickets that
/// left "Active, serial 1" are listed, so a sale costs the roster nothing. Reentrant with group commit: a busy gate
/// (every admission is a report) shares writes.
/// </summary>
[Reentrant]
public sealed class CheckInRosterGrain : Grain, ICheckInRosterGrain
{
    private readonly IPersistentState<RosterState> _state;
    private readonly GroupCommit _commit;
    private static readonly TimeSpan NoteFlushPeriod = TimeSpan.FromSeconds(1);
    private readonly TimeProvider _clock;
    private bool _noted;

    public CheckInRosterGrain([PersistentState("roster", StorageNames.Default)] IPersistentState<RosterState> state, TimeProvider clock,
        ILogger<CheckInRosterGrain> logger)
    {
        _state = state;
        _clock = clock;
        _commit = GroupCommit.OfSnapshots(_state, () => S.Snapshot(), e =>
        {
            logger.LogWarning(e, "Roster {EventId} failed to write; reloading", this.GetPrimaryKey(out _));
            DeactivateOnIdle();
        });
    }

    private RosterState S { get; set; } = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        S = _state.State;
        this.RegisterGrainTimer(FlushNoted, NoteFlushPeriod, NoteFlushPeriod);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_noted) await FlushNoted(cancellationToken);
    }

    public Task Upsert(RosterEntry entry)
    {
        Apply(entry);
        return _commit.CommitAsync(); // also for a repeat: never answered before the first report's write
    }

    public Task Note(RosterEntry entry)
    {
        // Every admission changes the roster; writing the roster per admission would cost the gates their speed.
        _noted |= Apply(entry);
        return Task.CompletedTask;
    }

    private bool Apply(RosterEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (S.Tickets.TryGetValue(entry.TicketId, out var held) && held.Version >= entry.Version) return false;
        S.Tickets[entry.TicketId] = new RosterRow(entry.Serial, entry.Status, entry.Version, S.Sequence = Math.Max(S.Sequence + 1, Now()), entry.DeviceKey);
        return true;
    }

    private async Task FlushNoted(CancellationToken cancellationToken)
    {
        if (!_noted) return;
        _noted = false;
        try
        {
            await _commit.CommitAsync();
        }
        catch
        {
            // The commit failure handler already reloads this grain; the noted entries come back with their tickets.
        }
    }

    public async Task<RosterChanges> GetChanges(long since)
    {
        // The token handed out is stored before it is handed out, and every later change is numbered above it, whatever
        // the clocks of the silos this shard moves between: a scanner that syncs from it misses nothing. Idle shards
        // follow the clock, so one token (the lowest of all shards) serves the whole event without re-sending much.
        var watermark = Math.Max(S.Sequence, Now());
        var changed = S.Tickets.Where(t => t.Value.Sequence > since).OrderBy(t => t.Value.Sequence)
            .Select(t => new RosterEntry(t.Key, t.Value.Serial, t.Value.Status, t.Value.Version, t.Value.DeviceKey)).ToList();
        S.Sequence = watermark;
        await _commit.CommitAsync(); // also when unchanged: the last change may not be stored yet
        return new RosterChanges(changed, watermark);
    }

    private long Now() => (_clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
}
