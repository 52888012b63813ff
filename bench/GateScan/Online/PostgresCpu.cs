using System.Globalization;
using Npgsql;

namespace TicketFlash.Bench.GateScan.Online;

/// <summary>
/// CPU seconds used by a local PostgreSQL cluster (its postmaster and every child: backends, WAL writer, checkpointer),
/// read from /proc. Found through the server pid of one of our own connections, so other clusters on the machine don't
/// count. Null when the server is not local (or /proc is not readable).
/// </summary>
public sealed class PostgresCpu
{
    private static readonly double TicksPerSecond = 100.0; // USER_HZ: 100 on Linux x64

    private readonly int _postmaster;

    private PostgresCpu(int postmaster) => _postmaster = postmaster;

    public static async Task<PostgresCpu?> FindAsync(string connectionString, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
            var backend = Convert.ToInt32(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            var stat = Stat(backend);
            return stat is { } s && File.Exists($"/proc/{s.ParentId}/stat") ? new PostgresCpu(s.ParentId) : null;
        }
        catch (Exception e) when (e is NpgsqlException or IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>CPU seconds of the postmaster and its current children so far.</summary>
    public double Seconds()
    {
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (Stat(pid) is { } s && (pid == _postmaster || s.ParentId == _postmaster)) ticks += s.CpuTicks;
        }
        return ticks / TicksPerSecond;
    }

    private static (int ParentId, long CpuTicks)? Stat(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid ... utime(14) stime(15) ..."; comm may contain spaces, so split after ')'.
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(fields[1], CultureInfo.InvariantCulture),
                long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
