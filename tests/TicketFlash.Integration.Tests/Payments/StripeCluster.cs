using TicketFlash.Integration.Tests.Infrastructure;
using TicketFlash.Integration.Tests.Storage;

namespace TicketFlash.Integration.Tests.Payments;

/// <summary>1 silo + 1 API on PostgreSQL with Payments:Gateway = Stripe, pointed at a <see cref="StripeFake"/> in this process.</summary>
public sealed class StripeCluster : IAsyncLifetime
{
    public StripeFake Stripe { get; private set; } = null!;

    public TestDatabase Db { get; private set; } = null!;

    public ProcessCluster Cluster { get; private set; } = null!;

    public TicketFlashClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stripe = await StripeFake.StartAsync();
        Db = await MigratedDatabase.CreateAsync();
        Cluster = await ProcessCluster.StartAsync(Db.ConnectionString, silos: 1, apis: 1,
            siloSettings: new()
            {
                ["TF_Payments__Gateway"] = "Stripe",
                ["TF_Payments__Stripe__SecretKey"] = StripeFake.SecretKey,
                ["TF_Payments__Stripe__ApiBase"] = Stripe.Url.ToString(),
                ["TF_Inventory__ExpiryReminderSeconds"] = "5",
                ["TF_Sweeps__ReminderPeriod"] = "00:00:05",
            },
            apiSettings: new()
            {
                ["TF_Payments__Gateway"] = "Stripe",
                ["TF_Payments__Stripe__WebhookSecret"] = StripeFake.WebhookSecret,
                ["TF_Payments__Stripe__PublishableKey"] = StripeFake.PublishableKey,
                ["TF_Payments__Stripe__WebhookToleranceSeconds"] = "300",
            });
        Client = new TicketFlashClient(Cluster.ApiUrls[0]);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Cluster is not null) await Cluster.DisposeAsync();
        if (Db is not null) await Db.DisposeAsync();
        if (Stripe is not null) await Stripe.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class StripeCollection : ICollectionFixture<StripeCluster>
{
    public const string Name = "Stripe (fake) + 1 silo + 1 API";
}
