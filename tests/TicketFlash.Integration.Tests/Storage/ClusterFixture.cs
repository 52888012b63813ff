using Microsoft.Extensions.Logging.Abstractions;
using TicketFlash.Integration.Tests.Infrastructure;
using TicketFlash.Silo.Migrations;

namespace TicketFlash.Integration.Tests.Storage;

/// <summary>A migrated database of its own and a helper to start clusters on it.</summary>
public static class MigratedDatabase
{
    public static async Task<TestDatabase> CreateAsync()
    {
        var db = await TestDatabase.CreateAsync();
        await SchemaMigrator.MigrateAsync(db.ConnectionString, Binaries.SqlDirectory, NullLogger.Instance);
        return db;
    }
}
