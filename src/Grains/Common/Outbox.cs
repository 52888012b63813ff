using Microsoft.Extensions.Logging;
using Orleans.Streams;
using TicketFlash.Abstractions.Streams;

namespace TicketFlash.Grains.Common;

/// <summary>
/// Publishes domain events that are already durable in the grain's state. An event stays in the state's outbox until it
/// was published; what a crash interrupts is published again on the next activation (consumers dedupe by event id).
/// Published events leave the stored outbox with the grain's next write.
/// </summary>
internal static class Outbox
{
    public static async Task DrainAsync(IGrainBase grain, List<DomainEvent> outbox, ILogger logger)
    {
        if (outbox.Count == 0) return;
        var provider = grain.GetStreamProvider(DomainStreams.Provider);
        // Snapshot: callers interleaving on a reentrant grain may append while we publish.
        foreach (var evt in outbox.ToArray())
        {
            try
            {
                await provider.GetStream<DomainEvent>(DomainStreams.SalesOf(evt.EventId)).OnNextAsync(evt);
                outbox.Remove(evt);
            }
            catch (Exception error)
            {
                logger.LogWarning(error, "Publishing {Kind} {Id} failed; it stays in the outbox", evt.GetType().Name, evt.Id);
                return;
            }
        }
    }
}
