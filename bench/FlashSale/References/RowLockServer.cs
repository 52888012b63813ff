using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace TicketFlash.Bench.FlashSale.References;

/// <summary>
/// Reference (b): what peers build. ASP.NET Core minimal APIs + Npgsql; every hold is one transaction
/// that locks the event's row. Same HTTP contract as TicketFlash's buy path. Identity is deliberately
/// trivial: any bearer token is accepted and its text IS the customer id (the X-Customer header wins
/// when present); POST /api/dev/token returns the subject as the token.
/// </summary>
public static class RowLockServer
{
    private const string ProblemBase = "https://ticketflash.dev/problems/";

    public static async Task RunAsync(int port, string connectionString, int poolSize, int holdPoolSize, int seedSeats, int seedSections, bool exitOnStdinEof)
    {
        var builder = ServerHost.CreateBuilder(port);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, RowLockJson.Default));
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(_ => RowLockStore.CreateDataSources(connectionString, poolSize, holdPoolSize));
        builder.Services.AddSingleton<RowLockStore>();
        builder.Services.AddHostedService<HoldSweeper>();
        var app = builder.Build();

        var store = app.Services.GetRequiredService<RowLockStore>();
        await store.CreateSchemaAsync(CancellationToken.None);
        var seeded = await store.SeedAsync(seedSeats, seedSections, CancellationToken.None);
        Map(app);
        var ds = app.Services.GetRequiredService<RowLockDataSources>();
        app.Lifetime.ApplicationStopped.Register(ds.Dispose);
        await ServerHost.RunAsync(app, exitOnStdinEof,
            $"rowlock listening on http://127.0.0.1:{port} (pool {poolSize} + {holdPoolSize} for holds, schema {RowLockSql.Schema}, seeded event {seeded})");
    }

    private static void Map(WebApplication app)
    {
        app.MapGet("/health", () => Results.Ok("ok"));
        app.MapGet("/health/live", () => Results.Ok("ok"));

        app.MapPost("/api/dev/token", (DevTokenRequest req) =>
            string.IsNullOrWhiteSpace(req.Sub)
                ? Problem(400, RowLockStore.Validation, "sub is required")
                : Results.Json(new DevTokenResponse(req.Sub, DateTimeOffset.UtcNow.AddDays(1)), RowLockJson.Default.DevTokenResponse));

        app.MapPost("/api/venues", async (HttpContext ctx, VenueRequest req, RowLockStore store) =>
            Customer(ctx) is { } who ? ToResult(await store.CreateVenueAsync(who, req, ctx.RequestAborted), RowLockJson.Default.VenueResponse) : Unauthorized());

        app.MapPost("/api/events", async (HttpContext ctx, EventRequest req, RowLockStore store) =>
            Customer(ctx) is { } who ? ToResult(await store.CreateEventAsync(who, req, ctx.RequestAborted), RowLockJson.Default.EventResponse) : Unauthorized());

        app.MapPost("/api/events/{id:guid}/open-sale", async (HttpContext ctx, Guid id, RowLockStore store) =>
            Customer(ctx) is null ? Unauthorized() : ToResult(await store.OpenSaleAsync(id, ctx.RequestAborted), RowLockJson.Default.EventResponse));

        app.MapGet("/api/events/{id:guid}/availability", async (HttpContext ctx, Guid id, RowLockStore store) =>
            ToResult(await store.AvailabilityAsync(id, ctx.RequestAborted), RowLockJson.Default.AvailabilityResponse));

        app.MapPost("/api/orders", async (HttpContext ctx, [FromHeader(Name = "Idempotency-Key")] string? key, OrderRequest req, RowLockStore store) =>
        {
            if (Customer(ctx) is not { } who) return Unauthorized();
            if (string.IsNullOrWhiteSpace(key) || key.Length > 200) return Problem(400, RowLockStore.Validation, "an Idempotency-Key header is required");
            if (req.EventId is null || req.Quantity is not (>= 1 and <= 20)) return Problem(400, RowLockStore.Validation, "eventId and a quantity of 1..20 are required");
            var outcome = await store.HoldAsync(who, key, req.EventId.Value, req.Quantity.Value, req.SectionId, ctx.RequestAborted);
            return ToResult(outcome, RowLockJson.Default.HoldResponse);
        });

        app.MapPost("/api/orders/{id:guid}/pay", async (HttpContext ctx, Guid id, RowLockStore store) =>
            Customer(ctx) is { } who ? ToResult(await store.PayAsync(who, id, ctx.RequestAborted), RowLockJson.Default.PayResponse) : Unauthorized());
    }

    /// <summary>X-Customer header, else the bearer token's text.</summary>
    private static string? Customer(HttpContext ctx)
    {
        var header = ctx.Request.Headers["X-Customer"].ToString();
        if (header.Length > 0) return header;
        var auth = ctx.Request.Headers.Authorization.ToString();
        return auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && auth.Length > 7 ? auth[7..].Trim() : null;
    }

    private static IResult ToResult<T>(Outcome<T> o, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) =>
        o.Problem is null ? Results.Json(o.Value, info, statusCode: o.Status) : Problem(o.Status, o.Problem, o.Detail);

    private static IResult Problem(int status, string type, string? detail) =>
        Results.Problem(type: ProblemBase + type, statusCode: status, title: type.Replace('-', ' '), detail: detail);

    private static IResult Unauthorized() => Problem(401, "unauthorized", "send Authorization: Bearer <customer> or X-Customer");

    /// <summary>The expiry job a peer would run: every 5 s, release holds that passed their expiry.</summary>
    private sealed class HoldSweeper(RowLockStore store, ILogger<HoldSweeper> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
            try
            {
                while (await timer.WaitForNextTickAsync(stoppingToken))
                {
                    try
                    {
                        await store.ExpireHoldsAsync(stoppingToken);
                    }
                    catch (Exception e) when (e is NpgsqlException or TimeoutException)
                    {
                        logger.LogWarning(e, "hold sweep failed; retrying on the next tick");
                    }
                }
            }
            catch (OperationCanceledException) { }
        }
    }
}
