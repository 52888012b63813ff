using System.Globalization;
using TicketFlash.Bench.Cli;
using TicketFlash.Bench.FlashSale.Driver;

namespace TicketFlash.Bench.FlashSale.Compare;

/// <summary>
/// compare: TicketFlash (already running at --ticketflash), then the row-lock reference, then the
/// ceiling, one after another on this machine, each preceded by a small warm-up sale; the two
/// references run as child processes that are always stopped (by PID) before this returns.
/// </summary>
public static class CompareCommand
{
    public static async Task<int> RunAsync(CliArgs a, CancellationToken ct)
    {
        var tfUrl = a.String("ticketflash");
        var skipRowLock = a.Flag("skip-rowlock");
        var db = a.String("db") ?? Environment.GetEnvironmentVariable("TF_BENCH_DB");
        var pool = a.Int("rowlock-pool", RowLockDefaults.PoolSize);
        var holdPool = a.Int("rowlock-hold-pool", RowLockDefaults.HoldPoolSize);
        var warmup = !a.Flag("no-warmup");
        var shared = RunOptions.FromArgs(a, new Uri("http://127.0.0.1/"), TargetKind.TicketFlash);
        a.EnsureAllUsed();
        if (!skipRowLock && string.IsNullOrWhiteSpace(db))
            throw new CliException("the row-lock reference needs a PostgreSQL connection string: --db \"Host=…\" or TF_BENCH_DB (or --skip-rowlock)");
        var log = Console.Out;

        RunResult? tf = null, rl = null, ce = null;
        if (tfUrl is not null)
        {
            tf = await MeasureSaleAsync(shared with { Target = RunOptions.NormalizeUrl(tfUrl), Kind = TargetKind.TicketFlash }, warmup, log, ct);
        }
        else
        {
            log.WriteLine("[compare] no --ticketflash URL: measuring the two references only");
        }

        if (!skipRowLock)
        {
            string[] args = ["rowlock", "--db", db!, "--pool", I(pool), "--hold-pool", I(holdPool), "--seats", I(shared.Seats), "--sections", I(shared.Sections)];
            await using var child = await ChildServer.StartAsync("rowlock", args, log, ct);
            log.WriteLine($"[compare] rowlock reference started, pid {child.Pid}, {child.Url}");
            rl = await MeasureSaleAsync(shared with { Target = child.Url, Kind = TargetKind.RowLock }, warmup, log, ct);
        }

        await using (var child = await ChildServer.StartAsync("ceiling", ["ceiling"], log, ct))
        {
            log.WriteLine($"[compare] ceiling reference started, pid {child.Pid}, {child.Url}");
            var o = shared with { Target = child.Url, Kind = TargetKind.Ceiling, Requests = (int?)(tf?.Requests ?? rl?.Requests) };
            if (warmup) await CeilingRun.RunAsync(o with { Requests = Math.Min(o.Requests ?? o.EstimatedRequests, 5000) }, TextWriter.Null, ct);
            ce = await CeilingRun.RunAsync(o, log, ct);
            Report.PrintRun(ce, log);
        }

        Report.PrintCompare(ce, rl, tf, log);
        return new[] { tf, rl, ce }.All(r => r is null || (r.Correct && !r.TimedOut)) ? 0 : 1;
    }

    private static async Task<RunResult> MeasureSaleAsync(RunOptions o, bool warmup, TextWriter log, CancellationToken ct)
    {
        if (warmup)
        {
            var w = o with { Buyers = Math.Min(o.Buyers, 200), Seats = Math.Min(o.Seats, 2000) };
            log.WriteLine($"[{o.Kind.ToString().ToLowerInvariant()}] warm-up sale: {w.Buyers} buyers, {w.Seats} seats (not reported)");
            var wr = await SaleRun.RunAsync(w, TextWriter.Null, ct);
            if (!wr.Correct) log.WriteLine($"[{o.Kind.ToString().ToLowerInvariant()}] warning: the warm-up sale was not correct: {wr.Availability?.Summary}");
        }
        var r = await SaleRun.RunAsync(o, log, ct);
        Report.PrintRun(r, log);
        return r;
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Defaults of the row-lock reference, chosen by measurement (bench/README.md, "Fairness").</summary>
public static class RowLockDefaults
{
    public const int PoolSize = 8;
    public const int HoldPoolSize = 8;
}
