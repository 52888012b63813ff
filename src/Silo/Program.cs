using TicketFlash.Grains.Tickets.Codes;
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

// Signing keys are sealed at rest under a master key from configuration; only development may run without one.
if (builder.Environment.IsProduction() && string.IsNullOrWhiteSpace(builder.Configuration[TicketKeySealer.ConfigKey]))
{
    Console.Error.WriteLine($"{TicketKeySealer.ConfigKey} (TF_Keys__MasterKey: base64 of 32 random bytes) is required in Production.");
    return 2;
}
builder.UseOrleans(silo => silo.ConfigureTicketFlash(builder.Configuration));
await builder.Build().RunAsync();
return 0;
