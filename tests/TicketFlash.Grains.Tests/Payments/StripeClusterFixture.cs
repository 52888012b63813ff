using Microsoft.Extensions.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using TicketFlash.Abstractions.Streams;
using TicketFlash.Grains.Common;
using TicketFlash.Grains.Tests.Infrastructure;
using TicketFlash.Integration.Tests.Payments;
using TicketFlash.Silo.Hosting;

namespace TicketFlash.Grains.Tests.Payments;

/// <summary>An in-process cluster (one silo) whose gateway is Stripe, pointed at a <see cref="StripeFake"/> in this process.</summary>
public sealed class StripeClusterFixture : IAsyncLifetime
{
    /// <summary>Where the silo configurator finds the fake (in-process silos share this process's statics).</summary>
    internal static Uri? FakeUrl;

    private TestCluster? _cluster;

    public StripeFake Stripe { get; private set; } = null!;

    public IClusterClient Client => _cluster!.Client;

    public IGrainFactory GrainFactory => _cluster!.GrainFactory;

    public async Task InitializeAsync()
    {
        Stripe = await StripeFake.StartAsync();
        FakeUrl = Stripe.Url;
        var builder = new TestClusterBuilder();
        builder.Options.InitialSilosCount = 1;
        builder.AddSiloBuilderConfigurator<StripeSiloConfigurator>();
        builder.AddClientBuilderConfigurator<DomainStreamClientConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
        if (Stripe is not null) await Stripe.DisposeAsync();
    }
}

public sealed class StripeSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.AddMemoryGrainStorage(StorageNames.Default, o => o.GrainStorageSerializer = new SystemTextJsonGrainStorageSerializer());
        siloBuilder.AddMemoryGrainStorage(StorageNames.PubSub);
        siloBuilder.AddMemoryStreams(DomainStreams.Provider);
        siloBuilder.UseInMemoryReminderService();
        siloBuilder.Services.AddTicketFlashServices(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Payments:Gateway"] = "Stripe",
            ["Payments:Stripe:SecretKey"] = StripeFake.SecretKey,
            ["Payments:Stripe:ApiBase"] = StripeClusterFixture.FakeUrl!.ToString(),
            ["Resale:PayWindowSeconds"] = "2",
        }).Build());
    }
}

[CollectionDefinition(Name)]
public sealed class StripeClusterCollection : ICollectionFixture<StripeClusterFixture>
{
    public const string Name = "Orleans test cluster paying with Stripe (fake)";
}
