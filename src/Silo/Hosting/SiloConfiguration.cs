using System.Net;
using Orleans.Configuration;
using TicketFlash.Abstractions.Streams;
using TicketFlash.Grains.Common;
using TicketFlash.Grains.Inventory;
using TicketFlash.Grains.Payments;
using TicketFlash.Grains.Resale;
using TicketFlash.Grains.Sweeps;
using TicketFlash.Grains.Tickets.Codes;
using TicketFlash.Silo.Storage;

namespace TicketFlash.Silo.Hosting;

public static class SiloConfiguration
{
    /// <summary>Clustering, storage, reminders, streams and services of a TicketFlash silo, from configuration.</summary>
    public static ISiloBuilder ConfigureTicketFlash(this ISiloBuilder silo, IConfiguration configuration)
    {
        var settings = ClusterSettings.From(configuration, defaultMaxPool: 24);
        var siloPort = configuration.GetValue("Orleans:SiloPort", 11111);
        var gatewayPort = configuration.GetValue("Orleans:GatewayPort", 30000);

        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (settings.ClusterId, settings.ServiceId));
        silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort, listenOnAnyHostAddress: false);

        if (settings.UsePostgres)
        {
            silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (ClusterSettings.Invariant, settings.ConnectionString));
            silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = (ClusterSettings.Invariant, settings.ConnectionString));
            // Grain state lives in the ADO.NET provider's table with its queries. By default many grains' writes share
            // one round trip and commit (Storage:Writer=Batched); AdoNet is Orleans' provider, one round trip per write.
            var serializer = new SystemTextJsonGrainStorageSerializer();
            if (string.Equals(configuration["Storage:Writer"] ?? "Batched", "AdoNet", StringComparison.OrdinalIgnoreCase))
            {
                silo.AddAdoNetGrainStorage(StorageNames.Default, o =>
                {
                    o.Invariant = ClusterSettings.Invariant;
                    o.ConnectionString = settings.ConnectionString;
                    o.GrainStorageSerializer = serializer;
                });
            }
            else
            {
                silo.AddBatchedGrainStorage(StorageNames.Default, o =>
                {
                    o.ConnectionString = settings.ConnectionString!;
                    o.Serializer = serializer;
                    o.Flushers = configuration.GetValue("Storage:Flushers", o.Flushers);
                });
            }
            // Orleans' own stream subscription state (PubSubPublisherState) needs the provider's default serializer:
            // System.Text.Json cannot read it back.
            silo.AddAdoNetGrainStorage(StorageNames.PubSub, o => (o.Invariant, o.ConnectionString) = (ClusterSettings.Invariant, settings.ConnectionString));
        }
        else
        {
            // Development without PostgreSQL: one silo, state in memory, gone when it stops.
            silo.UseLocalhostClustering(siloPort, gatewayPort);
            silo.UseInMemoryReminderService();
            // The same System.Text.Json state format as in PostgreSQL (the default would need CLR type names).
            silo.AddMemoryGrainStorage(StorageNames.Default, o => o.GrainStorageSerializer = new SystemTextJsonGrainStorageSerializer());
            silo.AddMemoryGrainStorage(StorageNames.PubSub);
        }

        // Loopback clusters detect a dead silo within seconds, so in-flight sales move on quickly.
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(configuration.GetValue("Orleans:ProbeTimeoutSeconds", 2.0));
            o.NumMissedProbesLimit = 2;
            // A silo restarted on a new address after a crash of the last silo may join once the dead one's heartbeat is
            // stale (3 missed publishes): 15 s instead of Orleans' default minutes.
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
        });
        var reminderPeriod = TimeSpan.FromSeconds(configuration.GetValue("Inventory:ExpiryReminderSeconds", 60.0));
        silo.Configure<InventoryOptions>(o => o.ExpiryReminderPeriod = reminderPeriod);
        // Refund and expiry runs after a cancellation or the event's end (section Sweeps: ReminderPeriod, OrdersPerStep, StepInterval).
        var sweeps = configuration.GetSection("Sweeps");
        silo.Services.Configure<SweepOptions>(sweeps);
        var sweepReminder = sweeps.GetValue("ReminderPeriod", new SweepOptions().ReminderPeriod);
        var shortestReminder = reminderPeriod < sweepReminder ? reminderPeriod : sweepReminder;
        silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = shortestReminder < o.MinimumReminderPeriod ? shortestReminder : o.MinimumReminderPeriod);

        silo.AddMemoryStreams(DomainStreams.Provider);
        silo.Services.AddTicketFlashServices(configuration);
        return silo;
    }

    /// <summary>Services grains depend on; shared with the in-process test cluster.</summary>
    public static IServiceCollection AddTicketFlashServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new ResaleOptions { PayWindow = TimeSpan.FromSeconds(configuration.GetValue(ResaleOptions.PayWindowKey, 600.0)) });
        var gateway = configuration["Payments:Gateway"] ?? "Simulated";
        if (string.Equals(gateway, "Stripe", StringComparison.OrdinalIgnoreCase))
        {
            // Fails at start-up without a secret key rather than at the first payment.
            var stripe = configuration.GetSection(StripeOptions.Section).Get<StripeOptions>() ?? new StripeOptions();
            services.AddSingleton<IPaymentGateway>(new StripePaymentGateway(stripe));
        }
        else if (string.Equals(gateway, "Simulated", StringComparison.OrdinalIgnoreCase))
            services.AddSingleton<IPaymentGateway, SimulatedPaymentGateway>();
        else
            throw new InvalidOperationException($"Payments:Gateway '{gateway}' is not known (Simulated or Stripe).");
        services.AddSingleton(TicketKeySealer.FromConfiguration(configuration[TicketKeySealer.ConfigKey]));
        return services;
    }
}
