using System.Net;
using System.Net.Sockets;
using Orleans.Configuration;
using TicketFlash.Silo.Hosting;
using TicketFlash.Silo.Migrations;

namespace TicketFlash.Bench.GateScan.Online;

/// <summary>How the scanners reach the silo.</summary>
public enum ClientKind
{
    /// <summary>The silo's own IGrainFactory: calls from outside any grain, no gateway hop (what a co-hosted API would do).</summary>
    Silo,

    /// <summary>An Orleans cluster client in this process connected to the silo's gateway over loopback TCP (what src/Api does).</summary>
    Gateway,
}

/// <summary>
/// One TicketFlash silo hosted in this process with the production configuration (<see cref="SiloConfiguration.ConfigureTicketFlash"/>),
/// on free loopback ports and its own cluster id, so it never joins or disturbs another TicketFlash on the machine.
/// </summary>
public sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _silo;
    private readonly IHost? _client;

    private readonly bool _memory;

    private BenchSilo(IHost silo, IHost? client, IGrainFactory grains, string description, bool memory)
    {
        _memory = memory;
        _silo = silo;
        _client = client;
        Grains = grains;
        Description = description;
    }

    public IGrainFactory Grains { get; }

    /// <summary>The factory of the silo itself (management calls, setup), whatever the scanners use.</summary>
    public IGrainFactory SiloGrains => _silo.Services.GetRequiredService<IGrainFactory>();

    public string Description { get; }

    public static async Task<BenchSilo> StartAsync(string? db, string sqlDirectory, ClientKind clientKind, TextWriter w, CancellationToken ct)
    {
        var siloPort = FreePort();
        var gatewayPort = FreePort();
        var clusterId = $"gatescan-{Guid.NewGuid():N}"[..17];
        var settings = new Dictionary<string, string?>
        {
            ["Orleans:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:ClusterId"] = clusterId,
            ["Orleans:ServiceId"] = "gatescan",
            ["Payments:Gateway"] = "Simulated",
        };
        if (db is null)
        {
            settings["Storage:Mode"] = "Memory";
        }
        else
        {
            settings["Storage:Mode"] = "Postgres";
            settings["ConnectionStrings:Orleans"] = db;
            using var loggers = QuietLoggers();
            var applied = await SchemaMigrator.MigrateAsync(db, sqlDirectory, loggers.CreateLogger("migrate"), ct);
            w.WriteLine($"migrate: {(applied.Count == 0 ? "schema is up to date" : "applied " + string.Join(", ", applied))} ({sqlDirectory})");
        }

        // Signing keys sealed at rest as in production: a fresh master key for this throwaway silo.
        settings["Keys:MasterKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);
        Quiet(builder.Logging);
        builder.UseOrleans(silo => silo.ConfigureTicketFlash(builder.Configuration));
        var siloHost = builder.Build();
        await siloHost.StartAsync(ct);

        var storage = db is null
            ? "memory storage"
            : $"PostgreSQL storage, clustering and reminders (pool max {new Npgsql.NpgsqlConnectionStringBuilder(ClusterSettings.From(builder.Configuration, 24).ConnectionString).MaxPoolSize})";
        if (clientKind == ClientKind.Silo)
            return new BenchSilo(siloHost, null, siloHost.Services.GetRequiredService<IGrainFactory>(), $"1 silo, {storage}; scanners call through the silo's own IGrainFactory (no gateway hop)", db is null);

        var clientBuilder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        Quiet(clientBuilder.Logging);
        clientBuilder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "gatescan"));
            if (db is null)
                client.UseLocalhostClustering(gatewayPort);
            else
                client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (ClusterSettings.Invariant, new Npgsql.NpgsqlConnectionStringBuilder(db) { MaxPoolSize = 4 }.ConnectionString));
        });
        var clientHost = clientBuilder.Build();
        await clientHost.StartAsync(ct);
        return new BenchSilo(siloHost, clientHost, clientHost.Services.GetRequiredService<IClusterClient>(),
            $"1 silo, {storage}; scanners call through an Orleans cluster client over the loopback gateway (port {gatewayPort})", db is null);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        if (_client is not null)
        {
            await _client.StopAsync(stop.Token);
            _client.Dispose();
        }
        s_stopping = true;
        if (_memory)
        {
            // Memory storage lives in grains that a shutdown deactivates alongside everything else, so grains that write on
            // deactivation (orders tidy their outbox) would fail noisily. Deactivate those first, while storage is up.
            try
            {
                await SiloGrains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
            }
            catch (OrleansException)
            {
                // best effort: only the shutdown logs are at stake
            }
        }
        await _silo.StopAsync(stop.Token);
        _silo.Dispose();
    }

    private static void Quiet(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat) = (true, "HH:mm:ss "));
        // Warnings and errors, except: the silo's note that it runs without server GC (so does the production silo), and
        // warnings while this benchmark shuts the silo down (e.g. "the collection turn took longer than 1 s").
        logging.AddFilter((category, level) => level >= (s_stopping || category == "Orleans.Runtime.Silo" ? LogLevel.Error : LogLevel.Warning));
    }

    private static volatile bool s_stopping;

    private static ILoggerFactory QuietLoggers() => LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
