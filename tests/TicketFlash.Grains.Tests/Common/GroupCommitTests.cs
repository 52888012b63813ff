using TicketFlash.Abstractions.Common;
using TicketFlash.Grains.Common;

namespace TicketFlash.Grains.Tests.Common;

/// <summary>Group commit on its own: one write in flight, later callers share the next one, a failure breaks the batch chain.</summary>
public sealed class GroupCommitTests : IDisposable
{
    private readonly SingleThreadedContext _grain = new();

    public void Dispose() => _grain.Dispose();

    /// <summary>A fake store: "memory" is what callers changed, "stored" what the last finished write captured.</summary>
    private sealed class FakeStore(SingleThreadedContext grain, Func<int, Task> beforeWriteCompletes)
    {
        public int Memory { get; set; }
        public int Stored { get; private set; }
        public int Writes { get; private set; }
        public int InFlight { get; private set; }
        public int MaxInFlight { get; private set; }
        public bool RanOffTheGrainThread { get; private set; }

        public async Task Write()
        {
            RanOffTheGrainThread |= Environment.CurrentManagedThreadId != grain.ThreadId;
            var number = ++Writes;
            MaxInFlight = Math.Max(MaxInFlight, ++InFlight);
            var captured = Memory;
            try
            {
                await beforeWriteCompletes(number);
                Stored = captured;
            }
            finally
            {
                InFlight--;
            }
        }
    }

    [Fact]
    public async Task Concurrent_callers_share_writes_and_each_is_acknowledged_only_once_its_change_is_stored()
    {
        const int callers = 200;
        var store = new FakeStore(_grain, _ => Task.Delay(5));
        var failures = 0;
        var commit = await _grain.Run(() => Task.FromResult(new GroupCommit(store.Write, _ => failures++)));

        var acknowledgedBeforeStored = await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => _grain.Run(async () =>
        {
            await Task.Yield();
            var mine = ++store.Memory; // change memory first, then wait for the shared write
            await commit.CommitAsync();
            return store.Stored < mine;
        })));

        Assert.Equal(callers, store.Stored);
        Assert.DoesNotContain(true, acknowledgedBeforeStored);
        Assert.InRange(store.Writes, 1, callers - 1);
        Assert.Equal(1, store.MaxInFlight);
        Assert.False(store.RanOffTheGrainThread);
        Assert.Equal(0, failures);
        Assert.False(commit.IsBroken);
    }

    [Fact]
    public async Task Callers_arriving_during_a_write_are_batched_into_exactly_one_next_write()
    {
        var gates = new Dictionary<int, TaskCompletionSource>
        {
            [1] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            [2] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        var store = new FakeStore(_grain, n => gates[n].Task);
        var commit = await _grain.Run(() => Task.FromResult(new GroupCommit(store.Write, _ => { })));

        var first = _grain.Run(() => commit.CommitAsync());
        await Eventually(() => store.Writes == 1);
        var batch = Enumerable.Range(0, 10).Select(_ => _grain.Run(() => commit.CommitAsync())).ToList();
        await _grain.Run(() => Task.CompletedTask); // the ten calls above have run their synchronous part

        Assert.False(first.IsCompleted);
        Assert.All(batch, t => Assert.False(t.IsCompleted));
        gates[1].SetResult();
        await first;
        await Eventually(() => store.Writes == 2);
        Assert.All(batch, t => Assert.False(t.IsCompleted)); // not before their own write finished
        gates[2].SetResult();
        await Task.WhenAll(batch);

        Assert.Equal(2, store.Writes);
        Assert.Equal(1, store.MaxInFlight);
    }

    [Fact]
    public async Task A_failed_write_fails_its_batch_and_the_following_one_and_marks_the_commit_broken()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var storageError = new InvalidOperationException("stale etag");
        var store = new FakeStore(_grain, _ => gate.Task);
        var reported = new List<Exception>();
        var commit = await _grain.Run(() => Task.FromResult(new GroupCommit(store.Write, reported.Add)));

        var inFlight = _grain.Run(() => commit.CommitAsync());
        await Eventually(() => store.Writes == 1);
        var following = Enumerable.Range(0, 5).Select(_ => _grain.Run(() => commit.CommitAsync())).ToList();
        await _grain.Run(() => Task.CompletedTask);
        gate.SetException(storageError);

        foreach (var caller in following.Prepend(inFlight))
        {
            var refusal = await Assert.ThrowsAsync<DomainException>(() => caller);
            Assert.Equal(DomainErrorCode.Unavailable, refusal.Code);
        }
        Assert.True(commit.IsBroken);
        Assert.Same(storageError, Assert.Single(reported));
        Assert.Equal(1, store.Writes); // the following batch was refused, never written on top of a failed write

        var later = await Assert.ThrowsAsync<DomainException>(() => _grain.Run(() => commit.CommitAsync()));
        Assert.Equal(DomainErrorCode.Unavailable, later.Code);
        Assert.Equal(1, store.Writes);
        Assert.Single(reported);
    }

    [Fact]
    public async Task Callers_one_after_another_each_get_their_own_write()
    {
        var store = new FakeStore(_grain, _ => Task.CompletedTask);
        var commit = await _grain.Run(() => Task.FromResult(new GroupCommit(store.Write, _ => { })));

        for (var i = 1; i <= 3; i++)
        {
            await _grain.Run(async () =>
            {
                store.Memory++;
                await commit.CommitAsync();
            });
            Assert.Equal((i, i), (store.Writes, store.Stored));
        }
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("The condition did not become true in time.");
            await Task.Delay(5);
        }
    }
}
