using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using TicketFlash.Abstractions.Resale;
using TicketFlash.Grains.Common;

namespace TicketFlash.Grains.Resale;

public sealed class ResaleState
{
    public Dictionary<Guid, ListingDetails> Open { get; set; } = [];

    /// <summary>A copy for the storage writer (listings are immutable records, the dictionary is not).</summary>
    public ResaleState Snapshot() => new() { Open = new Dictionary<Guid, ListingDetails>(Open) };
}

/// <summary>
/// The open listings of one event, for browsing. Each listing keeps its own entry up to date after its own write, so
/// this is an index, never the authority: buying always goes to the listing and the ticket. Reentrant, group-committed.
/// </summary>
[Reentrant]
public sealed class ResaleGrain : Grain, IResaleGrain
{
    private readonly IPersistentState<ResaleState> _state;
    private readonly GroupCommit _commit;

    public ResaleGrain([PersistentState("resale", StorageNames.Default)] IPersistentState<ResaleState> state, ILogger<ResaleGrain> logger)
    {
        _state = state;
        _commit = GroupCommit.OfSnapshots(_state, () => S.Snapshot(), e =>
        {
            logger.LogWarning(e, "Resale index {EventId} failed to write; reloading", this.GetPrimaryKey());
            DeactivateOnIdle();
        });
    }

    private ResaleState S { get; set; } = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        S = _state.State;
        return Task.CompletedTask;
    }

    public Task Upsert(ListingDetails listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        if (listing.Status == ListingStatus.Open) S.Open[listing.Terms.ListingId] = listing;
        else S.Open.Remove(listing.Terms.ListingId);
        return _commit.CommitAsync();
    }

    public Task Remove(Guid listingId)
    {
        S.Open.Remove(listingId);
        return _commit.CommitAsync();
    }

    public Task<IReadOnlyList<ListingDetails>> List() =>
        Task.FromResult<IReadOnlyList<ListingDetails>>([.. S.Open.Values.OrderBy(l => l.Terms.Price).ThenBy(l => l.Terms.ListedAt)]);
}
