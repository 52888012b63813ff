using Microsoft.AspNetCore.Builder;
using TicketFlash.Api;
using TicketFlash.Grains.Tickets.Codes;
using TicketFlash.Silo.Hosting;
using TicketFlash.Silo.Migrations;

// TicketFlash silo.  `TicketFlash.Silo migrate` applies deploy/sql and exits; `--migrate` migrates, then runs the silo;
// `--api` co-hosts the HTTP API and live hub in this process, calling grains without a client → gateway hop.
var migrateOnly = args.Contains("migrate");
var coHostApi = args.Contains("--api");
var hostArgs = args.Where(a => a is not "migrate" and not "--migrate" and not "--api").ToArray();
var contentRoot = AppContext.BaseDirectory; // appsettings.json applies whatever directory the process starts in
IHostApplicationBuilder builder = coHostApi
    ? WebApplication.CreateBuilder(new WebApplicationOptions { Args = hostArgs, ContentRootPath = contentRoot })
    : Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = hostArgs, ContentRootPath = contentRoot });
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
// The silo first: its hosted service starts before the API's, so the API never serves ahead of the grains.
builder.UseOrleans(silo => silo.ConfigureTicketFlash(builder.Configuration));
if (builder is WebApplicationBuilder web)
{
    await web.AddTicketFlashApi().Build().UseTicketFlashApi().RunAsync();
}
else
{
    await ((HostApplicationBuilder)builder).Build().RunAsync();
}
return 0;
