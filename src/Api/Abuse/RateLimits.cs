using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using TicketFlash.Api.Infrastructure;

namespace TicketFlash.Api.Abuse;

/// <summary>
/// Per-user and per-address limits on writes (ASP.NET Core rate limiting, token buckets from <see cref="RateLimitSettings"/>).
/// Runs after authentication, so the user is the validated token's <c>sub</c>; a request without a valid token counts
/// against its address only. Reads are not limited: they are answered from activated grains' memory and write nothing,
/// the costly ones (seat maps, QR images) are bounded in size, and the live seat map is pushed, not polled; a read flood
/// is a job for the CDN or proxy in front. Endpoints opt out with <c>.DisableRateLimiting()</c> or
/// <see cref="RateLimitSettings.ExemptPaths"/> (the Stripe webhook: signed, sent and retried by Stripe's servers).
/// </summary>
public static class RateLimits
{
    public static WebApplicationBuilder AddTicketFlashRateLimits(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(RateLimitSettings.Section).Get<RateLimitSettings>() ?? new RateLimitSettings();
        builder.Services.AddSingleton(settings);
        if (!settings.Enabled) return builder;
        var perUser = settings.PerUser.ToOptions(nameof(settings.PerUser));
        var perIp = settings.PerIp.ToOptions(nameof(settings.PerIp));
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => http.User.FindFirst("sub")?.Value is { Length: > 0 } sub
                    ? RateLimitPartition.GetTokenBucketLimiter(sub, _ => perUser)
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, IPAddress>(http =>
                    RateLimitPartition.GetTokenBucketLimiter(ClientPrefix(http.Connection.RemoteIpAddress), _ => perIp)));
            o.OnRejected = (ctx, _) => Reject(ctx.HttpContext, ctx.Lease, settings);
        });
        return builder;
    }

    /// <summary>Between authentication and authorization: writes only, so reads and the purchase path's GETs pay nothing.</summary>
    public static WebApplication UseTicketFlashRateLimits(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<RateLimitSettings>();
        if (!settings.Enabled) return app;
        var exempt = settings.ExemptPaths ?? RateLimitSettings.DefaultExemptPaths;
        app.UseWhen(http => IsLimited(http.Request, exempt), branch => branch.UseRateLimiter());
        return app;
    }

    internal static bool IsLimited(HttpRequest request, string[] exempt)
    {
        var method = request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)) return false;
        if (!request.Path.StartsWithSegments("/api")) return false; // hub negotiation and unknown paths: not API writes
        foreach (var prefix in exempt)
        {
            if (request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)) return false;
        }
        return true;
    }

    /// <summary>An IPv6 client owns at least a /64, so that is one caller; IPv4-mapped addresses are their IPv4 address.</summary>
    internal static IPAddress ClientPrefix(IPAddress? address)
    {
        if (address is null) return IPAddress.None;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address;
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }

    private static ValueTask Reject(HttpContext http, RateLimitLease lease, RateLimitSettings settings)
    {
        var after = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? retryAfter
            : TimeSpan.FromTicks(Math.Min(settings.PerUser.ReplenishmentPeriod.Ticks, settings.PerIp.ReplenishmentPeriod.Ticks));
        var seconds = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problem = Problems.Of(Problems.TooManyRequests, $"Too many requests; try again in {seconds} s.");
        return new ValueTask(problem.ExecuteAsync(http));
    }
}
