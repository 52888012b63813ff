using System.Diagnostics;

namespace TicketFlash.Integration.Tests.Infrastructure;

/// <summary>
/// A real TicketFlash cluster for a test: N silo processes and M API processes on loopback, sharing one PostgreSQL
/// database. Silos can be SIGKILLed and restarted. Output goes to files under the cluster's log folder.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    public const string SigningKey = "integration-tests-signing-key-0123456789abcdef";

    /// <summary>Seals ticket-signing keys at rest in the silo processes, as in production (32 bytes, base64).</summary>
    public const string MasterKey = "aW50ZWdyYXRpb24tdGVzdHMtbWFzdGVyLWtleS0zMiE=";
    private readonly string _connectionString;
    private readonly string _clusterId = $"it-{Guid.NewGuid():N}"[..16];
    private readonly Dictionary<string, string> _extraSiloSettings;
    private readonly Dictionary<string, string> _apiSettings;
    private readonly List<Node> _silos = [];
    private readonly List<Node> _apis = [];

    private ProcessCluster(string connectionString, Dictionary<string, string> extraSiloSettings, Dictionary<string, string> apiSettings)
    {
        _connectionString = connectionString;
        _extraSiloSettings = extraSiloSettings;
        _apiSettings = apiSettings;
        LogDirectory = Directory.CreateTempSubdirectory("tf-cluster-").FullName;
    }

    public string LogDirectory { get; }

    public IReadOnlyList<Uri> ApiUrls => [.. _apis.Select(a => a.Url!)];

    /// <summary>
    /// The write limits of every test API node unless a test sets its own (<c>apiSettings</c>): all test clients share
    /// 127.0.0.1 and storms send thousands of writes a second, so the per-address bucket would stop them at once. The
    /// per-user bucket stays on (at 100 writes a second): tests drive many users, each well under it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> LoopbackRateLimits = new Dictionary<string, string>
    {
        ["TF_RateLimits__PerIp__TokenLimit"] = "1000000",
        ["TF_RateLimits__PerIp__TokensPerPeriod"] = "1000000",
        ["TF_RateLimits__PerIp__ReplenishmentPeriod"] = "00:00:01",
        ["TF_RateLimits__PerUser__TokenLimit"] = "1000",
        ["TF_RateLimits__PerUser__TokensPerPeriod"] = "100",
        ["TF_RateLimits__PerUser__ReplenishmentPeriod"] = "00:00:01",
    };

    /// <param name="coHosted">silos that also serve the HTTP API (`TicketFlash.Silo --api`); their URLs come first in <see cref="ApiUrls"/>.</param>
    /// <param name="apiSettings">environment of every API node (own process or co-hosted), over <see cref="LoopbackRateLimits"/>.</param>
    public static async Task<ProcessCluster> StartAsync(
        string connectionString, int silos, int apis, Dictionary<string, string>? siloSettings = null, int coHosted = 0,
        Dictionary<string, string>? apiSettings = null)
    {
        var cluster = new ProcessCluster(connectionString, siloSettings ?? [], apiSettings ?? []);
        try
        {
            for (var i = 0; i < coHosted; i++) cluster.StartSilo(withApi: true);
            for (var i = 0; i < silos; i++) cluster.StartSilo();
            for (var i = 0; i < apis; i++) cluster.StartApi();
            await cluster.WaitReadyAsync(TimeSpan.FromSeconds(120));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public int SiloCount => _silos.Count(s => !s.Process.HasExited);

    /// <summary>A silo process; <paramref name="withApi"/> makes it co-host the HTTP API too (then it is also an API node).</summary>
    public void StartSilo(bool withApi = false)
    {
        var index = _silos.Count;
        var env = new Dictionary<string, string>(_extraSiloSettings)
        {
            ["TF_ConnectionStrings__Orleans"] = _connectionString,
            ["TF_Orleans__ClusterId"] = _clusterId,
            ["TF_Orleans__SiloPort"] = LoopbackPorts.Next().ToString(),
            ["TF_Orleans__GatewayPort"] = LoopbackPorts.Next().ToString(),
            ["TF_Keys__MasterKey"] = MasterKey,
        };
        if (!withApi)
        {
            _silos.Add(Launch($"silo-{index}", Binaries.Silo, [], env, null));
            return;
        }
        var url = ApiUrl(env);
        var node = Launch($"silo-{index}+api", Binaries.Silo, ["--api", "--urls", url.ToString().TrimEnd('/')], env, url);
        _silos.Add(node);
        _apis.Add(node);
    }

    /// <param name="settings">environment of this API node only; it wins over the cluster's API settings (e.g. TF_Auth__Authority, ASPNETCORE_ENVIRONMENT).</param>
    /// <returns>its URL; call <see cref="WaitReadyAsync"/> before using it.</returns>
    public Uri StartApi(IReadOnlyDictionary<string, string>? settings = null)
    {
        var env = new Dictionary<string, string>
        {
            ["TF_ConnectionStrings__Orleans"] = _connectionString,
            ["TF_Orleans__ClusterId"] = _clusterId,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) env[key] = value;
        var url = ApiUrl(env);
        _apis.Add(Launch($"api-{_apis.Count}", Binaries.Api, ["--urls", url.ToString().TrimEnd('/')], env, url));
        return url;
    }

    /// <summary>What every API node needs, whether its own process or co-hosted: a URL, the token key, Development,
    /// loopback write limits; then the cluster's API settings (a node's own settings, already in <paramref name="env"/>, win).</summary>
    private Uri ApiUrl(Dictionary<string, string> env)
    {
        env.TryAdd("TF_Auth__SigningKey", SigningKey);
        env.TryAdd("ASPNETCORE_ENVIRONMENT", "Development");
        foreach (var (key, value) in _apiSettings) env.TryAdd(key, value);
        foreach (var (key, value) in LoopbackRateLimits) env.TryAdd(key, value);
        return new Uri($"http://127.0.0.1:{LoopbackPorts.Next()}");
    }

    /// <summary>SIGKILL: no shutdown, no goodbye to the membership table. Returns the PID killed.</summary>
    public int KillSilo(int index)
    {
        var process = _silos[index].Process;
        process.Kill(entireProcessTree: false); // Process.Kill is SIGKILL on Linux
        process.WaitForExit();
        return process.Id;
    }

    public async Task StopAllAsync()
    {
        foreach (var node in _apis.Concat(_silos).Distinct().Where(n => !n.Process.HasExited))
        {
            node.Process.Kill();
            await node.Process.WaitForExitAsync();
        }
    }

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        foreach (var api in _apis)
        {
            while (true)
            {
                if (api.Process.HasExited) throw new InvalidOperationException($"{api.Name} exited at start-up:\n{Tail(api)}");
                try
                {
                    if ((await http.GetAsync(new Uri(api.Url!, "/health/ready"))).IsSuccessStatusCode) break;
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"{api.Name} not ready in {timeout}:\n{Tail(api)}");
                await Task.Delay(250);
            }
        }
    }

    public string Tail(string name) => Tail(_apis.Concat(_silos).First(n => n.Name == name));

    private static string Tail(Node node)
    {
        var lines = File.Exists(node.LogPath) ? File.ReadLines(node.LogPath).TakeLast(40) : [];
        return string.Join('\n', lines);
    }

    private Node Launch(string name, string dll, string[] args, Dictionary<string, string> env, Uri? url)
    {
        var logPath = Path.Combine(LogDirectory, $"{name}.log");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in env) start.Environment[k] = v;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}");
        // deploy/test.sh kills whatever is listed here when it exits, so a test host that dies leaves no orphans.
        if (Environment.GetEnvironmentVariable("TF_TEST_PIDS") is { Length: > 0 } pidDirectory)
        {
            var pidFile = Path.Combine(pidDirectory, $"{process.Id}.pid");
            File.WriteAllText(pidFile, process.Id.ToString());
            process.EnableRaisingEvents = true;
            process.Exited += (_, _) => File.Delete(pidFile); // never kill a recycled PID later
        }
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var gate = new object();
        void Write(string? line)
        {
            if (line is null) return;
            lock (gate) log.WriteLine(line);
        }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Node(name, process, logPath, url);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAllAsync();
        foreach (var node in _apis.Concat(_silos).Distinct()) node.Process.Dispose();
    }

    private sealed record Node(string Name, Process Process, string LogPath, Uri? Url);
}

/// <summary>Where the built silo and API live (same configuration as this test assembly).</summary>
public static class Binaries
{
    public static readonly string RepoRoot = FindRepoRoot();
    private static readonly string Configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string Silo => Existing(Path.Combine(RepoRoot, "src/Silo/bin", Configuration, "net10.0/TicketFlash.Silo.dll"));

    public static string Api => Existing(Path.Combine(RepoRoot, "src/Api/bin", Configuration, "net10.0/TicketFlash.Api.dll"));

    public static string SqlDirectory => Path.Combine(RepoRoot, "deploy/sql");

    private static string Existing(string path) => File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first", path);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TicketFlash.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("TicketFlash.sln not found above " + AppContext.BaseDirectory);
    }
}
