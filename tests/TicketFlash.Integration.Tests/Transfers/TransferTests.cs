using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketFlash.Integration.Tests.Infrastructure;
using TicketFlash.Integration.Tests.Storage;
using TicketFlash.Integration.Tests.Tickets;

namespace TicketFlash.Integration.Tests.Transfers;

public sealed class TransferTests
{
    [Fact]
    public async Task A_transfer_voids_the_old_code_and_moves_the_ticket_to_the_recipient()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        await using var cluster = await ProcessCluster.StartAsync(db.ConnectionString, silos: 1, apis: 1);
        using var client = new TicketFlashClient(cluster.ApiUrls[0]);
        var world = await client.CreateGateWorldAsync("tt"); // gates open now: online scans are judged by the server's clock
        var (gate, eventId) = (world.Staff, world.EventId);
        var alice = await client.TokenAsync("alice", ["fan"]);
        var bob = await client.TokenAsync("bob", ["fan"]);

        var held = await TicketFlashClient.ReadAsync<Order>(await client.SendAsync(HttpMethod.Post, "/api/orders", alice, new { eventId, quantity = 1, sectionId = "lawn" }, "t-1"));
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

        Assert.Equal("Revoked", (await client.ScanAsync(gate, eventId, oldCode)).Result);
        var newCode = await CodeOf(client, bob, ticketId);
        Assert.NotEqual(oldCode, newCode);
        Assert.Equal("Admitted", (await client.ScanAsync(gate, eventId, newCode)).Result);
        Assert.Equal("AlreadyCheckedIn", (await client.ScanAsync(gate, eventId, newCode)).Result);
    }

    private static async Task<string> CodeOf(TicketFlashClient client, string token, Guid ticketId)
    {
        var response = await client.SendAsync(HttpMethod.Get, $"/api/tickets/{ticketId}/code", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(TicketFlashClient.Json))!["code"]!.GetValue<string>();
    }

    private static async Task<List<Guid>> MyTickets(TicketFlashClient client, string token) =>
        (await TicketFlashClient.ReadAsync<List<Ticket>>(await client.SendAsync(HttpMethod.Get, "/api/me/tickets", token))).Select(t => t.TicketId).ToList();
}
