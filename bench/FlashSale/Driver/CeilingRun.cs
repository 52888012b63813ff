using System.Diagnostics;

namespace TicketFlash.Bench.FlashSale.Driver;

/// <summary>
/// Reference (a) measurement: the same number of buyers (connections) fire the same number of POSTs a
/// sale of this size costs (or --requests), each with a JSON order body, bearer token and
/// Idempotency-Key, at the bare Kestrel server. Reports requests/s and latency.
/// </summary>
public static class CeilingRun
{
    public static async Task<RunResult> RunAsync(RunOptions o, TextWriter log, CancellationToken ct)
    {
        using var http = BenchHttp.CreateClient(o.Buyers + 8, o.RequestTimeout);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var total = o.Requests ?? o.EstimatedRequests;
        log.WriteLine($"[{o.Kind.ToString().ToLowerInvariant()}] firing {total} POSTs from {o.Buyers} concurrent clients at {o.Target}");

        var url = BenchHttp.Url(o.Target, "api/orders");
        var body = DriverJson.Bytes(new OrderBody(Guid.NewGuid().ToString(), 2, "A"), DriverJson.Default.OrderBody);
        var transports = Enumerable.Range(0, o.Buyers).Select(_ => o.Transport(http)).ToArray();
        await SaleRun.WithinAsync(o.Timeout, "opening the connections", t => SaleRun.OpenAsync(transports, o, t), ct);
        timeout.CancelAfter(o.Timeout);

        var rec = new Recorder();
        var remaining = (long)total;
        var latencies = Enumerable.Range(0, o.Buyers).Select(_ => new List<long>(total / o.Buyers + 1)).ToArray();
        var loadBefore = MachineInfo.LoadAverage();
        var start = Stopwatch.GetTimestamp();
        var timedOut = false;
        try
        {
            await Task.WhenAll(latencies.Select((lat, i) => Task.Run(async () =>
            {
                var token = $"fan-{i}";
                while (Interlocked.Decrement(ref remaining) >= 0)
                {
                    var r = await transports[i].SendAsync(HttpMethod.Post, url, token, Guid.NewGuid().ToString(), body, timeout.Token);
                    rec.Count("post", r);
                    if (r.IsSuccess) lat.Add(r.Micros);
                }
            }, CancellationToken.None)));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            timedOut = true;
        }
        var elapsed = Stopwatch.GetElapsedTime(start);
        foreach (var t in transports) t.Dispose();
        return new RunResult
        {
            Kind = o.Kind,
            Target = o.Target,
            Buyers = o.Buyers,
            Seats = o.Seats,
            Elapsed = elapsed,
            Requests = rec.Requests,
            Hold = Percentiles.From(latencies),
            Outcomes = rec.Outcomes.ToDictionary(),
            TimedOut = timedOut,
            Load = $"{loadBefore} -> {MachineInfo.LoadAverage()}",
        };
    }
}
