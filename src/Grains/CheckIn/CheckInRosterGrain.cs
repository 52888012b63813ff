using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using TicketFlash.Abstractions.CheckIn;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Common;

namespace TicketFlash.Grains.CheckIn;

public sealed class RosterState
{
    public Dictionary<Guid, RosterRow> Tickets { get; set; } = [];

    /// <summary>Increases with every accepted change: the since-token scanners sync from.</summary>
    public long Sequence { get; set; }

    public RosterState Snapshot() => new() { Tickets = new Dictionary<Guid, RosterRow>(Tickets), Sequence = Sequence };
}

/// <summary>A roster row; replaced, never changed in place (so a snapshot may share rows).</summary>
public sealed record RosterRow(int Serial, TicketStatus Status, int Version, long Sequence);

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

    public CheckInRosterGrain([PersistentState("roster", StorageNames.Default)] IPersistentState<RosterState> state, ILogger<CheckInRosterGrain> logger)
    {
        _state = state;
        _commit = new GroupCommit(() =>
        {
            _state.State = S.Snapshot();
            return _state.WriteStateAsync();
        }, e =>
        {
            logger.LogWarning(e, "Roster {EventId} failed to write; reloading", this.GetPrimaryKey());
            DeactivateOnIdle();
        });
    }

    private RosterState S { get; set; } = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        S = _state.State;
        return Task.CompletedTask;
    }

    public Task Upsert(RosterEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!S.Tickets.TryGetValue(entry.TicketId, out var held) || held.Version < entry.Version)
            S.Tickets[entry.TicketId] = new RosterRow(entry.Serial, entry.Status, entry.Version, ++S.Sequence);
        return _commit.CommitAsync(); // also for a repeat: never answered before the first report's write
    }

    public Task<RosterChanges> GetChanges(long since)
    {
        var changed = S.Tickets.Where(t => t.Value.Sequence > since).OrderBy(t => t.Value.Sequence)
            .Select(t => new RosterEntry(t.Key, t.Value.Serial, t.Value.Status, t.Value.Version)).ToList();
        return Task.FromResult(new RosterChanges(changed, S.Sequence));
    }
}
