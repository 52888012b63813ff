using Microsoft.Extensions.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using TicketFlash.Abstractions.Streams;
using TicketFlash.Grains.Common;
using TicketFlash.Silo.Hosting;

namespace TicketFlash.Tickets.Tests.Infrastructure;

/// <summary>One in-process silo with the production storage serializer (System.Text.Json) over memory storage, started once.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private TestCluster? _cluster;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not deployed.");

    public IClusterClient Client => Cluster.Client;

    public IGrainFactory GrainFactory => Cluster.GrainFactory;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder();
        builder.Options.InitialSilosCount = 1;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is null) return;
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    /// <summary>Deactivates every idle grain, so the next call reads its state back from storage.</summary>
    public Task DeactivateIdleGrains() => GrainFactory.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            // The serializer production uses: key state must survive a JSON round trip, raw key bytes included.
            siloBuilder.AddMemoryGrainStorage(StorageNames.Default, o => o.GrainStorageSerializer = new SystemTextJsonGrainStorageSerializer());
            siloBuilder.AddMemoryGrainStorage(StorageNames.PubSub);
            siloBuilder.AddMemoryStreams(DomainStreams.Provider);
            siloBuilder.UseInMemoryReminderService();
            siloBuilder.Services.AddTicketFlashServices(new ConfigurationBuilder().Build());
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Ticket codes cluster";
}
