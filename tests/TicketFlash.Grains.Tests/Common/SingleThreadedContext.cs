using System.Collections.Concurrent;

namespace TicketFlash.Grains.Tests.Common;

/// <summary>
/// Runs async code on one dedicated thread, one continuation at a time: the execution model of a reentrant grain, which
/// is what <see cref="Grains.Common.GroupCommit"/> is written for (it takes no locks).
/// </summary>
public sealed class SingleThreadedContext : SynchronizationContext, IDisposable
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];
    private readonly Thread _thread;

    public SingleThreadedContext()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "grain-like scheduler" };
        _thread.Start();
    }

    public int ThreadId => _thread.ManagedThreadId;

    public override void Post(SendOrPostCallback d, object? state) => _queue.Add((d, state));

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();

    /// <summary>Starts <paramref name="work"/> on the context's thread; the returned task completes when it does.</summary>
    public Task<T> Run<T>(Func<Task<T>> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(_ => Start(work, done), null);
        return done.Task;
    }

    public Task Run(Func<Task> work) => Run(async () =>
    {
        await work();
        return true;
    });

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(5));
        _queue.Dispose();
    }

    private static async void Start<T>(Func<Task<T>> work, TaskCompletionSource<T> done)
    {
        try
        {
            done.SetResult(await work());
        }
        catch (Exception error)
        {
            done.SetException(error);
        }
    }

    private void Loop()
    {
        SetSynchronizationContext(this);
        foreach (var (callback, state) in _queue.GetConsumingEnumerable()) callback(state);
    }
}
