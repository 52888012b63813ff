using System.Diagnostics;
using System.Text.Json;

namespace TicketFlash.Bench.FlashSale.Driver;

/// <summary>
/// A whole flash sale against TicketFlash or the row-lock reference: set up through the API, release
/// all buyers at once, run until every buyer is done (sold out, or its own limit used up) or the
/// timeout, then verify against the server's availability.
/// </summary>
public static class SaleRun
{
    public static async Task<RunResult> RunAsync(RunOptions o, TextWriter log, CancellationToken ct)
    {
        using var http = BenchHttp.CreateClient(o.Buyers + 8, o.RequestTimeout);
        var runId = DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);

        log.WriteLine($"[{o.Kind.ToString().ToLowerInvariant()}] setting up: {o.Seats} seats in {o.Sections} sections, {o.Buyers} buyers, limit {o.PerCustomerLimit} at {o.Target}");
        if ((long)o.Buyers * o.PerCustomerLimit < o.Seats)
            log.WriteLine($"[{o.Kind.ToString().ToLowerInvariant()}] warning: buyers x limit = {(long)o.Buyers * o.PerCustomerLimit} < seats: the event cannot sell out");
        var sale = await WithinAsync(o.Timeout, "setup (venue, event, open-sale, fan tokens)", t => SaleSetup.CreateAsync(http, o, runId, t), ct);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.Timeout);

        var rec = new Recorder();
        var transports = Enumerable.Range(0, o.Buyers).Select(_ => o.Transport(http)).ToArray();
        await WithinAsync(o.Timeout, "opening the buyers' connections", t => OpenAsync(transports, o, t), ct);
        var buyers = Enumerable.Range(0, o.Buyers).Select(i => new Buyer(i, sale, o, transports[i], rec)).ToArray();
        log.WriteLine($"[{o.Kind.ToString().ToLowerInvariant()}] event {sale.EventId}: sale started");
        var loadBefore = MachineInfo.LoadAverage();
        var start = Stopwatch.GetTimestamp();
        using (var progress = Progress(rec, log, o, timeout.Token))
        {
            await Task.WhenAll(buyers.Select(b => Task.Run(() => b.RunAsync(timeout.Token), CancellationToken.None)));
        }
        var elapsed = Stopwatch.GetElapsedTime(start);
        var timedOut = timeout.IsCancellationRequested && !ct.IsCancellationRequested;
        foreach (var t in transports) t.Dispose();

        var seats = buyers.SelectMany(b => b.Seats).ToList();
        var duplicates = seats.Count - seats.Distinct(StringComparer.Ordinal).Count();
        var availability = await CheckAvailabilityAsync(http, o, sale, rec.Tickets, ct);
        return new RunResult
        {
            Kind = o.Kind,
            Target = o.Target,
            Buyers = o.Buyers,
            Seats = o.Seats,
            Elapsed = elapsed,
            Requests = rec.Requests,
            Purchases = rec.Purchases,
            Tickets = rec.Tickets,
            Hold = Percentiles.From(buyers.Select(b => b.HoldMicros)),
            Pay = Percentiles.From(buyers.Select(b => b.PayMicros)),
            Outcomes = rec.Outcomes.ToDictionary(),
            Finishes = buyers.GroupBy(b => b.Finish).ToDictionary(g => g.Key, g => g.Count()),
            TimedOut = timedOut,
            Load = $"{loadBefore} -> {MachineInfo.LoadAverage()}",
            DuplicateSeats = duplicates,
            Availability = availability,
        };
    }

    /// <summary>Runs an untimed preparation step with its own deadline; exceeding it is an error, not a hang.</summary>
    public static async Task<T> WithinAsync<T>(TimeSpan limit, string what, Func<CancellationToken, Task<T>> step, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(limit);
        try
        {
            return await step(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new InvalidOperationException($"{what} did not finish within {limit.TotalSeconds:0} s (--timeout)");
        }
    }

    /// <summary>Opens every buyer's connection before the clock starts (a real on-sale has its fans already connected).</summary>
    public static async Task<bool> OpenAsync(IBuyerTransport[] transports, RunOptions o, CancellationToken ct)
    {
        var url = BenchHttp.Url(o.Target, "health/live");
        await Parallel.ForEachAsync(transports, new ParallelOptions { MaxDegreeOfParallelism = transports.Length, CancellationToken = ct },
            async (t, c) =>
            {
                var r = await t.SendAsync(HttpMethod.Get, url, null, null, null, c);
                if (r.TransportError is not null) throw new IOException($"opening a connection to {o.Target} failed: {r.Label}");
            });
        return true;
    }

    private static IDisposable Progress(Recorder rec, TextWriter log, RunOptions o, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        return new Timer(_ =>
        {
            if (ct.IsCancellationRequested) return;
            var s = Stopwatch.GetElapsedTime(start).TotalSeconds;
            log.WriteLine($"[{o.Kind.ToString().ToLowerInvariant()}] {s,6:0.0}s  confirmed {rec.Purchases,7} purchases / {rec.Tickets,7} tickets  ({rec.Purchases / s:0} purchases/s)  requests {rec.Requests}");
        }, null, o.Progress, o.Progress);
    }

    private static async Task<AvailabilityCheck> CheckAvailabilityAsync(HttpClient http, RunOptions o, SaleContext sale, long ticketsSeen, CancellationToken ct)
    {
        var url = BenchHttp.Url(o.Target, $"api/events/{Uri.EscapeDataString(sale.EventId)}/availability");
        var r = await BenchHttp.SendAsync(http, HttpMethod.Get, url, sale.OrganizerToken, null, null, ct);
        if (!r.IsSuccess || r.Property("sections") is not { ValueKind: JsonValueKind.Array } sections)
            return new AvailabilityCheck(false, $"GET availability failed: {r.Label}", 0, 0, 0, 0);
        int cap = 0, avail = 0, held = 0, sold = 0;
        var problems = new List<string>();
        foreach (var s in sections.EnumerateArray())
        {
            int Get(string p) => s.TryGetProperty(p, out var v) && v.TryGetInt32(out var n) ? n : 0;
            var (c, a, h, so) = (Get("capacity"), Get("available"), Get("held"), Get("sold"));
            var id = s.TryGetProperty("sectionId", out var idv) ? idv.ToString() : "?";
            if (so > c) problems.Add($"section {id} sold {so} > capacity {c}");
            if (a < 0 || h < 0) problems.Add($"section {id} has negative counts");
            if (a + h + so != c) problems.Add($"section {id}: available+held+sold = {a + h + so} != capacity {c}");
            (cap, avail, held, sold) = (cap + c, avail + a, held + h, sold + so);
        }
        if (sold != ticketsSeen) problems.Add($"server sold {sold} != confirmed tickets seen by clients {ticketsSeen}");
        if (cap != o.Seats) problems.Add($"capacity {cap} != seats {o.Seats}");
        var summary = $"capacity {cap}, sold {sold}, held {held}, available {avail}; " +
            (problems.Count == 0 ? "sold == confirmed tickets seen by clients, no section above capacity" : string.Join("; ", problems));
        return new AvailabilityCheck(problems.Count == 0, summary, cap, avail, held, sold);
    }
}
