using Microsoft.Extensions.DependencyInjection.Extensions;
using TicketFlash.Api.Abuse;
using TicketFlash.Api.Auth;
using TicketFlash.Api.Endpoints;
using TicketFlash.Api.Infrastructure;
using TicketFlash.Api.Live;

namespace TicketFlash.Api;

/// <summary>
/// The HTTP API and the live hub, whatever process hosts them: the API's own (with an Orleans cluster client) or a silo
/// that co-hosts it (the silo's own grain factory; no client → gateway hop). The caller provides <see cref="IGrainFactory"/>.
/// </summary>
public static class TicketFlashApi
{
    public static WebApplicationBuilder AddTicketFlashApi(this WebApplicationBuilder builder)
    {
        builder.AddTicketFlashHttp();
        builder.AddTicketFlashAuth();
        builder.AddTicketFlashAbuseProtection();
        builder.Services.TryAddSingleton(TimeProvider.System); // a co-hosting silo has registered one already
        builder.Services.AddSingleton<LiveStockRelay>();
        builder.Services.AddHostedService<DemoSeeder>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveStockRelay>());
        return builder;
    }

    public static WebApplication UseTicketFlashApi(this WebApplication app)
    {
        app.UseTicketFlashEdge();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = Problems.HandleException });
        // Errors from the pipeline itself (401, 403, unmatched routes, 405) are typed problems too, whatever the Accept header.
        app.UseStatusCodePages(ctx => Problems.ForStatus(ctx.HttpContext.Response.StatusCode).ExecuteAsync(ctx.HttpContext));
        app.UseTicketFlashWebApp();
        app.UseAuthentication();
        app.UseTicketFlashRateLimits(); // after authentication: limits per token subject
        app.UseAuthorization();

        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapHealth();
        app.MapClientConfigApi();
        app.MapVenuesApi();
        app.MapEventsApi();
        app.MapOrdersApi();
        app.MapMeApi();
        app.MapTicketsApi();
        app.MapListingsApi();
        app.MapCheckInApi();
        app.MapPaymentsApi();
        app.MapHub<LiveHub>(LiveHub.Path);
        if (app.Environment.IsDevelopment() && app.Services.GetRequiredService<DevTokenKey>().Key is not null) app.MapDevApi();
        app.MapWebAppFallback();
        return app;
    }
}
