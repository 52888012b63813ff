using System.Net;
using System.Text.Json.Nodes;
using TicketFlash.Integration.Tests.Infrastructure;
using TicketFlash.Integration.Tests.Storage;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Api;

/// <summary>
/// The API node serves the built browser app (Web:Root): files anonymously, client routes fall back to index.html, and
/// the server's own prefixes never do. A co-hosting silo over a tiny stand-in of the build output.
/// </summary>
public sealed class WebAppHostingTests : IAsyncLifetime
{
    private const string Index = "<!doctype html><title>TicketFlash test app</title>";
    private readonly string _root = Directory.CreateTempSubdirectory("tf-web-").FullName;
    private TestDatabase _db = null!;
    private ProcessCluster _cluster = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_root, "index.html"), Index);
        await File.WriteAllTextAsync(Path.Combine(_root, "main-WBRJP3QC.js"), "console.log('app');");
        Directory.CreateDirectory(Path.Combine(_root, "shop"));
        await File.WriteAllTextAsync(Path.Combine(_root, "shop", "remoteEntry.json"), """{"name":"shop"}""");
        _db = await MigratedDatabase.CreateAsync();
        _cluster = await ProcessCluster.StartAsync(_db.ConnectionString, silos: 0, apis: 0, new() { ["TF_Web__Root"] = _root }, coHosted: 1);
        _http = new HttpClient { BaseAddress = _cluster.ApiUrls[0] };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_cluster is not null) await _cluster.DisposeAsync();
        if (_db is not null) await _db.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/events/7e1c0000-0000-4000-8000-00000000e001")]
    [InlineData("/me/tickets")]
    [InlineData("/organizer/events/new")]
    public async Task Client_routes_answer_the_app_without_a_token(string path)
    {
        var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Index, await response.Content.ReadAsStringAsync());
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Files_are_served_anonymously_hashed_ones_cached_for_good_manifests_revalidated()
    {
        var bundle = await _http.GetAsync("/main-WBRJP3QC.js");
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.Contains("immutable", bundle.Headers.CacheControl?.ToString());

        var remote = await _http.GetAsync("/shop/remoteEntry.json");
        Assert.Equal(HttpStatusCode.OK, remote.StatusCode);
        Assert.Equal("no-cache", remote.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("/api/no-such-route")]
    [InlineData("/api/events/not-a-guid/whatever")]
    [InlineData("/hubs/nothing")]
    [InlineData("/health/nothing")]
    public async Task Server_prefixes_never_fall_back_to_the_app(string path)
    {
        var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(ProblemTypeBase + "not-found", problem["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_api_still_answers_its_own_routes_and_refuses_what_it_refused()
    {
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/api/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.GetAsync("/api/me/orders")).StatusCode);
        var post = await _http.PostAsync("/events/x", new StringContent("{}"));
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode); // only GET and HEAD reach the app
    }
}
