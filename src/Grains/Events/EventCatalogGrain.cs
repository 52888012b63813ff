using TicketFlash.Abstractions.Events;
using TicketFlash.Grains.Common;

namespace TicketFlash.Grains.Events;

public sealed class EventCatalogState
{
    public Dictionary<Guid, EventDetails> Events { get; set; } = [];
}

/// <summary>The browsable list of events. Events report themselves here after each durable change.</summary>
public sealed class EventCatalogGrain([PersistentState("catalog", StorageNames.Default)] IPersistentState<EventCatalogState> catalog)
    : Grain, IEventCatalogGrain
{
    public async Task Upsert(EventDetails details)
    {
        catalog.State.Events[details.Id] = details;
        await catalog.WriteStateAsync();
    }

    public Task<IReadOnlyList<EventDetails>> List() =>
        Task.FromResult<IReadOnlyList<EventDetails>>([.. catalog.State.Events.Values.OrderBy(e => e.StartsAt)]);
}
