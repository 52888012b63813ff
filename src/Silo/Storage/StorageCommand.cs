using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

namespace TicketFlash.Silo.Storage;

/// <summary>
/// A stored Orleans query made ready for batching: one statement, its <c>@Name</c> parameters turned into positional
/// <c>$n</c> once, so Npgsql sends it as is instead of parsing and rewriting the text for every command of every batch.
/// </summary>
internal sealed record StorageStatement(string Sql, string[] ParameterOrder)
{
    public static StorageStatement Parse(string queryText)
    {
        var names = new List<string>();
        var sql = Regex.Replace(queryText.Trim().TrimEnd(';'), @"@(\w+)", match =>
        {
            var index = names.IndexOf(match.Groups[1].Value);
            if (index < 0) names.Add(match.Groups[1].Value);
            return "$" + (index < 0 ? names.Count : index + 1).ToString(CultureInfo.InvariantCulture);
        });
        return new StorageStatement(sql, [.. names]);
    }
}

/// <summary>One statement waiting for a batch: its parameters, and how it reads its own result set.</summary>
internal abstract class StorageCommand(StorageStatement statement, StorageRowKey key, string serviceId)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StorageRowKey Key => key;

    /// <summary>Completes only after the batch that carried this command has committed.</summary>
    public Task Completion => _done.Task;

    public NpgsqlBatchCommand CreateStatement()
    {
        var batchCommand = new NpgsqlBatchCommand(statement.Sql);
        foreach (var name in statement.ParameterOrder) batchCommand.Parameters.Add(Parameter(name));
        return batchCommand;
    }

    /// <summary>The value of one of the parameters the Orleans ADO.NET provider sends (deploy/sql/0003 uses them).</summary>
    protected virtual NpgsqlParameter Parameter(string name) => name switch
    {
        "GrainIdHash" => new NpgsqlParameter<int> { TypedValue = key.GrainIdHash },
        "GrainTypeHash" => new NpgsqlParameter<int> { TypedValue = key.GrainTypeHash },
        "GrainIdN0" => new NpgsqlParameter<long> { TypedValue = key.N0 },
        "GrainIdN1" => new NpgsqlParameter<long> { TypedValue = key.N1 },
        "GrainTypeString" => new NpgsqlParameter<string> { TypedValue = key.GrainType },
        "GrainIdExtensionString" => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)key.Extension ?? DBNull.Value },
        "ServiceId" => new NpgsqlParameter<string> { TypedValue = serviceId },
        _ => throw new InvalidOperationException($"The stored storage query uses @{name}, which this provider does not send."),
    };

    /// <summary>Reads this command's result set (the reader is positioned on it). Must not complete anything.</summary>
    public abstract Task ReadAsync(NpgsqlDataReader reader);

    public void Succeed() => _done.TrySetResult();

    public void Fail(Exception error) => _done.TrySetException(error);
}

/// <summary>ReadFromStorageKey: the payload and version of one grain, or no row.</summary>
internal sealed class ReadRowCommand(StorageStatement statement, StorageRowKey key, string serviceId) : StorageCommand(statement, key, serviceId)
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
internal sealed class WriteRowCommand(StorageStatement statement, StorageRowKey key, string serviceId, int? expectedVersion, byte[]? payload)
    : StorageCommand(statement, key, serviceId)
{
    public int? NewVersion { get; private set; }

    protected override NpgsqlParameter Parameter(string name) => name switch
    {
        "GrainStateVersion" => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)expectedVersion ?? DBNull.Value },
        "PayloadBinary" when payload is not null => new NpgsqlParameter<byte[]> { TypedValue = payload },
        _ => base.Parameter(name),
    };

    public override async Task ReadAsync(NpgsqlDataReader reader)
    {
        NewVersion = null;
        if (await reader.ReadAsync() && !reader.IsDBNull(0)) NewVersion = reader.GetInt32(0);
    }
}
