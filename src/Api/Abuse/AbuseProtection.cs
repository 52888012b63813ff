using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace TicketFlash.Api.Abuse;

/// <summary>
/// The edge's defences, configured in one place: proxy headers, security headers, HTTPS redirection and HSTS (Production
/// only), CORS for configured origins only, and the write rate limits (<see cref="RateLimits"/>).
/// </summary>
public static class AbuseProtection
{
    public const string CorsOriginsKey = "Cors:Origins";

    public static WebApplicationBuilder AddTicketFlashAbuseProtection(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        builder.Services.AddSingleton<SecurityHeaders>();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Client address and scheme from the TLS-terminating proxy; trusted only from loopback (the framework's
            // default) and the proxies and networks configured here, so a client cannot pick its own rate-limit bucket.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in config.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? []) o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in config.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? []) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        var origins = config.GetSection(CorsOriginsKey).Get<string[]>() ?? [];
        if (origins.Length > 0)
        {
            // Bearer tokens travel in a header, never in cookies: no credentials mode.
            builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.WithOrigins(origins).AllowAnyHeader()
                .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete)
                .WithExposedHeaders("Location", "Retry-After").SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        }
        builder.AddTicketFlashRateLimits();
        return builder;
    }

    /// <summary>First in the pipeline, so every response (static files and errors included) carries the headers.</summary>
    public static WebApplication UseTicketFlashEdge(this WebApplication app)
    {
        app.UseForwardedHeaders();
        var headers = app.Services.GetRequiredService<SecurityHeaders>();
        app.Use(headers.Invoke);
        if (app.Environment.IsProduction())
        {
            // Health probes come over plain HTTP from inside the cluster; everything else is sent to HTTPS once the port is
            // known (an HTTPS endpoint of Kestrel, or HTTPS_PORT behind a proxy).
            app.UseWhen(http => !http.Request.Path.StartsWithSegments("/health"), branch => branch.UseHttpsRedirection());
            app.UseHsts();
        }
        if ((app.Configuration.GetSection(CorsOriginsKey).Get<string[]>() ?? []).Length > 0) app.UseCors();
        return app;
    }
}
