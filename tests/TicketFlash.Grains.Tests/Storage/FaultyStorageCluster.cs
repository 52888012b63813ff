using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;
using TicketFlash.Abstractions.Streams;
using TicketFlash.Grains.Common;
using TicketFlash.Grains.Tests.Infrastructure;
using TicketFlash.Silo.Hosting;

namespace TicketFlash.Grains.Tests.Storage;

/// <summary>
/// A one-silo cluster whose "Default" grain storage can be told to stall and then fail the next write of one grain, as
/// a database would during a failure (or a stale ETag after a duplicate activation).
/// </summary>
public sealed class FaultyStorageCluster : IAsyncLifetime
{
    private TestCluster? _cluster;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not deployed.");

    public IGrainFactory GrainFactory => Cluster.GrainFactory;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder();
        builder.Options.InitialSilosCount = 1;
        builder.AddSiloBuilderConfigurator<Configurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is null) return;
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    public Task<TestSale> CreateSale(SaleSpec spec) => TestSale.Create(GrainFactory, spec);

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddMemoryGrainStorage("memory", o => o.GrainStorageSerializer = new TicketFlash.Silo.Hosting.SystemTextJsonGrainStorageSerializer());
            siloBuilder.Services.AddGrainStorage(StorageNames.Default, (sp, _) => new FaultInjectingGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>("memory")));
            siloBuilder.AddMemoryGrainStorage(StorageNames.PubSub);
            siloBuilder.AddMemoryStreams(DomainStreams.Provider);
            siloBuilder.UseInMemoryReminderService();
            siloBuilder.Services.AddTicketFlashServices(new ConfigurationBuilder().Build());
        }
    }
}

[CollectionDefinition(Name)]
public sealed class FaultyStorageCollection : ICollectionFixture<FaultyStorageCluster>
{
    public const string Name = "Faulty storage cluster";
}

/// <summary>One armed fault: the next write of a grain waits until released, then fails.</summary>
public sealed class WriteFault
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the grain's write reached storage and is stalled there.</summary>
    public Task Started => _started.Task;

    public void FailNow() => _release.TrySetResult();

    internal async Task Strike()
    {
        _started.TrySetResult();
        await _release.Task.WaitAsync(TimeSpan.FromSeconds(30));
        throw new InconsistentStateException("Injected: the write failed (stale ETag / database unavailable).");
    }

    private static readonly ConcurrentDictionary<GrainId, WriteFault> Armed = new();

    public static WriteFault ArmFor(IAddressable grain)
    {
        var fault = new WriteFault();
        if (!Armed.TryAdd(grain.GetGrainId(), fault)) throw new InvalidOperationException("A fault is already armed for this grain.");
        return fault;
    }

    internal static WriteFault? Take(GrainId grainId) => Armed.TryRemove(grainId, out var fault) ? fault : null;
}

public sealed class FaultInjectingGrainStorage(IGrainStorage inner) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteFault.Take(grainId) is { } fault ? fault.Strike() : inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
}
