using System.Text.RegularExpressions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace TicketFlash.Api.Infrastructure;

/// <summary>
/// Serves the built browser app (src/Web, assembled into one folder: the shell at the root, the shop remote under
/// <c>/shop/</c>) from <c>Web:Root</c>. Static files are anonymous; client routes (<c>/events/…</c>, <c>/gate</c>) fall
/// back to <c>index.html</c>; the API's own prefixes never do, so an unknown <c>/api/*</c> route stays a 404 problem.
/// </summary>
public static partial class WebAppHosting
{
    public const string RootKey = "Web:Root";

    /// <summary>Paths that belong to the server: never answered with the app's index page.</summary>
    private static readonly string[] ServerPrefixes = ["api", "hubs", "health", "openapi"];

    public static WebApplication UseTicketFlashWebApp(this WebApplication app)
    {
        var root = app.Configuration[RootKey];
        if (string.IsNullOrEmpty(root) || !File.Exists(Path.Combine(root, "index.html")))
        {
            if (!string.IsNullOrEmpty(root))
                app.Logger.LogWarning("Web:Root {Root} has no index.html; the browser app is not served (build src/Web)", root);
            return app;
        }
        var files = new PhysicalFileProvider(Path.GetFullPath(root));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, OnPrepareResponse = ctx => SetCaching(ctx.Context, ctx.File.Name) });
        app.Logger.LogInformation("Serving the browser app from {Root}", files.Root);
        return app;
    }

    /// <summary>
    /// The client-route fallback for paths without a file extension (files are the static-file middleware's, which only
    /// serves requests no endpoint matched). Literal API routes take precedence over this catch-all.
    /// </summary>
    public static void MapWebAppFallback(this WebApplication app)
    {
        var root = app.Configuration[RootKey];
        if (string.IsNullOrEmpty(root)) return;
        var index = Path.GetFullPath(Path.Combine(root, "index.html"));
        app.MapMethods("/{**path:nonfile}", [HttpMethods.Get, HttpMethods.Head], (HttpContext http, string? path) =>
            {
                if (IsServerPath(path) || !File.Exists(index)) return Problems.ForStatus(404);
                http.Response.Headers.CacheControl = "no-cache";
                return Results.File(index, "text/html; charset=utf-8");
            })
            .AllowAnonymous().ExcludeFromDescription().WithOrder(int.MaxValue);
    }

    private static bool IsServerPath(string? path)
    {
        var first = path is null ? "" : path.Split('/', 2)[0];
        return ServerPrefixes.Any(p => string.Equals(p, first, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Content-hashed bundles never change under their name; everything else (index, manifests) is revalidated.</summary>
    private static void SetCaching(HttpContext http, string fileName) =>
        http.Response.Headers[HeaderNames.CacheControl] = HashedName().IsMatch(fileName) ? "public, max-age=31536000, immutable" : "no-cache";

    [GeneratedRegex(@"[-.][A-Za-z0-9_-]{8,}\.(js|css|mjs)$")]
    private static partial Regex HashedName();
}
