using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tickets.Codes;
using TicketFlash.Tickets.Tests.Infrastructure;

namespace TicketFlash.Tickets.Tests.Api;

/// <summary>The ticket-code endpoints over HTTP: the API's auth and problem handling, the test cluster behind them.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TicketCodesApiTests(ClusterFixture cluster) : IAsyncLifetime
{
    private const string ProblemJson = "application/problem+json";
    private ApiHost? _api;

    private ApiHost Api => _api ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _api = await ApiHost.Start(cluster.Client);

    public async Task DisposeAsync()
    {
        if (_api is not null) await _api.DisposeAsync();
    }

    private async Task<TicketKeyRing> Ring(Guid eventId) => new(await cluster.GrainFactory.GetGrain<ITicketKeyGrain>(eventId).GetPublicKeys());

    [Fact]
    public async Task The_holder_gets_a_PNG_that_decodes_to_a_valid_code()
    {
        var sale = await Sale.Create(cluster.GrainFactory);

        using var response = await Api.Get($"/api/tickets/{sale.Ticket.TicketId}/qr", sale.Fan);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var decoded = await Zbar.Decode(await response.Content.ReadAsByteArrayAsync());
        var check = TicketCode.Verify(decoded, await Ring(sale.Event.Id), DateTimeOffset.UtcNow);
        Assert.Equal(TicketCodeVerdict.Valid, check.Verdict);
        Assert.Equal((sale.Ticket.TicketId, TicketCodeMode.Static), (check.Payload!.TicketId, check.Payload.Mode));
    }

    [Fact]
    public async Task The_holder_gets_an_SVG_and_a_rotating_PNG()
    {
        var sale = await Sale.Create(cluster.GrainFactory);

        using var svg = await Api.Get($"/api/tickets/{sale.Ticket.TicketId}/qr?format=svg", sale.Fan);
        using var rotating = await Api.Get($"/api/tickets/{sale.Ticket.TicketId}/qr?format=PNG&mode=rotating", sale.Fan);

        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg", await svg.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, rotating.StatusCode);
        var decoded = await Zbar.Decode(await rotating.Content.ReadAsByteArrayAsync());
        var check = TicketCode.Verify(decoded, await Ring(sale.Event.Id), DateTimeOffset.UtcNow);
        Assert.Equal((TicketCodeVerdict.Valid, TicketCodeMode.Rotating), (check.Verdict, check.Payload!.Mode));
    }

    [Theory]
    [InlineData(null, "Static")]
    [InlineData("static", "Static")]
    [InlineData("rotating", "Rotating")]
    public async Task The_code_endpoint_describes_the_code(string? mode, string expectedMode)
    {
        var sale = await Sale.Create(cluster.GrainFactory);
        var query = mode is null ? "" : $"?mode={mode}";

        using var response = await Api.Get($"/api/tickets/{sale.Ticket.TicketId}/code{query}", sale.Fan);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        var code = body!["code"]!.GetValue<string>();
        var check = TicketCode.Verify(code, await Ring(sale.Event.Id), DateTimeOffset.UtcNow);
        Assert.Equal(TicketCodeVerdict.Valid, check.Verdict);
        Assert.Equal(expectedMode, body["mode"]!.GetValue<string>());
        Assert.Equal(check.Payload!.KeyId, body["keyId"]!.GetValue<uint>());
        Assert.Equal(check.Payload.ValidFrom, body["validFrom"]!.GetValue<DateTimeOffset>());
        Assert.Equal(check.Payload.ValidTo, body["validTo"]!.GetValue<DateTimeOffset>());
        if (expectedMode == "Rotating")
        {
            var window = body["window"]!.GetValue<uint>();
            Assert.Equal(check.Payload.Window, window);
            Assert.Equal(TicketCodeWindows.End(window), body["refreshAt"]!.GetValue<DateTimeOffset>());
        }
        else
        {
            Assert.Null(body["window"]);
        }
    }

    [Fact]
    public async Task Others_get_403_an_unknown_ticket_404_and_bad_options_400_all_as_problems()
    {
        var sale = await Sale.Create(cluster.GrainFactory);
        var id = sale.Ticket.TicketId;

        await AssertProblem(await Api.Get($"/api/tickets/{id}/qr", Actors.Fan()), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblem(await Api.Get($"/api/tickets/{id}/code", sale.Organizer), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblem(await Api.Get($"/api/tickets/{Guid.NewGuid()}/qr", sale.Fan), HttpStatusCode.NotFound, "not-found");
        await AssertProblem(await Api.Get($"/api/tickets/{id}/qr?format=gif", sale.Fan), HttpStatusCode.BadRequest, "validation");
        await AssertProblem(await Api.Get($"/api/tickets/{id}/code?mode=forever", sale.Fan), HttpStatusCode.BadRequest, "validation");
        using var anonymous = await Api.Get($"/api/tickets/{id}/qr", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var admin = await Api.Get($"/api/tickets/{id}/qr", Actors.Admin());
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task The_events_staff_read_its_public_keys_others_do_not()
    {
        var sale = await Sale.Create(cluster.GrainFactory);
        var path = $"/api/events/{sale.Event.Id}/keys";
        var tenant = sale.Organizer.Tenant!;

        foreach (var reader in new[] { sale.Organizer, Actors.VenueStaff(tenant), Actors.Admin() })
        {
            using var ok = await Api.Get(path, reader);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            var body = await ok.Content.ReadFromJsonAsync<JsonObject>();
            Assert.Equal(sale.Event.Id, body!["eventId"]!.GetValue<Guid>());
            Assert.Equal(1u, body["currentKeyId"]!.GetValue<uint>());
            var key = Assert.Single(body["keys"]!.AsArray())!;
            Assert.Equal(("Ed25519", 32), (key["algorithm"]!.GetValue<string>(), Convert.FromBase64String(key["publicKey"]!.GetValue<string>()).Length));
            Assert.DoesNotContain("private", (await ok.Content.ReadAsStringAsync()).ToLowerInvariant(), StringComparison.Ordinal);
        }
        await AssertProblem(await Api.Get(path, sale.Fan), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblem(await Api.Get(path, Actors.Organizer()), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblem(await Api.Get(path, Actors.VenueStaff("another-tenant")), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblem(await Api.Get($"/api/events/{Guid.NewGuid()}/keys", Actors.Admin()), HttpStatusCode.NotFound, "not-found");
        using var anonymous = await Api.Get(path, null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Staff_rotate_the_key_and_codes_issued_before_stay_valid()
    {
        var sale = await Sale.Create(cluster.GrainFactory);
        using var before = await Api.Get($"/api/tickets/{sale.Ticket.TicketId}/code", sale.Fan);
        var oldCode = (await before.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>();

        await AssertProblem(await Api.Send(HttpMethod.Post, $"/api/events/{sale.Event.Id}/keys/rotate", sale.Fan), HttpStatusCode.Forbidden, "forbidden");
        using var rotated = await Api.Send(HttpMethod.Post, $"/api/events/{sale.Event.Id}/keys/rotate", sale.Organizer);
        using var after = await Api.Get($"/api/tickets/{sale.Ticket.TicketId}/code", sale.Fan);
        using var keys = await Api.Get($"/api/events/{sale.Event.Id}/keys", sale.Organizer);

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.Equal(2u, (await rotated.Content.ReadFromJsonAsync<JsonObject>())!["keyId"]!.GetValue<uint>());
        Assert.Equal(2u, (await after.Content.ReadFromJsonAsync<JsonObject>())!["keyId"]!.GetValue<uint>());
        var list = (await keys.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(2u, list["currentKeyId"]!.GetValue<uint>());
        Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(oldCode, await Ring(sale.Event.Id), DateTimeOffset.UtcNow).Verdict);
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string slug)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
            Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
            var problem = JsonSerializer.Deserialize<JsonObject>(text)!;
            Assert.Equal($"https://ticketflash.dev/problems/{slug}", problem["type"]!.GetValue<string>());
        }
    }
}
