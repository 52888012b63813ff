using System.Globalization;

namespace TicketFlash.Bench.FlashSale.Driver;

/// <summary>Human-readable output of one run and of the compare table.</summary>
public static class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void PrintRun(RunResult r, TextWriter w)
    {
        w.WriteLine();
        w.WriteLine($"== FlashSale {Name(r.Kind)} @ {r.Target} ==");
        w.WriteLine(string.Create(Inv, $"buyers {r.Buyers}, seats {r.Seats}; measured {r.Seconds:0.00} s{(r.TimedOut ? "  ** TIMED OUT **" : "")}; load average {r.Load}"));
        if (r.IsSale)
        {
            w.WriteLine(string.Create(Inv, $"confirmed purchases/s  {r.PurchasesPerSecond,10:0.0}   ({r.Purchases} purchases)"));
            w.WriteLine(string.Create(Inv, $"confirmed tickets/s    {r.TicketsPerSecond,10:0.0}   ({r.Tickets} tickets)"));
        }
        w.WriteLine(string.Create(Inv, $"HTTP requests/s        {r.RequestsPerSecond,10:0.0}   ({r.Requests} requests)"));
        w.WriteLine($"{(r.IsSale ? "hold latency (201)" : "POST latency (200)"),-22} {r.Hold.Format()}");
        if (r.IsSale)
        {
            w.WriteLine($"{"pay latency (200)",-22} {r.Pay.Format()}");
            w.WriteLine($"{"oversold",-22} {Math.Max(0, r.Oversold)}   (confirmed tickets {r.Tickets} - seats {r.Seats} = {r.Oversold})");
            w.WriteLine($"{"duplicate seat labels",-22} {r.DuplicateSeats}");
            w.WriteLine($"{"availability",-22} {(r.Availability is { Ok: true } ? "OK" : "MISMATCH")}: {r.Availability?.Summary}");
            if (r.Availability is { Available: > 0 } or { Held: > 0 }) w.WriteLine($"{"",-22} note: the event did not sell out");
            w.WriteLine($"{"buyers finished",-22} {string.Join(", ", r.Finishes.OrderByDescending(f => f.Value).Select(f => $"{f.Value} {f.Key}"))}");
        }
        w.WriteLine("answers by step, status and problem type:");
        foreach (var (key, n) in r.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal))
            w.WriteLine($"  {key,-40} {n,9}");
        w.WriteLine(r.IsSale
            ? $"verdict: {(r.Correct ? "CORRECT (0 oversold, availability agrees)" : "INCORRECT")}"
            : $"verdict: {(r.Correct ? "OK (every request answered 2xx)" : "ERRORS (requests failed: the number above is not a ceiling)")}");
    }

    public static void PrintCompare(RunResult? ceiling, RunResult? rowlock, RunResult? ticketflash, TextWriter w)
    {
        var cols = new[] { ceiling, rowlock, ticketflash };
        string Cell(RunResult? r, Func<RunResult, string> f) => r is null ? "skipped" : f(r);
        void Row(string label, Func<RunResult, string> f, bool saleOnly = false) =>
            w.WriteLine($"{label,-26}" + string.Concat(cols.Select(c => $"  {Cell(c, r => saleOnly && !r.IsSale ? "-" : f(r)),21}")));

        w.WriteLine();
        w.WriteLine("== FlashSale compare (same machine, one after another) ==");
        w.WriteLine($"machine: {MachineInfo.Describe()}");
        w.WriteLine($"{"",-26}  {"(a) ceiling",21}  {"(b) rowlock",21}  {"ticketflash",21}");
        Row("confirmed purchases/s", r => r.IsSale ? F(r.PurchasesPerSecond) : F(r.RequestsPerSecond / 2) + "*");
        Row("confirmed tickets/s", r => F(r.TicketsPerSecond), saleOnly: true);
        Row("HTTP requests/s", r => F(r.RequestsPerSecond));
        Row("hold p50/p95/p99 ms", r => Lat(r.Hold));
        Row("pay p50/p95/p99 ms", r => Lat(r.Pay), saleOnly: true);
        Row("purchases / tickets", r => $"{r.Purchases}/{r.Tickets}", saleOnly: true);
        Row("requests", r => r.Requests.ToString(Inv));
        Row("errors (non-2xx, non-sale)", r => Errors(r).ToString(Inv));
        Row("oversold", r => Math.Max(0, r.Oversold).ToString(Inv), saleOnly: true);
        Row("availability agrees", r => r.Availability is { Ok: true } ? "yes" : "NO", saleOnly: true);
        Row("measured seconds", r => F(r.Seconds) + (r.TimedOut ? " TIMEOUT" : ""));
        Row("load average start->end", r => r.Load);
        w.WriteLine("* ceiling purchases/s = requests/s / 2 (a purchase is two POSTs): no design can pass it.");
        w.WriteLine();
        if (ticketflash is not null && ceiling is not null)
            w.WriteLine(string.Create(Inv, $"TicketFlash / ceiling : purchases/s {Ratio(ticketflash.PurchasesPerSecond, ceiling.RequestsPerSecond / 2)}   requests/s {Ratio(ticketflash.RequestsPerSecond, ceiling.RequestsPerSecond)}"));
        if (ticketflash is not null && rowlock is not null)
            w.WriteLine(string.Create(Inv, $"TicketFlash / rowlock : purchases/s {Ratio(ticketflash.PurchasesPerSecond, rowlock.PurchasesPerSecond)}   (issue 2 target: >= 4.00x, 0 oversold)"));
        if (rowlock is not null && ceiling is not null)
            w.WriteLine(string.Create(Inv, $"rowlock / ceiling     : purchases/s {Ratio(rowlock.PurchasesPerSecond, ceiling.RequestsPerSecond / 2)}   requests/s {Ratio(rowlock.RequestsPerSecond, ceiling.RequestsPerSecond)}"));
    }

    /// <summary>Answers that are neither success nor an expected refusal of a sale (sold-out, seats-unavailable, limit).</summary>
    public static long Errors(RunResult r) => r.Outcomes.Where(o => !IsExpected(o.Key)).Sum(o => o.Value);

    private static bool IsExpected(string key)
    {
        if (key.StartsWith("warning", StringComparison.Ordinal)) return true;
        var parts = key.Split(' ');
        if (parts.Length < 2) return false;
        if (parts[1].Length == 3 && parts[1][0] == '2') return true;
        return parts[^1] is "sold-out" or "seats-unavailable" or "limit-exceeded";
    }

    public static string Name(TargetKind k) => k switch
    {
        TargetKind.Ceiling => "ceiling (bare Kestrel 200)",
        TargetKind.RowLock => "rowlock (ASP.NET + Npgsql, hot-row lock)",
        _ => "ticketflash",
    };

    private static string F(double v) => v.ToString("0.0", Inv);
    private static string Lat(Percentiles p) => p.Count == 0 ? "n/a" : string.Create(Inv, $"{p.P50:0.0}/{p.P95:0.0}/{p.P99:0.0}");
    private static string Ratio(double a, double b) => b <= 0 ? "n/a" : (a / b).ToString("0.00", Inv) + "x";
}
