using System.Net;
using TicketFlash.Integration.Tests.Infrastructure;

namespace TicketFlash.Integration.Tests.Storage;

public sealed class RestartTests
{
    private static readonly object[] Sections = [new { id = "GA", name = "Floor", capacity = 50 }, new { id = "R", name = "Rows", rows = 2, seatsPerRow = 5 }];

    [Fact]
    public async Task State_survives_a_full_cluster_restart()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        Guid eventId, orderId;
        List<string> seats;
        await using (var cluster = await ProcessCluster.StartAsync(db.ConnectionString, silos: 1, apis: 1))
        {
            using var client = new TicketFlashClient(cluster.ApiUrls[0]);
            var organizer = await client.TokenAsync("org", ["organizer"], "t1");
            var fan = await client.TokenAsync("fan-restart", ["fan"]);
            eventId = await client.CreateOpenEventAsync(organizer, Sections, ["GA", "R"]);
            var held = await TicketFlashClient.ReadAsync<Order>(await client.SendAsync(HttpMethod.Post, "/api/orders", fan,
                new { eventId, quantity = 2, sectionId = "R" }, "restart-1"));
            orderId = held.OrderId;
            var paid = await client.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/pay", fan);
            Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
            seats = (await TicketFlashClient.ReadAsync<Order>(paid)).Seats;
        }

        await using (var cluster = await ProcessCluster.StartAsync(db.ConnectionString, silos: 1, apis: 1))
        {
            using var client = new TicketFlashClient(cluster.ApiUrls[0]);
            var fan = await client.TokenAsync("fan-restart", ["fan"]);
            var order = await TicketFlashClient.ReadAsync<Order>(await client.SendAsync(HttpMethod.Get, $"/api/orders/{orderId}", fan));
            Assert.Equal("Confirmed", order.Status);
            Assert.Equal(seats, order.Seats);
            var availability = await client.AvailabilityAsync(eventId);
            Assert.Equal(2, availability.Sections.Single(s => s.SectionId == "R").Sold);
            Assert.Equal(8, availability.Sections.Single(s => s.SectionId == "R").Available);
            var tickets = await TicketFlashClient.ReadAsync<List<Ticket>>(await client.SendAsync(HttpMethod.Get, "/api/me/tickets", fan));
            Assert.Equal(seats.Order(), tickets.Select(t => t.SeatId!).Order());
            // The same seats can't be bought again after the restart.
            var again = await client.SendAsync(HttpMethod.Post, "/api/orders", fan, new { eventId, quantity = 1, sectionId = "R", seats = new[] { seats[0] } }, "restart-2");
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }
    }
}
