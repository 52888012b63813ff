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
            if (batch.Count == 0) continue;
            await ExecuteAsync(batch);
            batch.Clear();
        }
    }

    private async Task ExecuteAsync(List<StorageCommand> commands)
    {
        try
        {
            await RunAsync(commands);
            foreach (var command in commands) command.Succeed();
        }
        catch (PostgresException) when (commands.Count > 1)
        {
            // PostgreSQL rolled the whole batch back (a deadlock between duplicate activations, a bad statement):
            // nothing of it is stored, so each command runs again on its own and fails or succeeds alone.
            foreach (var command in commands)
            {
                try
                {
                    await RunAsync([command]);
                    command.Succeed();
                }
                catch (Exception error)
                {
                    command.Fail(error);
                }
            }
        }
        catch (Exception error)
        {
            foreach (var command in commands) command.Fail(error);
        }
    }

    private async Task RunAsync(IReadOnlyList<StorageCommand> commands)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _commands, commands.Count);
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);
        foreach (var command in commands)
        {
            var statement = new NpgsqlBatchCommand(command.Sql);
            command.Bind(statement.Parameters);
            batch.BatchCommands.Add(statement);
        }
        // Results are only read here; callers learn them after the reader is done, i.e. after the commit.
        await using var reader = await batch.ExecuteReaderAsync();
        for (var i = 0; i < commands.Count; i++)
        {
            if (i > 0 && !await reader.NextResultAsync()) throw new InvalidOperationException("A storage statement returned no result set.");
            await commands[i].ReadAsync(reader);
        }
        while (await reader.NextResultAsync())
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_flushers);
        await _dataSource.DisposeAsync();
    }
}
