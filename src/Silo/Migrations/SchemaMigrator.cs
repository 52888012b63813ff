using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace TicketFlash.Silo.Migrations;

/// <summary>
/// Applies the project's PostgreSQL scripts (deploy/sql/*.sql) in ordinal file-name order. Each
/// file runs in its own transaction and is recorded in <c>tf_schema_migrations</c> with the
/// SHA-256 of its text (line endings normalized to LF); a recorded file is skipped, and a
/// recorded file whose text changed is an error. A session advisory lock serializes concurrent
/// migrators (several silos starting at once).
/// </summary>
public static class SchemaMigrator
{
    /// <summary>Arbitrary constant advisory-lock key reserved for schema migration.</summary>
    private const long AdvisoryLockKey = 0x5446_5343_4845_4D41; // "TFSCHEMA"

    private const string CreateHistoryTable = """
        CREATE TABLE IF NOT EXISTS tf_schema_migrations
        (
            version    text        NOT NULL PRIMARY KEY,
            checksum   text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    public static async Task<IReadOnlyList<string>> MigrateAsync(
        string connectionString, string sqlDirectory, ILogger logger, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(sqlDirectory);
        ArgumentNullException.ThrowIfNull(logger);
        if (!Directory.Exists(sqlDirectory))
        {
            throw new DirectoryNotFoundException($"Schema migration folder not found: {Path.GetFullPath(sqlDirectory)}");
        }

        var files = Directory.GetFiles(sqlDirectory, "*.sql")
            .Select(path => (Name: Path.GetFileName(path), Path: path))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", ct);
        try
        {
            await ExecuteAsync(connection, null, CreateHistoryTable, ct);
            var applied = await ReadAppliedAsync(connection, ct);
            var newlyApplied = new List<string>();
            foreach (var (name, path) in files)
            {
                var sql = (await File.ReadAllTextAsync(path, ct)).Replace("\r\n", "\n", StringComparison.Ordinal);
                var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
                if (applied.TryGetValue(name, out var recorded))
                {
                    if (!string.Equals(recorded, checksum, StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException(
                            $"Schema migration '{name}' was already applied with checksum {recorded}, but the file now has " +
                            $"checksum {checksum}. Applied migrations must not be edited: add a new, higher-numbered file instead.");
                    }
                    logger.LogDebug("Schema migration {Migration} already applied", name);
                    continue;
                }

                await using (var tx = await connection.BeginTransactionAsync(ct))
                {
                    await ExecuteAsync(connection, tx, sql, ct);
                    await using var record = new NpgsqlCommand(
                        "INSERT INTO tf_schema_migrations (version, checksum) VALUES (@version, @checksum)", connection, tx);
                    record.Parameters.AddWithValue("version", name);
                    record.Parameters.AddWithValue("checksum", checksum);
                    await record.ExecuteNonQueryAsync(ct);
                    await tx.CommitAsync(ct);
                }
                logger.LogInformation("Applied schema migration {Migration} ({Checksum})", name, checksum[..12]);
                newlyApplied.Add(name);
            }

            logger.LogInformation("Schema is up to date: {Applied} applied now, {Total} scripts in {Directory}",
                newlyApplied.Count, files.Count, sqlDirectory);
            return newlyApplied;
        }
        finally
        {
            // Also released when the session ends; unlock explicitly so a pooled connection does not keep it.
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private static async Task<Dictionary<string, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM tf_schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            applied[reader.GetString(0)] = reader.GetString(1);
        }
        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync(ct);
    }
}
