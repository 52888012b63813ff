using System.Net;
using TicketFlash.Integration.Tests.Api;
using TicketFlash.Integration.Tests.Infrastructure;
using TicketFlash.Integration.Tests.Tickets;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Resale;

public sealed record ListingTermsBody(Guid ListingId, Guid TicketId, Guid EventId, string SellerId, decimal Price, string Currency, decimal FaceValue);

public sealed record ListingBody(ListingTermsBody Terms, string Status, string? BuyerId, DateTimeOffset? SoldAt);

public sealed record PublicListingBody(Guid ListingId, Guid TicketId, decimal Price, decimal FaceValue, string Status);

public sealed record ProceedsBody(Guid ListingId, Guid TicketId, decimal Amount, string Currency);

/// <summary>The resale market over HTTP (1 silo + 1 API on PostgreSQL): cap, listed-ticket limits, idempotent and racing buys.</summary>
[Collection(OneNodeCollection.Name)]
public sealed class ResaleHttpTests(OneNodeCluster cluster)
{
    private TicketFlashClient Api => cluster.Client;

    /// <summary>Face value 40 EUR, cap 110 % → at most 44 EUR.</summary>
    private Task<GateWorld> World() => cluster.Once("resale-http", c => c.Client.CreateGateWorldAsync("resale", price: 40m, resaleCapPercent: 110));

    private async Task<ListingBody> ListAsync(string seller, Guid ticketId, decimal price)
    {
        var response = await Api.SendAsync(HttpMethod.Post, $"/api/tickets/{ticketId}/listings", seller, new { price });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await DescribeAsync(response));
        return await TicketFlashClient.ReadAsync<ListingBody>(response);
    }

    private Task<HttpResponseMessage> BuyAsync(string buyer, Guid listingId, string? key) =>
        Api.SendAsync(HttpMethod.Post, $"/api/listings/{listingId}/buy", buyer, idempotencyKey: key);

    [Fact]
    public async Task Above_the_cap_is_a_422_problem_of_its_own_type_bad_prices_are_400_and_the_cap_itself_lists()
    {
        var world = await World();
        var (seller, order) = await Api.BuyAsync(world.EventId, 1);
        var ticketId = order.Tickets[0].TicketId;
        var path = $"/api/tickets/{ticketId}/listings";

        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Post, path, seller, new { price = 44.01m }), 422, "resale-price-above-cap");
        foreach (var bad in new object[] { new { price = 0m }, new { price = -5m }, new { price = 1.001m }, new { }, new { price = 2_000_000m } })
            await AssertProblemAsync(await Api.SendAsync(HttpMethod.Post, path, seller, bad), 400, "validation");
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Post, path, await Api.TokenAsync(Unique("thief"), ["fan"]), new { price = 10m }), 403, "forbidden");
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Post, $"/api/tickets/{Guid.NewGuid()}/listings", seller, new { price = 10m }), 404, "not-found");
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Delete, path, seller), 409, "invalid-state", "delist a ticket that is not listed");

        var listing = await ListAsync(seller, ticketId, 44m);
        Assert.Equal(("Open", 44m, 40m), (listing.Status, listing.Terms.Price, listing.Terms.FaceValue));
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Post, path, seller, new { price = 30m }), 409, "invalid-state", "listing twice");
        var browse = await TicketFlashClient.ReadAsync<List<PublicListingBody>>(await Api.SendAsync(HttpMethod.Get, $"/api/events/{world.EventId}/listings", null));
        Assert.Contains(browse, l => l.ListingId == listing.Terms.ListingId && l.Price == 44m);
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Get, $"/api/events/{Guid.NewGuid()}/listings", null), 404, "not-found");
    }

    [Fact]
    public async Task A_listed_ticket_is_refused_at_the_gate_and_cannot_be_transferred_until_delisted()
    {
        var world = await World();
        var (seller, order) = await Api.BuyAsync(world.EventId, 1);
        var ticketId = order.Tickets[0].TicketId;
        var code = await Api.CodeAsync(seller, ticketId);
        await ListAsync(seller, ticketId, 20m);

        Assert.Equal("NotActive", (await Api.ScanAsync(world.Staff, world.EventId, code)).Result);
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Post, $"/api/tickets/{ticketId}/transfer", seller, new { to = "friend" }), 409, "invalid-state");

        var delisted = await Api.SendAsync(HttpMethod.Delete, $"/api/tickets/{ticketId}/listings", seller);
        Assert.True(delisted.StatusCode == HttpStatusCode.OK, await DescribeAsync(delisted));
        Assert.Equal("Withdrawn", (await TicketFlashClient.ReadAsync<ListingBody>(delisted)).Status);
        Assert.Equal("Active", (await Api.TicketAsync(seller, ticketId)).Status);
        Assert.Equal("Admitted", (await Api.ScanAsync(world.Staff, world.EventId, code)).Result);
    }

    [Fact]
    public async Task A_buy_is_idempotent_racing_buyers_get_one_winner_and_the_ticket_moves_with_a_new_serial()
    {
        var world = await World();
        var (seller, order) = await Api.BuyAsync(world.EventId, 1);
        var ticketId = order.Tickets[0].TicketId;
        var oldCode = await Api.CodeAsync(seller, ticketId);
        var listingId = (await ListAsync(seller, ticketId, 35m)).Terms.ListingId;
        var buyers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Api.TokenAsync(Unique($"buyer{i}"), ["fan"])));

        await AssertProblemAsync(await BuyAsync(buyers[0], listingId, null), 400, "validation", "no Idempotency-Key");
        await AssertProblemAsync(await BuyAsync(seller, listingId, "own"), 400, "validation", "the seller buys");
        var responses = await Task.WhenAll(buyers.Select(b => BuyAsync(b, listingId, "buy-1")));

        var won = responses.Select((r, i) => (r, i)).Where(x => x.r.StatusCode == HttpStatusCode.OK).ToList();
        var winner = Assert.Single(won);
        foreach (var lost in responses.Where(r => r.StatusCode != HttpStatusCode.OK)) await AssertProblemAsync(lost, 409, "listing-unavailable");
        var sold = await TicketFlashClient.ReadAsync<ListingBody>(winner.r);
        Assert.Equal("Sold", sold.Status);

        var retry = await BuyAsync(buyers[winner.i], listingId, "buy-1");
        Assert.True(retry.StatusCode == HttpStatusCode.OK, await DescribeAsync(retry));
        Assert.Equal(sold.SoldAt, (await TicketFlashClient.ReadAsync<ListingBody>(retry)).SoldAt);

        var moved = await Api.TicketAsync(buyers[winner.i], ticketId);
        Assert.Equal(("Transferred", 2), (moved.Status, moved.Serial));
        Assert.Equal("Revoked", (await Api.ScanAsync(world.Staff, world.EventId, oldCode)).Result);
        Assert.Equal("Admitted", (await Api.ScanAsync(world.Staff, world.EventId, await Api.CodeAsync(buyers[winner.i], ticketId))).Result);

        var proceeds = await TicketFlashClient.ReadAsync<List<ProceedsBody>>(await Api.SendAsync(HttpMethod.Get, "/api/me/proceeds", seller));
        Assert.Equal((listingId, 35m), (Assert.Single(proceeds).ListingId, proceeds[0].Amount));
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Get, $"/api/tickets/{ticketId}", seller), 403, "forbidden");
    }
}
