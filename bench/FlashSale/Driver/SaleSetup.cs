namespace TicketFlash.Bench.FlashSale.Driver;

/// <summary>The event a run sells, and who buys it.</summary>
public sealed record SaleContext(string EventId, IReadOnlyList<string> SectionIds, IReadOnlyList<int> Capacities, string OrganizerToken, string[] FanTokens);

/// <summary>
/// Creates the sale through the public API only (same calls for TicketFlash and the row-lock reference):
/// organizer token → venue (sections A, B, …; capacity seats/sections; GA, or rows with --seats-per-row) → event (one Standard tier, limit,
/// 10-minute holds) → open-sale → one fan token per buyer. Not timed.
/// </summary>
public static class SaleSetup
{
    public static async Task<SaleContext> CreateAsync(HttpClient http, RunOptions o, string runId, CancellationToken ct)
    {
        var organizer = await TokenAsync(http, o.Target, new TokenBody("bench-organizer", ["organizer"], "bench"), ct);

        var ids = Enumerable.Range(0, o.Sections).Select(i => ((char)('A' + i)).ToString()).ToList();
        var caps = ids.Select((_, i) => o.Seats / o.Sections + (i < o.Seats % o.Sections ? 1 : 0)).ToList();
        var venue = new VenueBody($"FlashSale arena {runId}", ids.Select((id, i) => o.SeatsPerRow > 0
            ? new SectionBody(id, id, null, caps[i] / o.SeatsPerRow, o.SeatsPerRow)
            : new SectionBody(id, id, caps[i])).ToList());
        var venueId = await CreateAsync(http, o.Target, "api/venues", organizer, DriverJson.Bytes(venue, DriverJson.Default.VenueBody), ct);

        var startsAt = DateTimeOffset.UtcNow.Date.AddDays(30).AddHours(20);
        var ev = new EventBody($"FlashSale {runId}", venueId, startsAt, startsAt.AddHours(4),
            [new TierBody("std", "Standard", 50m, "EUR", ids)], o.PerCustomerLimit, 10);
        var eventId = await CreateAsync(http, o.Target, "api/events", organizer, DriverJson.Bytes(ev, DriverJson.Default.EventBody), ct);

        var open = await BenchHttp.SendAsync(http, HttpMethod.Post, BenchHttp.Url(o.Target, $"api/events/{eventId}/open-sale"), organizer, null, null, ct);
        if (!open.IsSuccess) throw Fail("POST /api/events/{id}/open-sale", open);

        // Fresh fans every sale (as on a real on-sale day): reusing names across runs would make each benchmark run
        // carry the customer history of every earlier run on the same database.
        var fans = new string[o.Buyers];
        await Parallel.ForAsync(0, o.Buyers, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct }, async (i, c) =>
            fans[i] = await TokenAsync(http, o.Target, new TokenBody($"fan-{runId}-{i}", ["fan"], null), c));
        return new SaleContext(eventId, ids, caps, organizer, fans);
    }

    private static async Task<string> TokenAsync(HttpClient http, Uri target, TokenBody body, CancellationToken ct)
    {
        var r = await SendWithRetryAsync(http, BenchHttp.Url(target, "api/dev/token"), null, DriverJson.Bytes(body, DriverJson.Default.TokenBody), ct);
        return r.IsSuccess && r.String("accessToken") is { Length: > 0 } token ? token : throw Fail("POST /api/dev/token", r);
    }

    private static async Task<string> CreateAsync(HttpClient http, Uri target, string path, string bearer, byte[] body, CancellationToken ct)
    {
        var r = await SendWithRetryAsync(http, BenchHttp.Url(target, path), bearer, body, ct);
        return r.IsSuccess && r.String("id") is { Length: > 0 } id ? id : throw Fail("POST /" + path, r);
    }

    /// <summary>Setup calls retry transport errors and 5xx a few times (a just-started stack may still warm up).</summary>
    private static async Task<ApiResponse> SendWithRetryAsync(HttpClient http, Uri url, string? bearer, byte[] body, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var r = await BenchHttp.SendAsync(http, HttpMethod.Post, url, bearer, null, body, ct);
            if (!r.IsRetryable || attempt == 5) return r;
            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
        }
    }

    private static InvalidOperationException Fail(string what, ApiResponse r) =>
        new($"setup failed: {what} answered {r.Label}: {r.Body?.GetRawText() ?? "(no body)"}");
}
