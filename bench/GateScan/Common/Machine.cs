using System.Runtime;
using System.Runtime.InteropServices;

namespace TicketFlash.Bench.GateScan.Common;

/// <summary>What the numbers were measured on, and what else was using it: the 1-minute load average (Linux).</summary>
public static class Machine
{
    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return parts.Length > 0 ? parts[0] : "?";
        }
        catch (IOException)
        {
            return "?";
        }
        catch (UnauthorizedAccessException)
        {
            return "?";
        }
    }

    /// <summary>The "model name" line of /proc/cpuinfo (what lscpu prints as "Model name").</summary>
    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "?" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "?";
        }
        catch (UnauthorizedAccessException)
        {
            return "?";
        }
    }

    /// <summary>Busy and total jiffies of all CPUs so far (/proc/stat), to tell a saturated machine from an idle one.</summary>
    public static (long Busy, long Total) CpuTimes()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0); // idle + iowait
            var total = fields.Take(8).Sum(); // user nice system idle iowait irq softirq steal
            return (total - idle, total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or InvalidOperationException)
        {
            return (0, 0);
        }
    }

    /// <summary>The share of all CPUs that was busy between two <see cref="CpuTimes"/> samples (any process), or NaN.</summary>
    public static double BusyShare((long Busy, long Total) from, (long Busy, long Total) to) =>
        to.Total > from.Total ? (double)(to.Busy - from.Busy) / (to.Total - from.Total) : double.NaN;

    public static string Describe() =>
        $"{Environment.ProcessorCount} logical CPUs ({CpuModel()}), {RuntimeInformation.OSDescription}, .NET {Environment.Version}, " +
        $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC";
}
