using Npgsql;

namespace TicketFlash.Integration.Tests.Infrastructure;

/// <summary>
/// A fresh, empty database on the real PostgreSQL that deploy/test.sh started (TF_TEST_PG). There is no fallback:
/// without PostgreSQL these tests fail, they do not skip.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _adminConnection;

    private TestDatabase(string adminConnection, string name, string connectionString)
    {
        _adminConnection = adminConnection;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var baseConnection = Environment.GetEnvironmentVariable("TF_TEST_PG")
            ?? throw new InvalidOperationException("TF_TEST_PG is not set: run the tests through deploy/test.sh, which starts PostgreSQL.");
        var name = $"tf_test_{Guid.NewGuid():N}"[..24];
        await using (var admin = new NpgsqlConnection(baseConnection))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var connection = new NpgsqlConnectionStringBuilder(baseConnection) { Database = name }.ConnectionString;
        return new TestDatabase(baseConnection, name, connection);
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public async Task<List<string>> JsonStatesAsync(string grainTypeLike)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT convert_from(payload_binary, 'UTF8') FROM orleans_storage WHERE grain_type_string LIKE @t AND payload_binary IS NOT NULL", connection);
        command.Parameters.AddWithValue("t", grainTypeLike);
        var states = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) states.Add(reader.GetString(0));
        return states;
    }

    public async ValueTask DisposeAsync()
    {
        await using var admin = new NpgsqlConnection(_adminConnection);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
