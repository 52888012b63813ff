namespace TicketFlash.Grains.Common;

/// <summary>
/// Group commit for a reentrant grain: at most one state write in flight; every caller that changes state while it is
/// in flight shares the next write. A caller's change is applied to memory before it calls <see cref="CommitAsync"/>,
/// so the write that acknowledges it always contains it. Runs on the grain's single-threaded scheduler: no locks.
/// </summary>
internal sealed class GroupCommit(Func<Task> write, Action<Exception> onFailure)
{
    private TaskCompletionSource? _next;
    private bool _writing;

    /// <summary>
    /// The writer of a reentrant grain whose state changes while a write travels: storage is handed a snapshot taken in
    /// this turn, and calls that interleave change only the live state, for the next write.
    /// </summary>
    public static GroupCommit OfSnapshots<T>(IPersistentState<T> state, Func<T> snapshot, Action<Exception> onFailure) =>
        new(() =>
        {
            state.State = snapshot();
            return state.WriteStateAsync();
        }, onFailure);

    /// <summary>True once a write failed: memory may hold changes storage doesn't, so the activation must not go on.</summary>
    public bool IsBroken { get; private set; }

    public Task CommitAsync()
    {
        if (IsBroken) return Task.FromException(GrainBroken());
        _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiter = _next.Task;
        if (!_writing) _ = PumpAsync();
        return waiter;
    }

    private async Task PumpAsync()
    {
        _writing = true;
        try
        {
            while (_next is { } batch)
            {
                _next = null;
                try
                {
                    await write();
                    batch.SetResult();
                }
                catch (Exception error)
                {
                    // A failed or stale (ETag) write leaves memory ahead of storage. Refuse everything already applied
                    // on top of it, and let the owner deactivate so the next activation reloads the truth.
                    IsBroken = true;
                    batch.SetException(GrainBroken(error));
                    _next?.SetException(GrainBroken(error));
                    _next = null;
                    onFailure(error);
                    return;
                }
            }
        }
        finally
        {
            _writing = false;
        }
    }

    private static Abstractions.Common.DomainException GrainBroken(Exception? inner = null) =>
        inner is null
            ? new(Abstractions.Common.DomainErrorCode.Unavailable, "The request could not be stored; try again.")
            : new Abstractions.Common.DomainException("The request could not be stored; try again.", inner) { Code = Abstractions.Common.DomainErrorCode.Unavailable };
}
