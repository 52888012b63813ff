using System.Collections.Concurrent;
using Orleans.Streams;
using TicketFlash.Abstractions.Streams;

namespace TicketFlash.Grains.Tests.Infrastructure;

/// <summary>Subscribes from the cluster client to one event's sales stream and records what arrives.</summary>
public sealed class DomainEventRecorder : IAsyncDisposable
{
    private readonly ConcurrentQueue<DomainEvent> _received = new();
    private StreamSubscriptionHandle<DomainEvent>? _subscription;

    private DomainEventRecorder()
    {
    }

    public IReadOnlyList<DomainEvent> Received => [.. _received];

    public static async Task<DomainEventRecorder> Subscribe(IClusterClient client, Guid eventId)
    {
        var recorder = new DomainEventRecorder();
        var stream = client.GetStreamProvider(DomainStreams.Provider).GetStream<DomainEvent>(DomainStreams.SalesOf(eventId));
        recorder._subscription = await stream.SubscribeAsync((evt, _) =>
        {
            recorder._received.Enqueue(evt);
            return Task.CompletedTask;
        });
        return recorder;
    }

    public IReadOnlyList<T> OfType<T>() where T : DomainEvent => [.. _received.OfType<T>()];

    /// <summary>Waits until the recorded events satisfy <paramref name="done"/>.</summary>
    public Task<IReadOnlyList<DomainEvent>> WaitFor(Func<IReadOnlyList<DomainEvent>, bool> done, string what) =>
        Eventually.Until(() => Task.FromResult(Received), done, TimeSpan.FromSeconds(15), what);

    public async ValueTask DisposeAsync()
    {
        if (_subscription is not null) await _subscription.UnsubscribeAsync();
    }
}
