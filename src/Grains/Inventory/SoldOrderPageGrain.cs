using TicketFlash.Grains.Common;

namespace TicketFlash.Grains.Inventory;

/// <summary>One full page of a section's sold-order ledger (<see cref="SoldOrderLedger.PageEntries"/> sales), moved out
/// of the hot inventory state so each inventory write stays small however many sales the section has made.</summary>
[Alias("tf.ISoldOrderPageGrain")]
public interface ISoldOrderPageGrain : IGrainWithStringKey
{
    /// <summary>Idempotent; a later store of the same page replaces it (the inventory's stored state is the truth).</summary>
    [Alias("Store")]
    Task Store(string page);

    [Alias("Get")]
    Task<string> Get();
}

public static class SoldOrderPages
{
    public static ISoldOrderPageGrain Page(this IGrainFactory grains, Guid eventId, string sectionId, int page) =>
        grains.Ref<ISoldOrderPageGrain>($"{eventId:N}/{sectionId}/{page}");
}

public sealed class SoldOrderPageState
{
    public string Page { get; set; } = "";
}

public sealed class SoldOrderPageGrain(
    [PersistentState("soldOrderPage", StorageNames.Default)] IPersistentState<SoldOrderPageState> state) : Grain, ISoldOrderPageGrain
{
    public async Task Store(string page)
    {
        if (state.RecordExists && state.State.Page == page) return;
        state.State.Page = page;
        await state.WriteOrReloadAsync(DeactivateOnIdle);
    }

    public Task<string> Get() => Task.FromResult(state.State.Page);
}
