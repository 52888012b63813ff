using System.Diagnostics;

namespace TicketFlash.Bench.GateScan.Common;

/// <summary>Latency percentiles (nearest rank) of Stopwatch tick samples, reported in a chosen unit.</summary>
public sealed record Latency(int Count, double Mean, double P50, double P95, double P99, double Max)
{
    public static readonly Latency Empty = new(0, 0, 0, 0, 0, 0);

    /// <summary>Summarizes <paramref name="ticks"/> (sorted in place) in units of <paramref name="unitSeconds"/> (1e-3 for ms, 1e-6 for µs).</summary>
    public static Latency FromTicks(long[] ticks, double unitSeconds)
    {
        if (ticks.Length == 0) return Empty;
        Array.Sort(ticks);
        var scale = 1.0 / (Stopwatch.Frequency * unitSeconds);
        double At(double p) => ticks[Math.Clamp((int)Math.Ceiling(p * ticks.Length) - 1, 0, ticks.Length - 1)] * scale;
        var mean = ticks.Average(t => (double)t) * scale;
        return new Latency(ticks.Length, mean, At(0.50), At(0.95), At(0.99), ticks[^1] * scale);
    }

    public string Format(string unit, string number = "0.00") =>
        Count == 0
            ? "n/a"
            : $"mean {Mean.ToString(number, Inv)} {unit}  p50 {P50.ToString(number, Inv)}  p95 {P95.ToString(number, Inv)}  " +
              $"p99 {P99.ToString(number, Inv)}  max {Max.ToString(number, Inv)} {unit}  (n={Count})";

    private static System.Globalization.CultureInfo Inv => System.Globalization.CultureInfo.InvariantCulture;
}
