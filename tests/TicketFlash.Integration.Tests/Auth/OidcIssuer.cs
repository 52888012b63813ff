using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TicketFlash.Integration.Tests.Infrastructure;

namespace TicketFlash.Integration.Tests.Auth;

/// <summary>
/// A real OIDC issuer on loopback: tests/oidc-issuer (oidc-provider from npm, installed by deploy/test.sh) run by Node.
/// The test owns its RSA signing keys (written as the issuer's JWKS file), so it can also forge tokens that differ from
/// a real one in exactly one way. Rotation restarts the issuer on the same port and issuer URL with a new key.
/// </summary>
public sealed class OidcIssuer : IAsyncDisposable
{
    public const string RedirectUri = "http://127.0.0.1:5080/";
    public const string Resource = "urn:ticketflash";
    private static readonly string Folder = Path.Combine(Binaries.RepoRoot, "tests/oidc-issuer");
    private readonly int _port = LoopbackPorts.Next();
    private readonly string _directory = Directory.CreateTempSubdirectory("tf-oidc-").FullName;
    private Process? _process;

    private OidcIssuer() => Url = new Uri($"http://127.0.0.1:{_port}");

    /// <summary>The issuer identifier (iss) and base URL.</summary>
    public Uri Url { get; }

    public string Issuer => Url.ToString().TrimEnd('/');

    /// <summary>The key the issuer signs with now (the first of its JWKS).</summary>
    public RsaSecurityKey SigningKey { get; private set; } = NewKey();

    public string LogPath => Path.Combine(_directory, "issuer.log");

    public static async Task<OidcIssuer> StartAsync()
    {
        var issuer = new OidcIssuer();
        try
        {
            await issuer.LaunchAsync();
            return issuer;
        }
        catch
        {
            await issuer.DisposeAsync();
            throw;
        }
    }

    /// <summary>Withdraws the current signing key: the issuer restarts signing with, and publishing, a new key only.</summary>
    public async Task RotateAsync()
    {
        await StopAsync();
        SigningKey = NewKey();
        await LaunchAsync();
    }

    public static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

    /// <summary>
    /// A user's access token from a real authorization code grant with PKCE (S256), driven over HTTP through the
    /// issuer's own login page, as a browser would: authorize → login form → redirect with a code → token endpoint.
    /// </summary>
    public async Task<string> SignInAsync(string login, string resource = Resource)
    {
        using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = Url,
        };
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Guid.NewGuid().ToString("N");
        var next = await RedirectOf(await http.GetAsync(
            $"/auth?client_id=ticketflash-web&response_type=code&scope=openid%20profile%20api&redirect_uri={Uri.EscapeDataString(RedirectUri)}" +
            $"&resource={Uri.EscapeDataString(resource)}&code_challenge={challenge}&code_challenge_method=S256&state={state}"));

