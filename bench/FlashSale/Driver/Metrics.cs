using System.Collections.Concurrent;

namespace TicketFlash.Bench.FlashSale.Driver;

/// <summary>Latency percentiles in milliseconds (nearest rank).</summary>
public sealed record Percentiles(int Count, double P50, double P95, double P99, double Max)
{
    public static readonly Percentiles Empty = new(0, 0, 0, 0, 0);

    public static Percentiles From(IEnumerable<List<long>> microsPerWorker)
    {
        var all = microsPerWorker.SelectMany(x => x).ToArray();
        if (all.Length == 0) return Empty;
        Array.Sort(all);
        double At(double p) => all[Math.Clamp((int)Math.Ceiling(p * all.Length) - 1, 0, all.Length - 1)] / 1000.0;
        return new Percentiles(all.Length, At(0.50), At(0.95), At(0.99), all[^1] / 1000.0);
    }

    public string Format() => Count == 0 ? "n/a" : $"p50 {P50:0.0} ms  p95 {P95:0.0} ms  p99 {P99:0.0} ms  (max {Max:0.0} ms, n={Count})";
}

/// <summary>Shared counters of one run. Latencies are kept per worker (no contention) and merged at the end.</summary>
public sealed class Recorder
{
    private readonly ConcurrentDictionary<string, long> _outcomes = new(StringComparer.Ordinal);
    private long _requests;
    private long _purchases;
    private long _tickets;

    public long Requests => Interlocked.Read(ref _requests);
    public long Purchases => Interlocked.Read(ref _purchases);
    public long Tickets => Interlocked.Read(ref _tickets);
    public IReadOnlyDictionary<string, long> Outcomes => _outcomes;

    /// <summary>Counts one answer under "hold 201", "pay 409 hold-expired", "hold transport timeout", ….</summary>
    public void Count(string step, ApiResponse r)
    {
        Interlocked.Increment(ref _requests);
        _outcomes.AddOrUpdate($"{step} {r.Label}", 1, (_, n) => n + 1);
    }

    public void Note(string what) => _outcomes.AddOrUpdate(what, 1, (_, n) => n + 1);

    public void Confirmed(int tickets)
    {
        Interlocked.Increment(ref _purchases);
        Interlocked.Add(ref _tickets, tickets);
    }
}
