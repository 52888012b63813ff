using System.Diagnostics;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Bench.GateScan.Common;

namespace TicketFlash.Bench.GateScan.Online;

/// <summary>The outcome of scanning a list of codes once.</summary>
public sealed record PassResult(int Scans, double Seconds, Latency Latency, IReadOnlyDictionary<string, int> Answers, string? FirstError, double CpuSeconds, double MachineBusy, double? PostgresCpuSeconds)
{
    public double ScansPerSecond => Seconds > 0 ? Scans / Seconds : 0;

    public int Count(CheckInResult result) => Answers.GetValueOrDefault(result.ToString());

    public int Errors => Answers.Where(a => !Enum.TryParse<CheckInResult>(a.Key, out _)).Sum(a => a.Value);
}

/// <summary>
/// <c>concurrency</c> scanners, spread round-robin over <c>gates</c> gates (each scanner is one device at one gate), take
/// the next code from a shared list and call <see cref="ICheckInGrain.Scan"/> until the list is empty. The clock runs
/// from releasing all scanners at once to the last answer; every call's latency is kept (per scanner, merged after).
/// </summary>
public static class ScanPass
{
    public static async Task<PassResult> RunAsync(IGrainFactory grains, Guid eventId, Actor staff, IReadOnlyList<string> codes, int concurrency, int gates, PostgresCpu? postgres, CancellationToken ct)
    {
        var gate = grains.GetGrain<ICheckInGrain>(eventId);
        var next = -1;
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var latencies = new List<long>[concurrency];
        var answers = new Dictionary<string, int>[concurrency];
        string? firstError = null;

        async Task Scanner(int s)
        {
            var mine = latencies[s] = new List<long>(codes.Count / concurrency + 16);
            var counts = answers[s] = [];
            var gateName = $"gate-{s % gates + 1}";
            var device = $"scanner-{s + 1}";
            await go.Task;
            int i;
            while ((i = Interlocked.Increment(ref next)) < codes.Count && !ct.IsCancellationRequested)
            {
                var t0 = Stopwatch.GetTimestamp();
                string answer;
                try
                {
                    answer = (await gate.Scan(staff, codes[i], gateName, device, null)).Result.ToString();
                    mine.Add(Stopwatch.GetTimestamp() - t0);
                }
                catch (Exception e)
                {
                    answer = $"error {e.GetType().Name}";
                    Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message}", null);
                }
                counts[answer] = counts.GetValueOrDefault(answer) + 1;
            }
        }

        var scanners = Enumerable.Range(0, concurrency).Select(s => Task.Run(() => Scanner(s), ct)).ToArray();
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var machine0 = Machine.CpuTimes();
        var pg0 = postgres?.Seconds();
        var start = Stopwatch.GetTimestamp();
        go.SetResult();
        await Task.WhenAll(scanners);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        var busy = Machine.BusyShare(machine0, Machine.CpuTimes());
        var pg = postgres?.Seconds() - pg0;
        ct.ThrowIfCancellationRequested();

        var merged = answers.SelectMany(a => a).GroupBy(a => a.Key).ToDictionary(g => g.Key, g => g.Sum(a => a.Value), StringComparer.Ordinal);
        var ticks = latencies.SelectMany(l => l).ToArray();
        return new PassResult(codes.Count, seconds, Latency.FromTicks(ticks, 1e-3), merged, firstError, cpu, busy, pg);
    }
}
