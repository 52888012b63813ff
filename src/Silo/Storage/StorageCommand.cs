using Npgsql;
using NpgsqlTypes;

namespace TicketFlash.Silo.Storage;

/// <summary>One statement waiting for a batch: its SQL, its parameters, and how it reads its own result set.</summary>
internal abstract class StorageCommand(string sql, StorageRowKey key, string serviceId)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Sql { get; } = sql;

    /// <summary>Completes only after the batch that carried this command has committed.</summary>
    public Task Completion => _done.Task;

    public virtual void Bind(NpgsqlParameterCollection parameters)
    {
        // The parameter names the Orleans ADO.NET provider sends; the queries in deploy/sql/0003 use them.
        parameters.Add(new NpgsqlParameter<int>("GrainIdHash", key.GrainIdHash));
        parameters.Add(new NpgsqlParameter<int>("GrainTypeHash", key.GrainTypeHash));
        parameters.Add(new NpgsqlParameter<long>("GrainIdN0", key.N0));
        parameters.Add(new NpgsqlParameter<long>("GrainIdN1", key.N1));
        parameters.Add(new NpgsqlParameter<string>("GrainTypeString", key.GrainType));
        parameters.Add(new NpgsqlParameter("GrainIdExtensionString", NpgsqlDbType.Text) { Value = (object?)key.Extension ?? DBNull.Value });
        parameters.Add(new NpgsqlParameter<string>("ServiceId", serviceId));
    }

    /// <summary>Reads this command's result set (the reader is positioned on it). Must not complete anything.</summary>
    public abstract Task ReadAsync(NpgsqlDataReader reader);

    public void Succeed() => _done.TrySetResult();

    public void Fail(Exception error) => _done.TrySetException(error);
}

/// <summary>ReadFromStorageKey: the payload and version of one grain, or no row.</summary>
internal sealed class ReadRowCommand(string sql, StorageRowKey key, string serviceId) : StorageCommand(sql, key, serviceId)
{
    public byte[]? Payload { get; private set; }

    public int? Version { get; private set; }

    public override async Task ReadAsync(NpgsqlDataReader reader)
    {
        (Payload, Version) = (null, null);
        if (!await reader.ReadAsync()) return;
        var payload = reader.GetOrdinal("PayloadBinary");
        var version = reader.GetOrdinal("Version");
        Payload = reader.IsDBNull(payload) ? null : reader.GetFieldValue<byte[]>(payload);
        Version = reader.IsDBNull(version) ? null : reader.GetInt32(version);
    }
}

/// <summary>
/// WriteToStorageKey (with a payload) or ClearStorageKey (without): one row back with the new version, NULL when the
/// expected version is stale. The ETag check is in the statement, so a stale write in a batch fails alone.
/// </summary>
internal sealed class WriteRowCommand(string sql, StorageRowKey key, string serviceId, int? expectedVersion, byte[]? payload)
    : StorageCommand(sql, key, serviceId)
{
    public int? NewVersion { get; private set; }

    public override void Bind(NpgsqlParameterCollection parameters)
    {
        base.Bind(parameters);
        parameters.Add(new NpgsqlParameter("GrainStateVersion", NpgsqlDbType.Integer) { Value = (object?)expectedVersion ?? DBNull.Value });
        if (payload is not null) parameters.Add(new NpgsqlParameter<byte[]>("PayloadBinary", payload));
    }

    public override async Task ReadAsync(NpgsqlDataReader reader)
    {
        NewVersion = null;
        if (await reader.ReadAsync() && !reader.IsDBNull(0)) NewVersion = reader.GetInt32(0);
    }
}