        var loginPage = await http.GetStringAsync(next);
        if (!loginPage.Contains("name=\"login\"", StringComparison.Ordinal)) throw new InvalidOperationException($"no login form at {next}:\n{loginPage}");
        next = await RedirectOf(await http.PostAsync(next, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["prompt"] = "login", ["login"] = login, ["password"] = "any",
        })));
        for (var hop = 0; hop < 5 && !next.ToString().StartsWith(RedirectUri, StringComparison.Ordinal); hop++)
            next = await RedirectOf(await http.GetAsync(next));

        var query = System.Web.HttpUtility.ParseQueryString(next.Query);
        if (query["state"] != state || query["code"] is not { Length: > 0 } code)
            throw new InvalidOperationException($"sign-in of {login} did not end with a code: {next}");
        var token = await http.PostAsync("/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = "ticketflash-web", ["code"] = code,
            ["code_verifier"] = verifier, ["redirect_uri"] = RedirectUri,
        }));
        return await AccessTokenOf(token);
    }

    /// <summary>A token of the confidential test client (no user) for <paramref name="resource"/>.</summary>
    public async Task<string> ClientCredentialsAsync(string resource)
    {
        using var http = new HttpClient { BaseAddress = Url };
        var response = await http.PostAsync("/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "ticketflash-tests", ["client_secret"] = "ticketflash-tests-secret",
            ["resource"] = resource, ["scope"] = "api",
        }));
        return await AccessTokenOf(response);
    }

    /// <summary>A token made here, not by the issuer: signed by <paramref name="key"/> (default the issuer's own), claims as given.</summary>
    public string Forge(string sub, string[] roles, string? issuer = null, string audience = "ticketflash", DateTime? expires = null,
        SecurityKey? key = null)
    {
        var exp = expires ?? DateTime.UtcNow.AddMinutes(5);
        var claims = new Dictionary<string, object> { ["sub"] = sub, ["roles"] = roles, ["client_id"] = "ticketflash-web", ["scope"] = "api" };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = exp.AddMinutes(-5),
            NotBefore = exp.AddMinutes(-5),
            Expires = exp,
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>The claims of a real token, with "alg": "none" and no signature.</summary>
    public static string Unsigned(string token)
    {
        var payload = token.Split('.')[1];
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"at+jwt"}""");
        return $"{header}.{payload}.";
    }

    public static JsonObject ClaimsOf(string token) =>
        JsonNode.Parse(Base64UrlEncoder.Decode(token.Split('.')[1]))!.AsObject();

    private static async Task<Uri> RedirectOf(HttpResponseMessage response)
    {
        if ((int)response.StatusCode is < 300 or > 399 || response.Headers.Location is not { } location)
            throw new InvalidOperationException($"expected a redirect, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
    }

    private static async Task<string> AccessTokenOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"token endpoint: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["access_token"]!.GetValue<string>();
    }

    private async Task LaunchAsync()
    {
        var script = Path.Combine(Folder, "issuer.mjs");
        if (!Directory.Exists(Path.Combine(Folder, "node_modules/oidc-provider")))
            throw new InvalidOperationException($"oidc-provider is not installed in {Folder}: deploy/test.sh installs it (npm install there).");
        var keysFile = Path.Combine(_directory, "jwks.json");
        await File.WriteAllTextAsync(keysFile, JsonSerializer.Serialize(new { keys = new[] { PrivateJwk(SigningKey) } }));

        var start = new ProcessStartInfo(NodeBinary()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { script, "--port", _port.ToString(), "--issuer", Issuer, "--keys", keysFile, "--redirect-uri", RedirectUri })
            start.ArgumentList.Add(a);
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        if (Environment.GetEnvironmentVariable("TF_TEST_PIDS") is { Length: > 0 } pids) // deploy/test.sh kills leftovers by PID
        {
            var pidFile = Path.Combine(pids, $"{_process.Id}.pid");
            await File.WriteAllTextAsync(pidFile, _process.Id.ToString());
            _process.EnableRaisingEvents = true;
            _process.Exited += (_, _) => File.Delete(pidFile);
        }
        var log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
        var gate = new object();
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (gate) log.WriteLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (gate) log.WriteLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"oidc-provider exited:\n{await File.ReadAllTextAsync(LogPath)}");
            try
            {
                var discovery = await http.GetFromJsonAsync<JsonObject>(new Uri(Url, "/.well-known/openid-configuration"));
                if (discovery?["issuer"]?.GetValue<string>() == Issuer) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"oidc-provider not up in 30 s:\n{await File.ReadAllTextAsync(LogPath)}");
            await Task.Delay(100);
        }
    }

    /// <summary>The repository's pinned Node (deploy/web.sh puts it in .data/node), else whatever `node` is on PATH.</summary>
    private static string NodeBinary()
    {
        var pinned = Path.Combine(Binaries.RepoRoot, ".data/node/bin/node");
        return File.Exists(pinned) ? pinned : "node";
    }

    private static Dictionary<string, string> PrivateJwk(RsaSecurityKey key)
    {
        var p = key.Rsa.ExportParameters(includePrivateParameters: true);
        string B(byte[]? bytes) => Base64UrlEncoder.Encode(bytes!);
        return new()
        {
            ["kty"] = "RSA", ["kid"] = key.KeyId, ["use"] = "sig", ["alg"] = "RS256",
            ["n"] = B(p.Modulus), ["e"] = B(p.Exponent), ["d"] = B(p.D), ["p"] = B(p.P), ["q"] = B(p.Q),
            ["dp"] = B(p.DP), ["dq"] = B(p.DQ), ["qi"] = B(p.InverseQ),
        };
    }

    private async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
