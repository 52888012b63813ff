using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using TicketFlash.Integration.Tests.Api;
using TicketFlash.Integration.Tests.Infrastructure;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Hosting;

/// <summary>A silo co-hosting the API (`deploy/run.sh`'s default), a plain silo and a separate API node, one cluster.</summary>
public sealed class CoHostedCluster() : SharedCluster(silos: 1, apis: 1, coHosted: 1);

/// <summary>
/// `TicketFlash.Silo --api` serves the same API from inside a silo: it sells, pushes live stock and agrees with an
/// API node that reaches the cluster as a client.
/// </summary>
public sealed class CoHostedSiloTests(CoHostedCluster cluster) : IClassFixture<CoHostedCluster>
{
    [Fact]
    public async Task A_silo_co_hosting_the_API_sells_pushes_live_stock_and_agrees_with_a_client_API_node()
    {
        var (coHosted, apiNode) = (cluster.Clients[0], cluster.Clients[1]);
        Assert.Equal(HttpStatusCode.OK, (await coHosted.Http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coHosted.Http.GetAsync("/openapi/v1.json")).StatusCode);
        var organizer = await coHosted.TokenAsync("cohost-org", ["organizer"], "cohost");
        var venue = await coHosted.CreateVenueAsync(organizer, new { id = "GA", name = "Floor", capacity = 20 });
        var eventId = await coHosted.CreateEventAsync(organizer, venue, ["GA"]);

        var pushes = new ConcurrentQueue<JsonElement>();
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(cluster.Cluster.ApiUrls[0], "/hubs/live")).Build();
        hub.On<JsonElement>("availabilityChanged", payload => pushes.Enqueue(payload.Clone()));
        await hub.StartAsync();
        await hub.InvokeAsync<JsonElement>("WatchEvent", eventId);

        // Bought through the client API node: the co-hosted node's watcher sees it sold.
        var fan = await apiNode.TokenAsync(Unique("cohost-fan"), ["fan"]);
        var order = await apiNode.HoldAsync(fan, eventId, 2, "GA");
        (await apiNode.SendAsync(HttpMethod.Post, $"/api/orders/{order.OrderId}/pay", fan)).EnsureSuccessStatusCode();
        await PollAsync(() => Task.FromResult(pushes.Any(p => SoldOf(p) == 2)), seen => seen, TimeSpan.FromSeconds(20), "a live push of 2 sold to the co-hosted node");

        // Bought through the co-hosted node: both nodes read the same orders and stock.
        var second = await coHosted.HoldAsync(fan, eventId, 3, "GA");
        var paid = await coHosted.SendAsync(HttpMethod.Post, $"/api/orders/{second.OrderId}/pay", fan);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        foreach (var node in cluster.Clients)
        {
            Assert.Equal("Confirmed", (await node.GetOrderAsync(fan, order.OrderId)).Status);
            Assert.Equal("Confirmed", (await node.GetOrderAsync(fan, second.OrderId)).Status);
            var stock = await node.AvailabilityAsync(eventId);
            Assert.Equal((5, 0, 15), (stock.Sold, stock.Held, stock.Sections.Single().Available));
        }

        // The co-hosted API denies by default like the separate one.
        Assert.Equal(HttpStatusCode.Unauthorized, (await coHosted.SendAsync(HttpMethod.Get, "/api/me/orders", token: null)).StatusCode);
    }

    private static int SoldOf(JsonElement snapshot) => snapshot.GetProperty("sections").EnumerateArray().Sum(s => s.GetProperty("sold").GetInt32());
}
