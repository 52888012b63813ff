using TicketFlash.Integration.Tests.Infrastructure;
using TicketFlash.Integration.Tests.Storage;

namespace TicketFlash.Integration.Tests.Auth;

/// <summary>
/// A silo and an API process that trusts a real OIDC issuer (oidc-provider on loopback), run as Production: no
/// development signing key, no dev token route. The API's memory of validated tokens is cut to
/// <see cref="RememberFor"/> and the JWKS refresh interval to a second, so the key-rotation test runs in seconds.
/// </summary>
public sealed class OidcCluster : IAsyncLifetime
{
    public static readonly TimeSpan RememberFor = TimeSpan.FromSeconds(3);

    public TestDatabase Db { get; private set; } = null!;

    public OidcIssuer Issuer { get; private set; } = null!;

    public ProcessCluster Cluster { get; private set; } = null!;

    public TicketFlashClient Api { get; private set; } = null!;

    /// <summary>A second API node of the same cluster, told to accept only <see cref="OverriddenIssuer"/> (Auth:Issuer).</summary>
    public TicketFlashClient ApiWithIssuerOverride { get; private set; } = null!;

    public const string OverriddenIssuer = "https://accounts.example.test/realms/ticketflash";

    public async Task InitializeAsync()
    {
        Issuer = await OidcIssuer.StartAsync();
        Db = await MigratedDatabase.CreateAsync();
        Cluster = await ProcessCluster.StartAsync(Db.ConnectionString, silos: 1, apis: 0);
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["TF_Auth__SigningKey"] = "", // what ProcessCluster gives every API node: not used here
            ["TF_Auth__Authority"] = Issuer.Issuer,
            ["TF_Auth__Audience"] = "ticketflash",
            ["TF_Auth__RequireHttpsMetadata"] = "false", // the test issuer is plain http on loopback
            ["TF_Auth__JwksRefreshInterval"] = "00:00:01",
            ["TF_Auth__ValidatedTokensMaxAge"] = RememberFor.ToString(),
            ["TF_Auth__Web__Resource"] = OidcIssuer.Resource,
        };
        var url = Cluster.StartApi(settings);
        var overridden = Cluster.StartApi(new Dictionary<string, string>(settings) { ["TF_Auth__Issuer"] = OverriddenIssuer });
        await Cluster.WaitReadyAsync(TimeSpan.FromSeconds(120));
        Api = new TicketFlashClient(url);
        ApiWithIssuerOverride = new TicketFlashClient(overridden);
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        ApiWithIssuerOverride?.Dispose();
        if (Cluster is not null) await Cluster.DisposeAsync();
        if (Db is not null) await Db.DisposeAsync();
        if (Issuer is not null) await Issuer.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class OidcCollection : ICollectionFixture<OidcCluster>
{
    public const string Name = "OIDC issuer + silo + Production API";
}
