using TicketFlash.Silo.Hosting;
using TicketFlash.Silo.Migrations;

// TicketFlash silo.  `TicketFlash.Silo migrate` applies deploy/sql and exits; `--migrate` migrates, then runs the silo.
var migrateOnly = args.Contains("migrate");
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args.Where(a => a is not "migrate" and not "--migrate").ToArray(),
    ContentRootPath = AppContext.BaseDirectory, // appsettings.json applies whatever directory the process starts in
});
builder.Configuration.AddEnvironmentVariables("TF_");

if (migrateOnly || args.Contains("--migrate"))
{
    var settings = ClusterSettings.From(builder.Configuration, defaultMaxPool: 2);
    if (settings.UsePostgres)
    {
        using var loggerFactory = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true));
        var sqlDirectory = builder.Configuration["Storage:SqlDirectory"] ?? Path.Combine(AppContext.BaseDirectory, "sql");
        var applied = await SchemaMigrator.MigrateAsync(settings.ConnectionString!, sqlDirectory, loggerFactory.CreateLogger("migrate"));
        Console.WriteLine(applied.Count == 0 ? "migrate: schema is up to date" : $"migrate: applied {string.Join(", ", applied)}");
    }
    if (migrateOnly) return 0;
}

builder.UseOrleans(silo => silo.ConfigureTicketFlash(builder.Configuration));
await builder.Build().RunAsync();
return 0;
