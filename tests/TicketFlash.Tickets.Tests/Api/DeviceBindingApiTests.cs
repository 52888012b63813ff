using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tickets.Codes;
using TicketFlash.Tickets.Tests.Infrastructure;

namespace TicketFlash.Tickets.Tests.Api;

/// <summary><c>POST /api/tickets/{id}/devices</c> over HTTP: the API's auth and problem handling, the test cluster behind it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DeviceBindingApiTests(ClusterFixture cluster) : IAsyncLifetime
{
    private ApiHost? _api;

    private ApiHost Api => _api ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _api = await ApiHost.Start(cluster.Client);

    public async Task DisposeAsync()
    {
        if (_api is not null) await _api.DisposeAsync();
    }

    private static string Path(Guid ticketId) => $"/api/tickets/{ticketId}/devices";

    [Fact]
    public async Task The_owner_binds_a_device_and_the_device_s_codes_verify()
    {
        var sale = await Sale.Create(cluster.GrainFactory);
        using var device = new TestDevice();

        using var response = await Api.Post(Path(sale.Ticket.TicketId), sale.Fan, new { publicKey = Convert.ToBase64String(device.PublicKey) });

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var body = JsonSerializer.Deserialize<JsonObject>(text)!;
        Assert.Equal(["certificate", "keyId", "validFrom", "validTo", "stepSeconds", "boundAt"], body.Select(p => p.Key));
        var certificate = Convert.FromBase64String(body["certificate"]!.GetValue<string>());
        Assert.Equal(179, certificate.Length);
        var (from, to) = TicketCodeIssuer.CheckInWindow(sale.Event);
        Assert.Equal((1u, from, to, 15), (body["keyId"]!.GetValue<uint>(), body["validFrom"]!.GetValue<DateTimeOffset>(), body["validTo"]!.GetValue<DateTimeOffset>(),
            body["stepSeconds"]!.GetValue<int>()));
        Assert.InRange(body["boundAt"]!.GetValue<DateTimeOffset>(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));

        var ring = new TicketKeyRing(await cluster.GrainFactory.GetGrain<ITicketKeyGrain>(sale.Event.Id).GetPublicKeys());
        var check = TicketCode.Verify(device.Code(certificate), ring, DateTimeOffset.UtcNow);
        Assert.Equal(TicketCodeVerdict.Valid, check.Verdict);
        Assert.Equal((sale.Ticket.TicketId, (uint)sale.Ticket.Serial), (check.Payload!.TicketId, check.Payload.Serial));
        Assert.Equal(device.PublicKey, check.Payload.DeviceKey);
    }

    [Fact]
    public async Task Only_the_owner_binds_and_a_missing_ticket_is_404()
    {
        var sale = await Sale.Create(cluster.GrainFactory);
        using var device = new TestDevice();
        var body = new { publicKey = Convert.ToBase64String(device.PublicKey) };

        foreach (var other in new[] { Actors.Fan(), sale.Organizer, Actors.Admin() })
            await AssertProblem(await Api.Post(Path(sale.Ticket.TicketId), other, body), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblem(await Api.Post(Path(Guid.NewGuid()), sale.Fan, body), HttpStatusCode.NotFound, "not-found");
        using var anonymous = await Api.Post(Path(sale.Ticket.TicketId), null, body);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    public static TheoryData<string, string?> BadPublicKeys()
    {
        using var device = new TestDevice();
        var offCurve = device.PublicKey;
        offCurve[64] ^= 0x01;
        return new TheoryData<string, string?>
        {
            { "missing", null },
            { "not base64", "this is not base64 at all!" },
            { "64 bytes", Convert.ToBase64String(device.PublicKey[1..]) },
            { "66 bytes", Convert.ToBase64String([.. device.PublicKey, 0]) },
            { "not uncompressed", Convert.ToBase64String([0x03, .. device.PublicKey[1..]]) },
            { "not on the curve", Convert.ToBase64String(offCurve) },
        };
    }

    [Theory]
    [MemberData(nameof(BadPublicKeys))]
    public async Task A_bad_public_key_is_a_400_validation_problem(string why, string? publicKey)
    {
        var sale = await Sale.Create(cluster.GrainFactory);

        using var response = await Api.Post(Path(sale.Ticket.TicketId), sale.Fan, new { publicKey });

        await AssertProblem(response, HttpStatusCode.BadRequest, "validation", why);
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string slug, string? why = null)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"{why}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal($"https://ticketflash.dev/problems/{slug}", JsonSerializer.Deserialize<JsonObject>(text)!["type"]!.GetValue<string>());
        }
    }
}
