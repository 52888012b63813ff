using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketFlash.Integration.Tests.Infrastructure;
using TicketFlash.Integration.Tests.Storage;

namespace TicketFlash.Integration.Tests.Transfers;

public sealed class TransferTests
{
    private static readonly object[] Sections = [new { id = "R", name = "Rows", rows = 2, seatsPerRow = 5 }];

    [Fact]
    public async Task A_transfer_voids_the_old_code_and_moves_the_ticket_to_the_recipient()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        await using var cluster = await ProcessCluster.StartAsync(db.ConnectionString, silos: 1, apis: 1);
        using var client = new TicketFlashClient(cluster.ApiUrls[0]);
        var organizer = await client.TokenAsync("org-t", ["organizer"], "tt");
        var gate = await client.TokenAsync("gate-t", ["venue"], "tt");
        var alice = await client.TokenAsync("alice", ["fan"]);
        var bob = await client.TokenAsync("bob", ["fan"]);
        var eventId = await client.CreateOpenEventAsync(organizer, Sections, ["R"]);
        var starts = (await client.Http.GetFromJsonAsync<JsonObject>($"/api/events/{eventId}", TicketFlashClient.Json))!["startsAt"]!.GetValue<DateTimeOffset>();

        var held = await TicketFlashClient.ReadAsync<Order>(await client.SendAsync(HttpMethod.Post, "/api/orders", alice, new { eventId, quantity = 1, sectionId = "R" }, "t-1"));
        var paid = await TicketFlashClient.ReadAsync<Order>(await client.SendAsync(HttpMethod.Post, $"/api/orders/{held.OrderId}/pay", alice));
        var ticketId = paid.Tickets.Single().TicketId;
        var oldCode = await CodeOf(client, alice, ticketId);

        var transfer = await client.SendAsync(HttpMethod.Post, $"/api/tickets/{ticketId}/transfer", alice, new { to = "bob" });
        Assert.Equal(HttpStatusCode.OK, transfer.StatusCode);
        var moved = await transfer.Content.ReadFromJsonAsync<JsonObject>(TicketFlashClient.Json);
        Assert.Equal("bob", moved!["ownerId"]!.GetValue<string>());
        Assert.Equal("Transferred", moved["status"]!.GetValue<string>());

        // The recipient sees it; the giver no longer does, nor can act on it.
        Assert.Contains(await MyTickets(client, bob), t => t == ticketId);
        Assert.DoesNotContain(await MyTickets(client, alice), t => t == ticketId);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Post, $"/api/tickets/{ticketId}/transfer", alice, new { to = "carol" })).StatusCode);

        var scanAt = starts.AddHours(-1);
        Assert.Equal("Revoked", await Scan(client, gate, eventId, oldCode, scanAt));
        var newCode = await CodeOf(client, bob, ticketId);
        Assert.NotEqual(oldCode, newCode);
        Assert.Equal("Admitted", await Scan(client, gate, eventId, newCode, scanAt));
        Assert.Equal("AlreadyCheckedIn", await Scan(client, gate, eventId, newCode, scanAt.AddMinutes(1)));
    }

    private static async Task<string> CodeOf(TicketFlashClient client, string token, Guid ticketId)
    {
        var response = await client.SendAsync(HttpMethod.Get, $"/api/tickets/{ticketId}/code", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(TicketFlashClient.Json))!["code"]!.GetValue<string>();
    }

    private static async Task<List<Guid>> MyTickets(TicketFlashClient client, string token) =>
        (await TicketFlashClient.ReadAsync<List<Ticket>>(await client.SendAsync(HttpMethod.Get, "/api/me/tickets", token))).Select(t => t.TicketId).ToList();

    private static async Task<string> Scan(TicketFlashClient client, string token, Guid eventId, string code, DateTimeOffset at)
    {
        var response = await client.SendAsync(HttpMethod.Post, "/api/checkin", token, new { eventId, code, gate = "north", deviceId = "d1", scannedAt = at });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(TicketFlashClient.Json))!["result"]!.GetValue<string>();
    }
}
