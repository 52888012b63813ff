using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;
using TicketFlash.Abstractions.Streams;
using Orleans.Configuration;
using TicketFlash.Grains.Sweeps;
using TicketFlash.Grains.Common;
using TicketFlash.Grains.Payments;
using TicketFlash.Silo.Hosting;

namespace TicketFlash.Grains.Tests.Infrastructure;

/// <summary>One in-process cluster of two silos (memory storage, memory streams, in-memory reminders), started once.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int SiloCount = 2;

    private TestCluster? _cluster;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not deployed.");

    public IClusterClient Client => Cluster.Client;

    public IGrainFactory GrainFactory => Cluster.GrainFactory;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder();
        builder.Options.InitialSilosCount = SiloCount;
        builder.AddSiloBuilderConfigurator<TicketFlashSiloConfigurator>();
        builder.AddClientBuilderConfigurator<DomainStreamClientConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is null) return;
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    /// <summary>Creates a venue and an event through the grains, and by default opens its sale.</summary>
    public Task<TestSale> CreateSale(SaleSpec? spec = null) => TestSale.Create(GrainFactory, spec ?? new SaleSpec());

    /// <summary>
    /// Charges taken by the simulated gateway, summed over every silo: each in-process silo has its own service provider
    /// (reached through <see cref="InProcessSiloHandle.ServiceProvider"/>) and therefore its own gateway instance.
    /// </summary>
    public int TotalCharges() => Gateways().Sum(g => g.ChargeCount);

    /// <summary>Refund keys per silo, concatenated: a key made on two silos (a double refund) appears twice.</summary>
    public List<string> AllRefundKeys() => [.. Gateways().SelectMany(g => g.RefundKeys)];

    /// <summary>Every silo's simulated gateway refuses the refunds this picks (null: none).</summary>
    public void DeclineRefunds(Func<string, bool>? decline)
    {
        foreach (var gateway in Gateways()) gateway.DeclineRefund = decline;
    }

    private List<SimulatedPaymentGateway> Gateways()
    {
        var silos = Cluster.Silos;
        Assert.Equal(SiloCount, silos.Count);
        return [.. silos.Select(silo =>
        {
            var handle = Assert.IsType<InProcessSiloHandle>(silo);
            return Assert.IsType<SimulatedPaymentGateway>(handle.ServiceProvider.GetRequiredService<IPaymentGateway>());
        })];
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Orleans test cluster";
}

public sealed class TicketFlashSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        // Grain state goes through the serializer production uses (System.Text.Json, see SiloConfiguration). Orleans'
        // default storage serializer (Newtonsoft with type names) cannot read TicketFlash's state back, so with it every
        // reactivation would fail: see Storage/GrainStateSerializationTests.
        siloBuilder.AddMemoryGrainStorage(StorageNames.Default, o => o.GrainStorageSerializer = new SystemTextJsonGrainStorageSerializer());
        siloBuilder.AddMemoryGrainStorage(StorageNames.PubSub);
        siloBuilder.AddMemoryStreams(DomainStreams.Provider);
        siloBuilder.UseInMemoryReminderService();
        // Sweeps (refunds, expiry) run in small steps with a short reminder, so tests can interrupt one mid-way and see it resume.
        siloBuilder.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        siloBuilder.Configure<SweepOptions>(o => (o.ReminderPeriod, o.OrdersPerStep, o.StepInterval, o.FailedRetryInterval) =
            (TimeSpan.FromSeconds(2), 2, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500)));
        siloBuilder.Services.AddTicketFlashServices(new ConfigurationBuilder().Build());
    }
}

/// <summary>Lets the test subscribe to the domain streams from the cluster client.</summary>
public sealed class DomainStreamClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
        clientBuilder.AddMemoryStreams(DomainStreams.Provider);
}
