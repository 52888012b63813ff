using Microsoft.Extensions.Primitives;

namespace TicketFlash.Api.Abuse;

/// <summary>
/// Headers on every response (API, static app files, errors): a Content-Security-Policy for the browser app, no MIME
/// sniffing, no framing, origin-only referrers across sites. Set when the response starts, so the exception handler's
/// reset of the headers cannot drop them.
/// </summary>
public sealed class SecurityHeaders
{
    private readonly StringValues _csp;

    public SecurityHeaders(IConfiguration config) =>
        _csp = config["SecurityHeaders:ContentSecurityPolicy"] is { Length: > 0 } replaced ? replaced : ContentSecurityPolicy(config);

    public string Csp => _csp.ToString();

    /// <summary>
    /// What the built app needs: es-module-shims in shim mode (native federation) loads every module through a blob: URL;
    /// Angular adds component styles as &lt;style&gt; elements (no nonce with static hosting, so 'unsafe-inline' for styles
    /// only); QR codes are inline SVG, the gate's photo scan reads a blob: image; SignalR's WebSocket is same-origin
    /// ('self'). With an OIDC issuer (Auth:Authority) the app fetches its discovery and token endpoints and may renew in an
    /// iframe; with Payments:Gateway=Stripe, Stripe.js loads from js.stripe.com and frames its fields and 3-D Secure.
    /// </summary>
    public static string ContentSecurityPolicy(IConfiguration config)
    {
        List<string> script = ["'self'", "blob:"], connect = ["'self'"], frame = [], img = ["'self'", "data:", "blob:"], form = ["'self'"];
        if (config["Auth:Authority"] is { Length: > 0 } authority && Uri.TryCreate(authority, UriKind.Absolute, out var issuer))
        {
            var origin = issuer.GetLeftPart(UriPartial.Authority);
            connect.Add(origin);
            frame.Add(origin);
            form.Add(origin);
        }
        if (string.Equals(config["Payments:Gateway"], "Stripe", StringComparison.OrdinalIgnoreCase))
        {
            script.Add("https://js.stripe.com");
            connect.Add("https://api.stripe.com");
            frame.AddRange(["https://js.stripe.com", "https://hooks.stripe.com"]);
            img.Add("https://*.stripe.com");
        }
        if (frame.Count == 0) frame.Add("'none'");
        return string.Join("; ",
            "default-src 'self'",
            "script-src " + string.Join(' ', script),
            "style-src 'self' 'unsafe-inline'",
            "img-src " + string.Join(' ', img),
            "font-src 'self'",
            "connect-src " + string.Join(' ', connect),
            "worker-src 'self' blob:",
            "media-src 'self' blob:",
            "frame-src " + string.Join(' ', frame),
            "form-action " + string.Join(' ', form),
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'");
    }

    public Task Invoke(HttpContext http, RequestDelegate next)
    {
        http.Response.OnStarting(static state =>
        {
            var (headers, self) = ((IHeaderDictionary, SecurityHeaders))state;
            headers.ContentSecurityPolicy = self._csp;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            // The gate scans with the camera; nothing uses the microphone or location.
            headers["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=()";
            return Task.CompletedTask;
        }, (http.Response.Headers, this));
        return next(http);
    }
}
