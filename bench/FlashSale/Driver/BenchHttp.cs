using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace TicketFlash.Bench.FlashSale.Driver;

/// <summary>One HTTP answer as the driver sees it: status, parsed JSON body (if any), the last segment
/// of a ProblemDetails <c>type</c>, latency, or the transport error that replaced the answer.</summary>
public sealed record ApiResponse(int Status, JsonElement? Body, string? ProblemType, long Micros, string? TransportError)
{
    public bool IsSuccess => Status is >= 200 and < 300;
    public bool IsRetryable => TransportError is not null || Status is 429 or 502 or 503 or 504 || Status >= 500;

    /// <summary>"201", "409 sold-out", "transport HttpRequestException", … — the key errors are counted by.</summary>
    public string Label => TransportError is not null ? "transport " + TransportError
        : ProblemType is null ? Status.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : $"{Status} {ProblemType}";

    public string? String(string property) =>
        Body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty(property, out var v)
            ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number => v.GetRawText(), _ => null }
            : null;

    public JsonElement? Property(string property) =>
        Body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty(property, out var v) ? v : null;
}

public static class BenchHttp
{
    /// <summary>One pooled client for all buyers: connections sized to the number of buyers, HTTP/1.1,
    /// no cookies, no decompression, no proxy.</summary>
    public static HttpClient CreateClient(int maxConnections, TimeSpan requestTimeout)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, maxConnections),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(15),
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        return new HttpClient(handler, disposeHandler: true)
        {
            Timeout = requestTimeout,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    public static async Task<ApiResponse> SendAsync(
        HttpClient client, HttpMethod method, Uri url, string? bearer, string? idempotencyKey, byte[]? json, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(method, url);
        if (bearer is not null) req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (idempotencyKey is not null) req.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        if (json is not null)
        {
            req.Content = new ByteArrayContent(json);
            req.Content.Headers.ContentType = JsonType;
        }
        else if (method == HttpMethod.Post)
        {
            req.Content = new ByteArrayContent([]); // explicit Content-Length: 0
        }
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var resp = await client.SendAsync(req, HttpCompletionOption.ResponseContentRead, ct);
            var bytes = await resp.Content.ReadAsByteArrayAsync(ct);
            var micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            JsonElement? body = null;
            if (bytes.Length > 0)
            {
                try
                {
                    using var doc = JsonDocument.Parse(bytes);
                    body = doc.RootElement.Clone();
                }
                catch (JsonException) { }
            }
            return new ApiResponse((int)resp.StatusCode, body, ProblemType(body), micros, null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            var micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            var name = e is TaskCanceledException ? "timeout" : e.GetType().Name;
            return new ApiResponse(0, null, null, micros, name);
        }
    }

    /// <summary>"https://…/problems/sold-out" → "sold-out" (also handles "urn:…:sold-out" and "#sold-out").</summary>
    public static string? ProblemType(JsonElement? body)
    {
        if (body is not { ValueKind: JsonValueKind.Object } b || !b.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String)
            return null;
        var s = t.GetString() ?? "";
        var cut = s.LastIndexOfAny(['/', ':', '#']);
        return cut >= 0 ? s[(cut + 1)..] : s;
    }

    public static Uri Url(Uri baseUrl, string path) => new(baseUrl, path);
}
