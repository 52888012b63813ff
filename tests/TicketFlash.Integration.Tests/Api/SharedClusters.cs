using System.Collections.Concurrent;
using TicketFlash.Integration.Tests.Infrastructure;
using TicketFlash.Integration.Tests.Storage;

namespace TicketFlash.Integration.Tests.Api;

/// <summary>
/// A cluster of real processes on a migrated database of its own, shared by the test classes of one xunit collection
/// (clusters take seconds to start). Tests that share it use their own events and users, so they don't interfere.
/// </summary>
public abstract class SharedCluster(int silos, int apis, int coHosted = 0) : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<object>>> _worlds = new();
    private readonly List<TicketFlashClient> _clients = [];

    public TestDatabase Db { get; private set; } = null!;

    public ProcessCluster Cluster { get; private set; } = null!;

    /// <summary>One client per API node, in start order.</summary>
    public IReadOnlyList<TicketFlashClient> Clients => _clients;

    public TicketFlashClient Client => _clients[0];

    /// <summary>Per-test-class setup (events, users) made once per cluster, whatever the number of tests using it.</summary>
    public async Task<T> Once<T>(string key, Func<SharedCluster, Task<T>> create) where T : class =>
        (T)await _worlds.GetOrAdd(key, _ => new Lazy<Task<object>>(async () => await create(this))).Value;

    public async Task InitializeAsync()
    {
        Db = await MigratedDatabase.CreateAsync();
        Cluster = await ProcessCluster.StartAsync(Db.ConnectionString, silos, apis, coHosted: coHosted);
        foreach (var url in Cluster.ApiUrls) _clients.Add(new TicketFlashClient(url));
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        if (Cluster is not null) await Cluster.DisposeAsync();
        if (Db is not null) await Db.DisposeAsync();
    }
}

/// <summary>1 silo + 1 API node.</summary>
public sealed class OneNodeCluster() : SharedCluster(silos: 1, apis: 1);

/// <summary>2 silos + 2 API nodes.</summary>
public sealed class TwoNodeCluster() : SharedCluster(silos: 2, apis: 2);

[CollectionDefinition(Name)]
public sealed class OneNodeCollection : ICollectionFixture<OneNodeCluster>
{
    public const string Name = "1 silo + 1 API";
}

[CollectionDefinition(Name)]
public sealed class TwoNodeCollection : ICollectionFixture<TwoNodeCluster>
{
    public const string Name = "2 silos + 2 APIs";
}
