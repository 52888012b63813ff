using Microsoft.Extensions.Logging.Abstractions;
using TicketFlash.Integration.Tests.Infrastructure;
using TicketFlash.Silo.Migrations;

namespace TicketFlash.Integration.Tests.Storage;

public sealed class MigrationTests
{
    [Fact]
    public async Task Migrations_apply_from_empty_then_rerun_applies_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();

        var first = await SchemaMigrator.MigrateAsync(db.ConnectionString, Binaries.SqlDirectory, NullLogger.Instance);
        var second = await SchemaMigrator.MigrateAsync(db.ConnectionString, Binaries.SqlDirectory, NullLogger.Instance);

        Assert.Equal(Directory.GetFiles(Binaries.SqlDirectory, "*.sql").Select(Path.GetFileName).Order(StringComparer.Ordinal), first);
        Assert.Empty(second);
        foreach (var table in new[] { "orleansquery", "orleans_membership", "orleans_storage", "orleans_reminders" })
            Assert.Equal(1L, await db.ScalarAsync<long>($"SELECT count(*) FROM information_schema.tables WHERE table_name = '{table}'"));
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM orleansquery") >= 20);
        // Room for heap-only (in-place) updates: grain writes are updates of one row each.
        Assert.Equal("fillfactor=80", await db.ScalarAsync<string>(
            "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'orleans_storage' AND relkind = 'r'"));
    }

    [Fact]
    public async Task Concurrent_migrations_apply_each_script_once()
    {
        await using var db = await TestDatabase.CreateAsync();

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            SchemaMigrator.MigrateAsync(db.ConnectionString, Binaries.SqlDirectory, NullLogger.Instance)));

        Assert.Equal(Directory.GetFiles(Binaries.SqlDirectory, "*.sql").Length, runs.Sum(r => r.Count));
        Assert.Equal(runs.Sum(r => r.Count), await db.ScalarAsync<long>("SELECT count(*) FROM tf_schema_migrations"));
    }
}
