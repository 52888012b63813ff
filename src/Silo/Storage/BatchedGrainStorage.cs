using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace TicketFlash.Silo.Storage;

public sealed class BatchedGrainStorageOptions
{
    public string ConnectionString { get; set; } = "";

    public IGrainStorageSerializer Serializer { get; set; } = null!;

    /// <summary>Batches in flight at once: while some commit, the next gather.</summary>
    public int Flushers { get; set; } = 3;

    public int MaxBatch { get; set; } = 256;
}

/// <summary>
/// Orleans grain storage on the ADO.NET provider's own table and queries (<c>orleans_storage</c>, the
/// <c>OrleansQuery</c> rows ReadFromStorageKey / WriteToStorageKey / ClearStorageKey, the same row keys and ETags),
/// but with the writes of many grains sent together: see <see cref="StorageBatcher"/>. In a flash sale every purchase
/// writes several grains once each; one round trip and one commit per gathered batch instead of one per grain is
/// what lets the silo outrun a single hot database row.
/// State is serialized on the caller's turn, before anything is awaited, so a reentrant grain that changes its state
/// while the write travels cannot leak those changes into it.
/// </summary>
public sealed class BatchedGrainStorage(
    string name,
    BatchedGrainStorageOptions options,
    IOptions<ClusterOptions> cluster,
    IActivatorProvider activators) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private readonly string _serviceId = cluster.Value.ServiceId;
    private StorageBatcher? _batcher;
    private Queries _queries = null!;

    private sealed record Queries(StorageStatement Read, StorageStatement Write, StorageStatement Clear);

    private StorageBatcher Batcher => _batcher ?? throw new InvalidOperationException($"Grain storage '{name}' is not initialized yet.");

    internal (long Batches, long Commands) Counts => Batcher.Counts;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(OptionFormattingUtilities.Name<BatchedGrainStorage>(name), ServiceLifecycleStage.ApplicationServices, InitAsync, _ => Task.CompletedTask);

    public async Task InitAsync(CancellationToken cancellationToken)
    {
        if (_batcher is not null) return;
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            MaxPoolSize = options.Flushers + 1,
            MaxAutoPrepare = 8, // the three statements, prepared once per connection
            AutoPrepareMinUsages = 2,
            NoResetOnClose = true,
            // Rows wait on each other only when two activations of one grain write at once (a failover); a bounded
            // wait fails that statement alone instead of holding a whole batch of other grains.
            Options = "-c lock_timeout=5000",
        };
        var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            _queries = await LoadQueriesAsync(dataSource, cancellationToken);
            _batcher = new StorageBatcher(dataSource, options.Flushers, options.MaxBatch);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var batcher = Batcher;
        var read = new ReadRowCommand(_queries.Read, StorageRowKey.For(stateName, grainId), _serviceId);
        await batcher.SubmitAsync(read);
        grainState.State = (read.Payload is { } payload ? options.Serializer.Deserialize<T>(new BinaryData(payload)) : default) ?? Create<T>();
        grainState.ETag = read.Version?.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = read.Payload is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = Bytes(options.Serializer.Serialize(grainState.State));
        var write = new WriteRowCommand(_queries.Write, StorageRowKey.For(stateName, grainId), _serviceId, Version(grainState.ETag), payload);
        await Batcher.SubmitAsync(write);
        grainState.ETag = NewETag(write, "WriteState", stateName, grainId, grainState.ETag);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (!grainState.RecordExists && string.IsNullOrWhiteSpace(grainState.ETag))
        {
            await ReadStateAsync(stateName, grainId, grainState);
            if (!grainState.RecordExists) return;
        }
        var clear = new WriteRowCommand(_queries.Clear, StorageRowKey.For(stateName, grainId), _serviceId, Version(grainState.ETag), payload: null);
        await Batcher.SubmitAsync(clear);
        grainState.ETag = NewETag(clear, "ClearState", stateName, grainId, grainState.ETag);
        grainState.RecordExists = false;
        grainState.State = Create<T>();
    }

    public async ValueTask DisposeAsync()
    {
        if (_batcher is not null) await _batcher.DisposeAsync();
    }

    private string NewETag(WriteRowCommand command, string operation, string stateName, GrainId grainId, string? etag) =>
        command.NewVersion?.ToString(CultureInfo.InvariantCulture)
        ?? throw new InconsistentStateException(
            $"Version conflict ({operation}): ServiceId={_serviceId} ProviderName={name} GrainType={stateName} GrainId={grainId} ETag={etag}.");

    /// <summary>The serialized bytes themselves when they fill one array (System.Text.Json's do): no second copy of every state written.</summary>
    private static byte[] Bytes(BinaryData data) =>
        MemoryMarshal.TryGetArray(data.ToMemory(), out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : data.ToArray();

    private static int? Version(string? etag) => string.IsNullOrWhiteSpace(etag) ? null : int.Parse(etag, CultureInfo.InvariantCulture);

    private T Create<T>() => activators.GetActivator<T>().Create();

    private static async Task<Queries> LoadQueriesAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT querykey, querytext FROM orleansquery WHERE querykey IN ('ReadFromStorageKey', 'WriteToStorageKey', 'ClearStorageKey')");
        var texts = new Dictionary<string, string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) texts[reader.GetString(0)] = reader.GetString(1);
        }
        StorageStatement Get(string key) => texts.TryGetValue(key, out var text) ? StorageStatement.Parse(text) : throw new InvalidOperationException($"OrleansQuery '{key}' is missing: run the migrations.");
        return new Queries(Get("ReadFromStorageKey"), Get("WriteToStorageKey"), Get("ClearStorageKey"));
    }
}

public static class BatchedGrainStorageExtensions
{
    public static ISiloBuilder AddBatchedGrainStorage(this ISiloBuilder silo, string name, Action<BatchedGrainStorageOptions> configure)
    {
        var options = new BatchedGrainStorageOptions();
        configure(options);
        silo.Services.AddGrainStorage(name, (services, key) => ActivatorUtilities.CreateInstance<BatchedGrainStorage>(services, key, options));
        return silo;
    }
}
