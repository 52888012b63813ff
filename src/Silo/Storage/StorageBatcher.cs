using System.Threading.Channels;
using Npgsql;

namespace TicketFlash.Silo.Storage;

/// <summary>
/// Group commit across grains: every grain's read and write goes into one queue, and a few flushers each take what
/// has gathered and send it as one <see cref="NpgsqlBatch"/>: one round trip, one implicit transaction, one commit for
/// many grains. Idle, a command goes out alone at once; under load, batches grow while earlier ones commit.
/// Each command keeps its own ETag check, so a stale write fails alone and never blocks the others.
/// </summary>
internal sealed class StorageBatcher : IAsyncDisposable
{
    private readonly Channel<StorageCommand> _queue = Channel.CreateUnbounded<StorageCommand>();
    private readonly NpgsqlDataSource _dataSource;
    private readonly int _maxBatch;
    private readonly Task[] _flushers;
    private long _batches;
    private long _commands;

    public StorageBatcher(NpgsqlDataSource dataSource, int flushers, int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(flushers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _dataSource = dataSource;
        _maxBatch = maxBatch;
        _flushers = Enumerable.Range(0, flushers).Select(_ => Task.Run(FlushLoopAsync)).ToArray();
    }

    /// <summary>Round trips so far and the commands they carried (for tests and diagnostics).</summary>
    public (long Batches, long Commands) Counts => (Interlocked.Read(ref _batches), Interlocked.Read(ref _commands));

    public Task SubmitAsync(StorageCommand command)
    {
        if (!_queue.Writer.TryWrite(command)) command.Fail(new ObjectDisposedException(nameof(StorageBatcher)));
        return command.Completion;
    }

    private async Task FlushLoopAsync()
    {
        var batch = new List<StorageCommand>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var command)) batch.Add(command);
            try
            {
                await ExecuteAsync(batch);
            }
            catch (Exception error)
            {
                foreach (var command in batch) command.Fail(error); // a bug here must not strand callers
            }
            batch.Clear();
        }
    }

    private async Task ExecuteAsync(List<StorageCommand> commands)
    {
        // Rows in one order in every batch: two batches touching the same rows (duplicate activations during a
        // failover) then wait on each other instead of deadlocking.
        commands.Sort(static (a, b) => a.Key.CompareTo(b.Key));
        while (commands.Count > 0)
        {
            try
            {
                await RunAsync(commands);
                return;
            }
            catch (StatementFailedException error) when (commands.Count > 1 && IsAboutTheStatement(error.Error))
            {
                // PostgreSQL rolled the whole batch back because of one statement (a deadlock victim, a lock timeout,
                // a value out of range): nothing of it is stored. That command fails alone; the rest go again together.
                commands[error.Index].Fail(error.Error);
                commands.RemoveAt(error.Index);
            }
            catch (StatementFailedException error)
            {
                foreach (var command in commands) command.Fail(error.Error);
                return;
            }
            catch (Exception error)
            {
                // Everything alike (the database away, read-only, out of connections): all fail, and each grain
                // reloads its state from storage before it answers anyone.
                foreach (var command in commands) command.Fail(error);
                return;
            }
        }
    }

    /// <summary>True when the error is about that statement, not about the database or the connection.</summary>
    private static bool IsAboutTheStatement(PostgresException error) =>
        error.SqlState.StartsWith("22", StringComparison.Ordinal) // data exception
        || error.SqlState.StartsWith("23", StringComparison.Ordinal) // integrity
        || error.SqlState.StartsWith("40", StringComparison.Ordinal) // deadlock, serialization failure
        || error.SqlState == PostgresErrorCodes.LockNotAvailable;

    /// <summary>A statement's error, with which statement of the batch it was (results arrive in statement order).</summary>
    private sealed class StatementFailedException(int index, PostgresException error) : Exception(error.Message, error)
    {
        public int Index { get; } = index;

        public PostgresException Error { get; } = error;
    }

    private async Task RunAsync(List<StorageCommand> commands)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _commands, commands.Count);
        await using (var connection = await _dataSource.OpenConnectionAsync())
        await using (var batch = new NpgsqlBatch(connection))
        {
            foreach (var command in commands) batch.BatchCommands.Add(command.CreateStatement());
            var current = 0;
            try
            {
                await using var reader = await batch.ExecuteReaderAsync();
                for (; current < commands.Count; current++)
                {
                    if (current > 0 && !await reader.NextResultAsync()) throw new InvalidOperationException("A storage statement returned no result set.");
                    await commands[current].ReadAsync(reader);
                }
                while (await reader.NextResultAsync())
                {
                }
            }
            catch (PostgresException error) when (current < commands.Count)
            {
                throw new StatementFailedException(current, error);
            }
        }
        // The reader ran to the end: the batch's transaction committed. Only now does anyone learn a result.
        foreach (var command in commands) command.Succeed();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_flushers);
        await _dataSource.DisposeAsync();
    }
}
