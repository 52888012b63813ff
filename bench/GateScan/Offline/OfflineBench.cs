using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using NSec.Cryptography;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Bench.GateScan.Common;
using TicketFlash.Grains.Tickets.Codes;

namespace TicketFlash.Bench.GateScan.Offline;

public sealed record OfflineOptions(int Codes, int Repetitions, int Threads);

/// <summary>
/// What a scanner does without the network: <see cref="TicketCode.Verify"/> with a <see cref="TicketKeyRing"/> (public
/// keys only, no grains, no I/O). Codes are signed up front with <see cref="TicketCode.Sign"/>, the layout the key grain
/// uses. Every repetition checks every code; a warm-up pass (JIT, tiering) is not reported.
/// </summary>
public static class OfflineBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(OfflineOptions o, TextWriter w)
    {
        var loadStart = Machine.LoadAverage();
        w.WriteLine($"== GateScan offline: {o.Codes} codes, {o.Repetitions} repetitions, all-cores = {o.Threads} threads ==");
        w.WriteLine($"machine: {Machine.Describe()}");

        var now = DateTimeOffset.UtcNow;
        var eventId = Guid.NewGuid();
        using var key = Key.Create(SignatureAlgorithm.Ed25519);
        var ring = new TicketKeyRing([new TicketPublicKey(eventId, 1, TicketCode.Algorithm, key.PublicKey.Export(KeyBlobFormat.RawPublicKey), now, null)]);

        // Signing (what the key grain does per code), single thread, timed as a by-product.
        var codes = new string[o.Codes];
        var from = now.AddHours(-1);
        var to = now.AddHours(6);
        var signStart = Stopwatch.GetTimestamp();
        for (var i = 0; i < codes.Length; i++)
            codes[i] = TicketCode.Sign(new TicketCodePayload(TicketCode.CurrentVersion, TicketCodeMode.Static, 1, eventId, Guid.NewGuid(), 1, from, to, null), key).Code;
        var signSeconds = Stopwatch.GetElapsedTime(signStart).TotalSeconds;
        w.WriteLine(string.Create(Inv, $"signed {codes.Length} static codes ({codes[0].Length} Base45 chars) in {signSeconds:0.00} s = {signSeconds * 1e6 / codes.Length:0.0} µs/code (TicketCode.Sign, 1 thread, includes JIT)"));

        // Sanity: every code is Valid, a flipped character is not (so the loop below really checks signatures).
        var tampered = codes[0][..^3] + (codes[0][^3] == '0' ? '1' : '0') + codes[0][^2..];
        var tamperedVerdict = TicketCode.Verify(tampered, ring, now).Verdict;
        if (tamperedVerdict == TicketCodeVerdict.Valid) throw new InvalidOperationException("a tampered code verified as Valid");

        // Warm-up: JIT and tiered compilation of Verify/TryParse/Base45 on both paths.
        var warm = Math.Min(codes.Length, 20_000);
        var ok = 0;
        for (var i = 0; i < warm; i++) ok += TicketCode.Verify(codes[i], ring, now).IsValid ? 1 : 0;
        for (var i = 0; i < warm; i++) ok += TicketCode.TryParse(codes[i], out _) ? 1 : 0;
        Parallel.For(0, warm, new ParallelOptions { MaxDegreeOfParallelism = o.Threads }, i => TicketCode.Verify(codes[i], ring, now));
        if (ok != 2 * warm) throw new InvalidOperationException("warm-up: a freshly signed code did not verify");

        // 1. Verify, one thread: the scanner's own cost per code.
        var single = new List<double>();
        var singleTicks = new long[(long)codes.Length * o.Repetitions];
        var valid = 0L;
        for (var r = 0; r < o.Repetitions; r++)
        {
            var offset = (long)r * codes.Length;
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < codes.Length; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                var check = TicketCode.Verify(codes[i], ring, now);
                singleTicks[offset + i] = Stopwatch.GetTimestamp() - t0;
                if (check.IsValid) valid++;
            }
            single.Add(Stopwatch.GetElapsedTime(start).TotalSeconds * 1e6 / codes.Length);
        }
        var singleLatency = Latency.FromTicks(singleTicks, 1e-6);

        // 2. Verify, all cores: codes/s of a machine that only verifies (e.g. a gate server checking for offline scanners).
        var parallel = new List<double>();
        var parallelTicks = new long[(long)codes.Length * o.Repetitions];
        var chunk = Math.Max(1, codes.Length / (o.Threads * 16));
        for (var r = 0; r < o.Repetitions; r++)
        {
            var offset = (long)r * codes.Length;
            var validHere = 0L;
            var start = Stopwatch.GetTimestamp();
            Parallel.ForEach(Partitioner.Create(0, codes.Length, chunk), new ParallelOptions { MaxDegreeOfParallelism = o.Threads }, range =>
            {
                var mine = 0;
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    var check = TicketCode.Verify(codes[i], ring, now);
                    parallelTicks[offset + i] = Stopwatch.GetTimestamp() - t0;
                    if (check.IsValid) mine++;
                }
                Interlocked.Add(ref validHere, mine);
            });
            parallel.Add(Stopwatch.GetElapsedTime(start).TotalSeconds * 1e6 / codes.Length);
            valid += validHere;
        }
        var parallelLatency = Latency.FromTicks(parallelTicks, 1e-6);

        // 3. TryParse alone (Base45 decode + layout, no signature): too fast to time one call, so whole passes only.
        var parse = new List<double>();
        var parsed = 0L;
        for (var r = 0; r < o.Repetitions; r++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < codes.Length; i++)
                if (TicketCode.TryParse(codes[i], out _)) parsed++;
            parse.Add(Stopwatch.GetElapsedTime(start).TotalSeconds * 1e6 / codes.Length);
        }

        var expected = (long)codes.Length * o.Repetitions;
        w.WriteLine();
        w.WriteLine(string.Create(Inv, $"Verify, 1 thread       {Mean(single),8:0.00} µs/code  = {1e6 / Mean(single),9:0} codes/s   (per repetition {Reps(single)})"));
        w.WriteLine($"  per call             {singleLatency.Format("µs")}");
        w.WriteLine(string.Create(Inv, $"Verify, {o.Threads} threads      {Mean(parallel),8:0.00} µs/code  = {1e6 / Mean(parallel),9:0} codes/s   (wall time / codes; per repetition {Reps(parallel)})"));
        w.WriteLine($"  per call             {parallelLatency.Format("µs")}");
        w.WriteLine(string.Create(Inv, $"  speed-up vs 1 thread {Mean(single) / Mean(parallel):0.00}x on {Environment.ProcessorCount} logical CPUs"));
        w.WriteLine(string.Create(Inv, $"TryParse, 1 thread     {Mean(parse),8:0.000} µs/code  = {1e6 / Mean(parse),9:0} codes/s   (per repetition {Reps(parse, "0.000")})"));
        w.WriteLine($"checks: {valid}/{2 * expected} Verify Valid, {parsed}/{expected} TryParse true, tampered code -> {tamperedVerdict}");
        w.WriteLine($"load average: start {loadStart}, end {Machine.LoadAverage()}");
        return valid == 2 * expected && parsed == expected ? 0 : 1;
    }

    private static double Mean(List<double> xs) => xs.Average();

    private static string Reps(List<double> xs, string format = "0.00") => string.Join(" ", xs.Select(x => x.ToString(format, Inv)));
}
