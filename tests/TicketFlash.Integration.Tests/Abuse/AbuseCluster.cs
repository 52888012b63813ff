using System.Net.Http.Headers;
using TicketFlash.Integration.Tests.Infrastructure;
using TicketFlash.Integration.Tests.Storage;

namespace TicketFlash.Integration.Tests.Abuse;

/// <summary>
/// Two API nodes over one silo, for the edge's defences. Node 0 (a silo co-hosting the API, Development) has tiny write
/// limits that never refill during a test, the browser app's files, one CORS origin and one extra exempt path. Node 1
/// (its own API process) runs as Production with an HTTPS port, rate limiting switched off and no CORS origin. Each test
/// sends from its own client addresses (X-Forwarded-For, trusted from loopback), so the buckets of tests don't mix.
/// </summary>
public sealed class AbuseCluster : IAsyncLifetime
{
    public const int PerUser = 5;
    public const int PerIp = 12;
    public const string AllowedOrigin = "https://shop.example";
    public const string Index = "<!doctype html><title>TicketFlash test app</title>";

    private readonly string _root = Directory.CreateTempSubdirectory("tf-abuse-web-").FullName;
    private TestDatabase _db = null!;

    public ProcessCluster Cluster { get; private set; } = null!;

    /// <summary>Node 0: Development, tiny limits.</summary>
    public TicketFlashClient Dev { get; private set; } = null!;

    /// <summary>Node 1: Production; redirects are not followed, so a test sees them.</summary>
    public HttpClient Production { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_root, "index.html"), Index);
        await File.WriteAllTextAsync(Path.Combine(_root, "main-WBRJP3QC.js"), "console.log('app');");
        _db = await MigratedDatabase.CreateAsync();
        var tenMinutes = "00:10:00";
        Cluster = await ProcessCluster.StartAsync(_db.ConnectionString, silos: 0, apis: 0, coHosted: 1, siloSettings: new()
        {
            ["TF_Web__Root"] = _root,
            ["TF_RateLimits__PerUser__TokenLimit"] = PerUser.ToString(),
            ["TF_RateLimits__PerUser__TokensPerPeriod"] = PerUser.ToString(),
            ["TF_RateLimits__PerUser__ReplenishmentPeriod"] = tenMinutes,
            ["TF_RateLimits__PerIp__TokenLimit"] = PerIp.ToString(),
            ["TF_RateLimits__PerIp__TokensPerPeriod"] = PerIp.ToString(),
            ["TF_RateLimits__PerIp__ReplenishmentPeriod"] = tenMinutes,
            ["TF_RateLimits__ExemptPaths__0"] = "/api/payments/stripe/webhook",
            ["TF_RateLimits__ExemptPaths__1"] = "/api/venues",
            ["TF_Cors__Origins__0"] = AllowedOrigin,
        });
        Cluster.StartApi(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["TF_HTTPS_PORT"] = "8443",
            ["TF_RateLimits__Enabled"] = "false",
            ["TF_Web__Root"] = _root,
        });
        // The Production node answers plain-HTTP health probes (never redirected), so the usual readiness wait works.
        await Cluster.WaitReadyAsync(TimeSpan.FromSeconds(120));
        Dev = new TicketFlashClient(Cluster.ApiUrls[0]);
        Production = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = Cluster.ApiUrls[1] };
    }

    /// <summary>A request as if from <paramref name="clientAddress"/> behind a proxy on loopback.</summary>
    public static HttpRequestMessage From(string clientAddress, HttpMethod method, string path, string? token = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", clientAddress);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    public async Task DisposeAsync()
    {
        Dev?.Dispose();
        Production?.Dispose();
        if (Cluster is not null) await Cluster.DisposeAsync();
        if (_db is not null) await _db.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class AbuseCollection : ICollectionFixture<AbuseCluster>
{
    public const string Name = "abuse: limits, headers, CORS";
}
