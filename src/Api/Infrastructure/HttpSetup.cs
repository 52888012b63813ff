using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using TicketFlash.Abstractions.Common;
using TicketFlash.Api.Live;

namespace TicketFlash.Api.Infrastructure;

public static class HttpSetup
{
    public const long MaxBodyBytes = 64 * 1024;

    public static WebApplicationBuilder AddTicketFlashHttp(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxBodyBytes);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls("http://127.0.0.1:5080");

        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            // Numbers are JSON numbers: the web defaults also read "2" as 2, which the OpenAPI document then declares as
            // integer-or-string, and every typed client inherits that ambiguity.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        // Unreadable bodies throw, so the exception handler answers them with a typed problem instead of a bare 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var problem = ctx.ProblemDetails;
            if (problem.Type is null || !problem.Type.StartsWith(Problems.TypeBase, StringComparison.Ordinal))
            {
                problem.Type = Problems.Type(problem.Status switch
                {
                    400 => "malformed-request",
                    401 => "unauthorized",
                    403 => "forbidden",
                    404 => "not-found",
                    405 => "method-not-allowed",
                    413 => "payload-too-large",
                    415 => "unsupported-media-type",
                    429 => "too-many-requests",
                    503 => "unavailable",
                    _ => "internal",
                });
            }
            problem.Extensions.Remove("traceId");
            problem.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier;
        });
        builder.Services.AddOpenApi(o => o.AddStockSchemas());
        builder.Services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        return builder;
    }

    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        health.MapGet("/live", () => TypedResults.Ok(new { status = "live" }));
        health.MapGet("/ready", async (IGrainFactory grains, CancellationToken ct) =>
        {
            try
            {
                await grains.Ref<IClusterHealthGrain>(0).Check().WaitAsync(TimeSpan.FromSeconds(5), ct);
                return Results.Ok(new { status = "ready" });
            }
            catch (Exception error) when (error is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                return Problems.Edge(503, "unavailable", "Not ready.", $"Cluster or database unreachable: {error.GetType().Name}");
            }
        });
    }
}
