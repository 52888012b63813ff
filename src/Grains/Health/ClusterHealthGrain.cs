using Orleans.Concurrency;
using TicketFlash.Abstractions.Common;
using TicketFlash.Grains.Common;

namespace TicketFlash.Grains.Health;

public sealed class HealthState
{
    public int Probe { get; set; }
}

[StatelessWorker]
public sealed class ClusterHealthGrain([PersistentState("health", StorageNames.Default)] IPersistentState<HealthState> probe)
    : Grain, IClusterHealthGrain
{
    public async Task<bool> Check()
    {
        await probe.ReadStateAsync(); // a round trip to grain storage (the database in a cluster)
        return true;
    }
}
