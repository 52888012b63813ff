namespace TicketFlash.Bench.FlashSale.Driver;

/// <summary>What else was using the machine: the 1-minute load average (Linux), so a noisy run shows.</summary>
public static class MachineInfo
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

    public static string Describe() => $"{Environment.ProcessorCount} logical CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
}
