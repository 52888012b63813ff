using System.Net;
using System.Text.Json;
using TicketFlash.Integration.Tests.Infrastructure;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Api;

/// <summary>A retried request never creates a second order nor a second charge, whichever API node and silo it reaches.</summary>
[Collection(TwoNodeCollection.Name)]
public sealed class IdempotencyTests(TwoNodeCluster cluster)
{
    [Fact]
    public async Task Same_key_sent_20_times_concurrently_through_both_API_nodes_is_one_order_then_10_payments_are_one_sale()
    {
        Assert.Equal(2, cluster.Clients.Count);
        var a = cluster.Clients[0];
        var organizer = await a.TokenAsync("idem-org", ["organizer"], "idem");
        var venue = await a.CreateVenueAsync(organizer, new { id = "GA", name = "Floor", capacity = 100 }, new { id = "R", name = "Rows", rows = 4, seatsPerRow = 10 });
        var eventId = await a.CreateEventAsync(organizer, venue, ["GA", "R"]);
        var fan = await a.TokenAsync(Unique("idem-fan"), ["fan"]);
        const int quantity = 3;
        var key = Guid.NewGuid().ToString("N");
        var body = new { eventId, quantity, sectionId = "R" };

        // Released together, alternating API nodes.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var placing = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await start.Task;
            var response = await cluster.Clients[i % 2].SendAsync(HttpMethod.Post, "/api/orders", fan, body, key);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })).ToList();
        start.SetResult();
        var placed = await Task.WhenAll(placing);

        Assert.All(placed, p => Assert.True(p.StatusCode == HttpStatusCode.Created, $"{(int)p.StatusCode}: {p.Body}"));
        var orders = placed.Select(p => JsonSerializer.Deserialize<Order>(p.Body, TicketFlashClient.Json)!).ToList();
        var orderId = Assert.Single(orders.Select(o => o.OrderId).Distinct());
        Assert.All(orders, o => Assert.Equal(("Held", quantity), (o.Status, o.Quantity)));
        Assert.Single(orders.Select(o => string.Join(',', o.Seats)).Distinct()); // the same seats every time
        Assert.Single(orders.Select(o => o.ExpiresAt).Distinct());

        foreach (var client in cluster.Clients)
        {
            var mine = await client.MyOrdersAsync(fan);
            Assert.Equal(orderId, Assert.Single(mine).OrderId);
            var stock = await client.AvailabilityAsync(eventId);
            Assert.Equal(quantity, stock.Held);
            Assert.Equal(quantity, stock.Sections.Single(s => s.SectionId == "R").Held);
            Assert.Equal(0, stock.Sold);
        }

        var payStart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var paying = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            await payStart.Task;
            var response = await cluster.Clients[i % 2].SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/pay", fan);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })).ToList();
        payStart.SetResult();
        var paid = await Task.WhenAll(paying);

        Assert.All(paid, p => Assert.True(p.StatusCode == HttpStatusCode.OK, $"{(int)p.StatusCode}: {p.Body}"));
        var confirmations = paid.Select(p => JsonSerializer.Deserialize<Order>(p.Body, TicketFlashClient.Json)!).ToList();
        Assert.All(confirmations, c => Assert.Equal(("Confirmed", orderId), (c.Status, c.OrderId)));
        var tickets = confirmations.Select(c => JsonSerializer.Serialize(c.Tickets, TicketFlashClient.Json)).Distinct().ToList();
        Assert.Single(tickets);
        Assert.Equal(quantity, confirmations[0].Tickets.Count);
        Assert.Equal(quantity, confirmations[0].Tickets.Select(t => t.TicketId).Distinct().Count());
        Assert.Equal(orders[0].Seats.Order(), confirmations[0].Tickets.Select(t => t.SeatId!).Order());

        foreach (var client in cluster.Clients)
        {
            var stock = await client.AvailabilityAsync(eventId);
            Assert.Equal((quantity, 0), (stock.Sold, stock.Held));
            Assert.Equal(140 - quantity, stock.Sections.Sum(s => s.Available));
            var mine = await client.MyOrdersAsync(fan);
            Assert.Equal(("Confirmed", orderId), (Assert.Single(mine).Status, mine[0].OrderId));
            var myTickets = await TicketFlashClient.ReadAsync<List<Ticket>>(await client.SendAsync(HttpMethod.Get, "/api/me/tickets", fan));
            Assert.Equal(confirmations[0].Tickets.Select(t => t.TicketId).Order(), myTickets.Select(t => t.TicketId).Order());
        }
    }
}
