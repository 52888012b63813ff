using System.Diagnostics;
using System.Globalization;
using TicketFlash.Abstractions.Tickets;
using Orleans.Core.Internal;
using TicketFlash.Bench.GateScan.Common;
using TicketFlash.Grains.Tickets;

namespace TicketFlash.Bench.GateScan.Online;

public sealed record OnlineOptions(
    string? Db,
    string SqlDirectory,
    ClientKind Client,
    int Tickets,
    int Sections,
    int Concurrency,
    int Gates,
    int Rescan,
    int Warmup,
    int SetupConcurrency,
    int Runs,
    bool Warm,
    int Seed);

/// <summary>
/// Online check-in on one silo. Per run: a fresh event with <see cref="OnlineOptions.Tickets"/> sold tickets and their
/// codes (setup, not timed), then (unless --warm) its ticket grains are deactivated so each ticket is loaded from storage
/// by its scan, as at real doors where codes were fetched days before; then every code is scanned once (must all be
/// Admitted), then the first <see cref="OnlineOptions.Rescan"/> again (must all be AlreadyCheckedIn), then the gate's
/// own counts are checked. A small warm-up event is scanned before the first run and not reported.
/// </summary>
public static class OnlineBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(OnlineOptions o, TextWriter w, CancellationToken ct)
    {
        var loadStart = Machine.LoadAverage();
        w.WriteLine($"== GateScan online: {o.Tickets} tickets, {o.Concurrency} scanners at {o.Gates} gates, {(o.Warm ? "warm" : "cold")} tickets, {o.Runs} run(s) ==");
        w.WriteLine($"machine: {Machine.Describe()}; load average {loadStart}");

        await using var silo = await BenchSilo.StartAsync(o.Db, o.SqlDirectory, o.Client, w, ct);
        w.WriteLine($"silo: {silo.Description}");

        var postgres = o.Db is null ? null : await PostgresCpu.FindAsync(o.Db, ct);
        var ok = true;
        var results = new List<PassResult>();
        GateEvent? warmup = null;
        if (o.Warmup > 0)
        {
            warmup = await GateEvent.CreateAsync(silo.Grains, "GateScan warm-up", o.Warmup, Math.Min(o.Sections, 2), o.SetupConcurrency, o.Seed + 1000, ct);
            w.WriteLine(string.Create(Inv, $"warm-up event: {o.Warmup} tickets set up in {warmup.SetupSeconds:0.0} s"));
            if (!o.Warm) await DeactivateTickets(silo.SiloGrains, warmup, o.SetupConcurrency, w, ct);
        }

        for (var run = 1; run <= o.Runs; run++)
        {
            var evt = await GateEvent.CreateAsync(silo.Grains, $"GateScan run {run}", o.Tickets, o.Sections, o.SetupConcurrency, o.Seed + run, ct);
            w.WriteLine();
            w.WriteLine(string.Create(Inv, $"-- run {run}: event {evt.EventId}: {o.Tickets} tickets in {o.Sections} GA sections, " +
                $"{(o.Tickets + GateEvent.TicketsPerOrder - 1) / GateEvent.TicketsPerOrder} orders of <= {GateEvent.TicketsPerOrder}, codes issued; setup {evt.SetupSeconds:0.0} s"));
            if (!o.Warm) await DeactivateTickets(silo.SiloGrains, evt, o.SetupConcurrency, w, ct);

            if (warmup is not null)
            {
                var warm = await ScanPass.RunAsync(silo.Grains, warmup.EventId, warmup.Staff, warmup.Codes, o.Concurrency, o.Gates, postgres, ct);
                w.WriteLine(string.Create(Inv, $"warm-up: {warm.Scans} scans in {warm.Seconds:0.00} s ({warm.ScansPerSecond:0} /s, {Answers(warm)}), not reported"));
                warmup = null;
            }

            var load = Machine.LoadAverage();
            var first = await ScanPass.RunAsync(silo.Grains, evt.EventId, evt.Staff, evt.Codes, o.Concurrency, o.Gates, postgres, ct);
            var firstLoad = $"{load} -> {Machine.LoadAverage()}";
            var rescanCodes = evt.Codes.Take(Math.Min(o.Rescan, evt.Codes.Length)).ToArray();
            var second = await ScanPass.RunAsync(silo.Grains, evt.EventId, evt.Staff, rescanCodes, o.Concurrency, o.Gates, postgres, ct);
            var stats = await silo.Grains.GetGrain<ICheckInGrain>(evt.EventId).GetStats(evt.Staff);

            var firstOk = first.Count(CheckInResult.Admitted) == o.Tickets && first.Errors == 0;
            var secondOk = second.Count(CheckInResult.AlreadyCheckedIn) == rescanCodes.Length && second.Errors == 0;
            var statsOk = stats.Admitted == o.Tickets && stats.Refused == rescanCodes.Length && stats.Gates.Count == Math.Min(o.Gates, o.Concurrency);
            ok &= firstOk && secondOk && statsOk;
            results.Add(first);

            w.WriteLine(string.Create(Inv, $"first scan of every code   {first.ScansPerSecond,9:0} scans/s   ({first.Scans} in {first.Seconds:0.00} s; load {firstLoad})"));
            w.WriteLine($"  latency                  {first.Latency.Format("ms")}");
            w.WriteLine(string.Create(Inv, $"  answers                  {Answers(first)}  -> {(firstOk ? "OK" : "WRONG")} (want {o.Tickets} Admitted)"));
            w.WriteLine(string.Create(Inv, $"  process CPU              {first.CpuSeconds:0.0} s of {first.Seconds * Environment.ProcessorCount:0.0} core-seconds ({100 * first.CpuSeconds / (first.Seconds * Environment.ProcessorCount):0}%; {1e6 * first.CpuSeconds / first.Scans:0} µs per scan); all CPUs busy {100 * first.MachineBusy:0}% (any process)"));
            if (first.PostgresCpuSeconds is { } pgCpu)
                w.WriteLine(string.Create(Inv, $"  PostgreSQL CPU           {pgCpu:0.0} s ({100 * pgCpu / (first.Seconds * Environment.ProcessorCount):0}% of all CPUs; {1e6 * pgCpu / first.Scans:0} µs per scan)"));
            if (first.FirstError is not null) w.WriteLine($"  first error              {first.FirstError}");
            w.WriteLine(string.Create(Inv, $"second scan ({rescanCodes.Length,5} codes) {second.ScansPerSecond,9:0} scans/s   ({second.Seconds:0.00} s)"));
            w.WriteLine($"  latency                  {second.Latency.Format("ms")}");
            w.WriteLine(string.Create(Inv, $"  answers                  {Answers(second)}  -> {(secondOk ? "OK" : "WRONG")} (want {rescanCodes.Length} AlreadyCheckedIn)"));
            if (second.FirstError is not null) w.WriteLine($"  first error              {second.FirstError}");
            w.WriteLine($"gate stats                 admitted {stats.Admitted}, refused {stats.Refused}, {stats.Gates.Count} gates " +
                $"({string.Join(" ", stats.Gates.Select(g => $"{g.Gate}:{g.Admitted}"))}) -> {(statsOk ? "OK" : "WRONG")}");
        }

        w.WriteLine();
        var rates = results.Select(r => r.ScansPerSecond).Order().ToList();
        var median = rates[rates.Count / 2];
        w.WriteLine(string.Create(Inv, $"online check-ins/s: {(rates.Count > 1 ? $"median {median:0} of {string.Join(", ", results.Select(r => r.ScansPerSecond.ToString("0", Inv)))}" : $"{median:0}")}" +
            $"; p99 {string.Join(", ", results.Select(r => r.Latency.P99.ToString("0.0", Inv)))} ms; target 5,000/s -> {median / 5000:0.00}x"));
        w.WriteLine($"verdict: {(ok ? "CORRECT (every code admitted once, every rescan AlreadyCheckedIn, gate counts agree)" : "INCORRECT")}");
        w.WriteLine($"load average: start {loadStart}, end {Machine.LoadAverage()}");
        return ok ? 0 : 1;
    }

    /// <summary>
    /// Deactivates the event's ticket grains (activated by setup: issuing a code reads the ticket) and waits until they
    /// are gone, so each measured scan loads its ticket from storage, as at real doors where codes were fetched days
    /// before. The event's key, event and order grains stay as setup left them (the first scans would load them anyway).
    /// </summary>
    private static async Task DeactivateTickets(IGrainFactory grains, GateEvent evt, int concurrency, TextWriter w, CancellationToken ct)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var before = await TicketActivations(management);
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(evt.TicketIds, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (id, _) =>
            await grains.GetGrain<ITicketGrain>(id).AsReference<IGrainManagementExtension>().DeactivateOnIdle());
        // Tickets of earlier runs stay active (their scans activated them): wait for this event's share to be gone.
        var target = before - evt.TicketIds.Length;
        int after;
        while ((after = await TicketActivations(management)) > target && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(120))
            await Task.Delay(100, ct);
        w.WriteLine(string.Create(Inv, $"cold tickets: ticket activations {before} -> {after} in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s"));
    }

    private static async Task<int> TicketActivations(IManagementGrain management) =>
        (await management.GetSimpleGrainStatistics()).Where(s => s.GrainType.StartsWith(typeof(TicketGrain).FullName + ",", StringComparison.Ordinal)).Sum(s => s.ActivationCount);

    private static string Answers(PassResult r) => string.Join(", ", r.Answers.OrderByDescending(a => a.Value).Select(a => $"{a.Value} {a.Key}"));
}
