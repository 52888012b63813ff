using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Resale;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tests.Infrastructure;
using TicketFlash.Grains.Tests.Tickets.Lifecycle;

namespace TicketFlash.Grains.Tests.Payments;

/// <summary>Resale with Stripe (fake): an abandoned pay window (2 s in this cluster) reopens the listing and cancels the intent.</summary>
[Collection(StripeClusterCollection.Name)]
public sealed class StripeResaleGrainTests(StripeClusterFixture cluster)
{
    [Fact]
    public async Task An_unpaid_attempt_past_the_window_reopens_the_listing_for_the_next_buyer_and_cancels_its_intent()
    {
        var grains = cluster.GrainFactory;
        var evt = await GateKit.CreateEvent(grains, [Sections.GeneralAdmission("ga", 10)]);
        var seller = Actors.Fan("seller");
        var order = grains.GetGrain<IOrderGrain>(OrderIds.Derive(seller.UserId, Guid.NewGuid().ToString("N")));
        await order.Place(seller, new PlaceOrderCommand(evt.Id, 1, null, null));
        cluster.Stripe.Succeed((await order.Pay(seller)).Payment!.IntentId);
        var ticketId = (await order.Pay(seller)).Tickets[0].TicketId;
        var listed = await grains.GetGrain<ITicketGrain>(ticketId).List(seller, 20m);
        var listing = grains.GetGrain<IListingGrain>(listed.ListingId!.Value);

        var first = Actors.Fan("first");
        var abandoned = (await listing.Buy(first, "k1")).Payment!.IntentId;
        Assert.Equal(ListingStatus.Paying, (await listing.GetUnchecked()).Status);
        var second = Actors.Fan("second");
        await DomainAssert.Refuses(DomainErrorCode.ListingUnavailable, () => listing.Buy(second, "k2")); // inside the window

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var taken = await listing.Buy(second, "k2");
        Assert.Equal((ListingStatus.Paying, second.UserId), (taken.Status, taken.BuyerId));
        Assert.NotEqual(abandoned, taken.Payment!.IntentId);
        Assert.Equal("canceled", cluster.Stripe.Intent(abandoned)["status"]!.GetValue<string>());
        Assert.Equal(seller.UserId, (await grains.GetGrain<ITicketGrain>(ticketId).GetUnchecked()).OwnerId);
    }
}
