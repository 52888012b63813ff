using TicketFlash.Bench.Cli;
using TicketFlash.Bench.FlashSale.Compare;
using TicketFlash.Bench.FlashSale.Driver;
using TicketFlash.Bench.FlashSale.References;

const string Usage = """
    FlashSale: flash-sale benchmark for TicketFlash (see bench/README.md)

      ceiling --port P                          bare Kestrel answering 200 to any GET/POST (reference a)
      rowlock --port P [--db CONN]              ASP.NET + Npgsql hot-row-lock design (reference b);
              [--pool 8 --hold-pool 8]          --db defaults to $TF_BENCH_DB; drops/recreates schema flashsale_rowlock
              [--seats 20000 --sections 4]      and seeds one event of that shape
      run --target URL [--kind ticketflash|rowlock|ceiling] [--buyers 2000] [--seats 20000] [--sections 4]
          [--limit 10] [--seats-per-row N (reserved seating, TicketFlash)] [--timeout 300] [--request-timeout 60] [--seed 42] [--progress 5] [--requests R (ceiling only)]
      compare [--ticketflash URL] [--db CONN] [--rowlock-pool 8] [--rowlock-hold-pool 8] [--skip-rowlock] [--no-warmup]
              [--buyers …] [--seats …] [--sections …] [--limit …] [--timeout …]

    Servers bind 127.0.0.1 only. run/compare exit 1 when a sale is oversold, disagrees with the
    server's availability, or times out.
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
        case "ceiling":
        {
            var port = a.Int("port", 0, min: 1);
            var stdin = a.Flag("exit-on-stdin-eof");
            a.EnsureAllUsed();
            await CeilingServer.RunAsync(port, stdin);
            return 0;
        }
        case "rowlock":
        {
            var port = a.Int("port", 0, min: 1);
            var db = a.Required("db", Environment.GetEnvironmentVariable("TF_BENCH_DB"));
            var pool = a.Int("pool", RowLockDefaults.PoolSize);
            var holdPool = a.Int("hold-pool", RowLockDefaults.HoldPoolSize);
            var seats = a.Int("seats", 20000);
            var sections = a.Int("sections", 4);
            var stdin = a.Flag("exit-on-stdin-eof");
            a.EnsureAllUsed();
            await RowLockServer.RunAsync(port, db, pool, holdPool, seats, Math.Min(sections, 26), stdin);
            return 0;
        }
        case "run":
        {
            var target = RunOptions.NormalizeUrl(a.Required("target"));
            var kind = RunOptions.ParseKind(a.String("kind"));
            int? requests = a.String("requests") is null ? null : a.Int("requests", 1);
            var o = RunOptions.FromArgs(a, target, kind) with { Requests = requests };
            a.EnsureAllUsed();
            var r = kind == TargetKind.Ceiling ? await CeilingRun.RunAsync(o, Console.Out, cts.Token) : await SaleRun.RunAsync(o, Console.Out, cts.Token);
            Report.PrintRun(r, Console.Out);
            return r.Correct && !r.TimedOut ? 0 : 1;
        }
        case "compare":
            return await CompareCommand.RunAsync(a, cts.Token);
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
catch (Exception e) when (e is InvalidOperationException or IOException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
