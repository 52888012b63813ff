using Microsoft.Extensions.Logging;
using Orleans.Streams;
using TicketFlash.Abstractions.Streams;

namespace TicketFlash.Grains.Common;

/// <summary>
/// Publishes domain events only once they are durable in the grain's state. Events wait in the stored outbox; the grain
/// takes a <see cref="Snapshot"/> before a write and hands it to <see cref="Durable"/> after the write succeeded.
/// What a crash interrupts is published again on the next activation (consumers dedupe by event id); published events
/// leave the stored outbox with the grain's next write. Publishing runs beside the grain's work, one drain at a time,
/// so callers don't wait for stream delivery and a hot grain's next write is not held up by it.
/// </summary>
internal sealed class Outbox(Grain grain, Func<List<DomainEvent>> stored, ILogger logger)
{
    private readonly Queue<DomainEvent> _ready = new();
    private readonly HashSet<Guid> _queued = [];
    private const int MaxBatch = 64;
    private bool _draining;

    /// <summary>True when published events were dropped from the stored outbox since the last write.</summary>
    public bool HasUnsavedRemovals { get; private set; }

    /// <summary>Call right before writing the state: what the write will make durable.</summary>
    public DomainEvent[] Snapshot()
    {
        HasUnsavedRemovals = false;
        return stored().Count == 0 ? [] : [.. stored()];
    }

    /// <summary>Everything in storage at activation is durable.</summary>
    public void Activated() => Durable(stored().Count == 0 ? [] : [.. stored()]);

    public void Durable(DomainEvent[] written)
    {
        foreach (var evt in written)
        {
            if (_queued.Add(evt.Id)) _ready.Enqueue(evt);
        }
        if (_draining || _ready.Count == 0) return;
        _draining = true;
        _ = DrainAsync();
    }

    private async Task DrainAsync()
    {
        try
        {
            var provider = grain.GetStreamProvider(DomainStreams.Provider);
            while (_ready.TryPeek(out var first))
            {
                // Everything ready for the same event's stream goes as one batch: one queue message, not one per event.
                var batch = _ready.TakeWhile(e => e.EventId == first.EventId).Take(MaxBatch).ToList();
                await provider.GetStream<DomainEvent>(DomainStreams.SalesOf(first.EventId)).OnNextBatchAsync(batch);
                foreach (var evt in batch)
                {
                    _ready.Dequeue();
                    _queued.Remove(evt.Id);
                    stored().Remove(evt);
                }
                HasUnsavedRemovals = true;
            }
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Publishing domain events failed; they stay in the outbox until the next write or activation");
        }
        finally
        {
            _draining = false;
        }
    }
}
