using TicketFlash.Bench.Cli;
using TicketFlash.Bench.GateScan.Offline;
using TicketFlash.Bench.GateScan.Online;

const string Usage = """
    GateScan: check-in benchmark for TicketFlash (see bench/README.md)

      online  [--db CONN] [--sql DIR] [--client silo|gateway] [--tickets 50000] [--sections 10]
              [--concurrency 256] [--gates 8] [--rescan 5000] [--warmup 2000] [--setup-concurrency 64]
              [--runs 1] [--warm] [--seed 42]
              hosts ONE TicketFlash silo in this process (memory storage; --db: PostgreSQL, migrated first from
              --sql, default <repo>/deploy/sql), sells --tickets tickets, fetches their static codes, then scans
              each once through ICheckInGrain.Scan (must be Admitted) and the first --rescan again (must be
              AlreadyCheckedIn). --warm keeps the ticket grains active from setup (default: deactivated first).
      offline [--codes 100000] [--reps 5] [--threads <logical CPUs>]
              µs per TicketCode.Verify with a TicketKeyRing (no grains), 1 thread and all cores; TryParse alone.

    Exit code 1 when an answer is not the expected one.
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

try
{
    var a = new CliArgs(args.Skip(1));
    switch (args[0])
    {
        case "online":
        {
            var db = a.String("db");
            var sql = a.String("sql") ?? DefaultSqlDirectory();
            var client = a.String("client") switch
            {
                null or "silo" => ClientKind.Silo,
                "gateway" => ClientKind.Gateway,
                var other => throw new CliException($"--client must be silo or gateway, got '{other}'"),
            };
            var o = new OnlineOptions(
                Db: string.IsNullOrWhiteSpace(db) ? null : db,
                SqlDirectory: sql,
                Client: client,
                Tickets: a.Int("tickets", 50_000),
                Sections: a.Int("sections", 10),
                Concurrency: a.Int("concurrency", 256),
                Gates: a.Int("gates", 8),
                Rescan: a.Int("rescan", 5_000, min: 0),
                Warmup: a.Int("warmup", 2_000, min: 0),
                SetupConcurrency: a.Int("setup-concurrency", 64),
                Runs: a.Int("runs", 1),
                Warm: a.Flag("warm"),
                Seed: a.Int("seed", 42, min: 0));
            a.EnsureAllUsed();
            return await OnlineBench.RunAsync(o, Console.Out, cts.Token);
        }
        case "offline":
        {
            var o = new OfflineOptions(
                Codes: a.Int("codes", 100_000),
                Repetitions: a.Int("reps", 5),
                Threads: a.Int("threads", Environment.ProcessorCount));
            a.EnsureAllUsed();
            return OfflineBench.Run(o, Console.Out);
        }
        default:
            Console.Error.WriteLine($"unknown command '{args[0]}'\n");
            Console.Error.WriteLine(Usage);
            return 2;
    }
}
catch (CliException e)
{
    Console.Error.WriteLine($"error: {e.Message}\n");
    Console.Error.WriteLine(Usage);
    return 2;
}
catch (OperationCanceledException) when (cts.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}

// <repo>/deploy/sql, found from the binary's folder upwards; else the copy the Silo project puts next to the binary.
static string DefaultSqlDirectory()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "deploy", "sql");
        if (File.Exists(Path.Combine(dir.FullName, "TicketFlash.sln")) && Directory.Exists(candidate)) return candidate;
    }
    return Path.Combine(AppContext.BaseDirectory, "sql");
}
