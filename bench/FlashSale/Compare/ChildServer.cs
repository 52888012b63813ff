using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TicketFlash.Bench.FlashSale.Compare;

/// <summary>
/// A reference server started as a child process of this same binary on a free loopback port.
/// The child gets --exit-on-stdin-eof: closing its stdin (or this process dying) stops it gracefully;
/// <see cref="DisposeAsync"/> then waits and, if needed, kills it by its PID. Every child is also
/// tracked so Ctrl-C / process exit still stops it.
/// </summary>
public sealed class ChildServer : IAsyncDisposable
{
    private static readonly List<ChildServer> Live = [];
    private readonly Process _process;

    public int Port { get; }
    public Uri Url => new($"http://127.0.0.1:{Port}/");
    public int Pid => _process.Id;
    public string Name { get; }

    static ChildServer()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        Console.CancelKeyPress += (_, _) => KillAll();
    }

    private ChildServer(string name, int port, Process process) => (Name, Port, _process) = (name, port, process);

    public static async Task<ChildServer> StartAsync(string name, IReadOnlyList<string> args, TextWriter log, CancellationToken ct)
    {
        var port = FreePort();
        var psi = new ProcessStartInfo { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this process' executable");
        psi.FileName = self;
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            psi.ArgumentList.Add(typeof(ChildServer).Assembly.Location); // started as "dotnet FlashSale.dll"
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--port");
        psi.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("--exit-on-stdin-eof");
        // The reference servers run with ASP.NET Core's default, server GC (the ceiling measured 10–30 % higher with it;
        // rowlock the same either way); the driver itself runs with workstation GC (FlashSale.csproj).
        psi.Environment["DOTNET_gcServer"] = "1";

        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {name}");
        var child = new ChildServer(name, port, process);
        lock (Live) Live.Add(child);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.WriteLine($"  [{name} pid {process.Id}] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.WriteLine($"  [{name} pid {process.Id}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await child.WaitReadyAsync(ct);
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
        return child;
    }

    private async Task WaitReadyAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(deadline) < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready");
            try
            {
                using var r = await http.GetAsync(new Uri(Url, "health"), ct);
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"{Name} was not ready on port {Port} within 60 s");
    }

    public async ValueTask DisposeAsync()
    {
        lock (Live) Live.Remove(this);
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close(); // graceful: the child stops when stdin closes
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true); // by PID
                    await _process.WaitForExitAsync(CancellationToken.None);
                }
            }
        }
        catch (InvalidOperationException) { }
        finally
        {
            _process.Dispose();
        }
    }

    private static void KillAll()
    {
        ChildServer[] all;
        lock (Live) all = [.. Live];
        foreach (var c in all)
        {
            try
            {
                if (!c._process.HasExited) c._process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException) { }
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
