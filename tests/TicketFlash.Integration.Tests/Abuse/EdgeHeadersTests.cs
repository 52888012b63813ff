using System.Net;
using Microsoft.Extensions.Configuration;
using TicketFlash.Api.Abuse;

namespace TicketFlash.Integration.Tests.Abuse;

/// <summary>
/// Security headers on every response (API answers, errors, the app's files and client routes), HSTS and HTTPS
/// redirection in Production only, CORS for the configured origin only, and the CSP's origins from configuration.
/// </summary>
[Collection(AbuseCollection.Name)]
public sealed class EdgeHeadersTests(AbuseCluster abuse)
{
    private const string ProxiedHost = "tickets.example"; // HSTS is never sent for localhost or 127.0.0.1

    public static TheoryData<string> Paths => new()
    {
        "/api/events", // 200 JSON
        "/api/me/orders", // 401 problem
        "/api/nothing-here", // 404 problem
        "/", // the app's index
        "/main-WBRJP3QC.js", // a static file
        "/events/7e1c0000-0000-4000-8000-00000000e001", // a client route
    };

    private static void AssertSecurityHeaders(HttpResponseMessage response, string where)
    {
        var csp = Header(response, "Content-Security-Policy");
        Assert.True(csp is not null, $"{where}: no Content-Security-Policy");
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Every_response_carries_the_security_headers_and_Development_sends_no_HSTS(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = ProxiedHost;
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        using var response = await abuse.Dev.Http.SendAsync(request);
        Assert.True((int)response.StatusCode is 200 or 401 or 404, $"{path}: {(int)response.StatusCode}");
        AssertSecurityHeaders(response, $"Development {path}");
        Assert.Null(Header(response, "Strict-Transport-Security"));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Production_over_https_sends_HSTS_and_the_security_headers(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = ProxiedHost;
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https"); // TLS ended at a proxy on loopback
        using var response = await abuse.Production.SendAsync(request);
        Assert.True((int)response.StatusCode is 200 or 401 or 404, $"{path}: {(int)response.StatusCode}");
        AssertSecurityHeaders(response, $"Production {path}");
        Assert.Equal("max-age=31536000", Header(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task Production_redirects_plain_http_to_https_except_health_probes()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.Host = ProxiedHost;
        using var response = await abuse.Production.SendAsync(request);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal($"https://{ProxiedHost}:8443/api/events", response.Headers.Location?.ToString());
        Assert.Null(Header(response, "Strict-Transport-Security")); // never over plain HTTP

        using var probe = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        probe.Headers.Host = ProxiedHost;
        using var probed = await abuse.Production.SendAsync(probe);
        Assert.Equal(HttpStatusCode.OK, probed.StatusCode);

        // Development never redirects.
        using var dev = await abuse.Dev.Http.GetAsync("/api/events");
        Assert.Equal(HttpStatusCode.OK, dev.StatusCode);
    }

    [Theory]
    [InlineData(AbuseCluster.AllowedOrigin, true)]
    [InlineData("https://evil.example", false)]
    [InlineData("http://shop.example", false)] // another scheme is another origin
    public async Task CORS_answers_only_the_configured_origin(string origin, bool allowed)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/orders");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,idempotency-key");
        using var answer = await abuse.Dev.Http.SendAsync(preflight);
        Assert.Equal(allowed ? origin : null, Header(answer, "Access-Control-Allow-Origin"));
        if (allowed)
        {
            Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
            Assert.Contains("POST", Header(answer, "Access-Control-Allow-Methods"));
            Assert.Contains("idempotency-key", Header(answer, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        }

        using var simple = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        simple.Headers.Add("Origin", origin);
        using var read = await abuse.Dev.Http.SendAsync(simple);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(allowed ? origin : null, Header(read, "Access-Control-Allow-Origin"));
        if (allowed) Assert.Contains("Retry-After", Header(read, "Access-Control-Expose-Headers"));
    }

    [Fact]
    public async Task Without_configured_origins_there_is_no_CORS_at_all()
    {
        using var simple = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        simple.Headers.Add("Origin", AbuseCluster.AllowedOrigin);
        simple.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        using var read = await abuse.Production.SendAsync(simple);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Null(Header(read, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public void The_policy_admits_the_configured_OIDC_issuer_and_Stripe_and_nothing_else()
    {
        var plain = SecurityHeaders.ContentSecurityPolicy(new ConfigurationBuilder().Build());
        Assert.Contains("script-src 'self' blob:;", plain); // es-module-shims (native federation) loads modules from blob: URLs
        Assert.Contains("connect-src 'self';", plain);
        Assert.Contains("frame-src 'none'", plain);
        Assert.DoesNotContain("stripe", plain);
        Assert.DoesNotContain("'unsafe-eval'", plain);
        Assert.DoesNotContain("script-src 'self' blob: 'unsafe-inline'", plain);

        var full = SecurityHeaders.ContentSecurityPolicy(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Authority"] = "https://id.example:8443/realms/ticketflash",
            ["Payments:Gateway"] = "Stripe",
        }).Build());
        var directives = full.Split("; ").ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToList());
        Assert.Equal(["'self'", "https://id.example:8443", "https://api.stripe.com"], directives["connect-src"]);
        Assert.Equal(["'self'", "https://id.example:8443"], directives["form-action"]);
        Assert.Equal(["'self'", "blob:", "https://js.stripe.com"], directives["script-src"]);
        Assert.Equal(["https://id.example:8443", "https://js.stripe.com", "https://hooks.stripe.com"], directives["frame-src"]);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
    }
}
