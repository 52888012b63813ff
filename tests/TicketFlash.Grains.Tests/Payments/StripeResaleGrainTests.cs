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

    private async Task<(IListingGrain Listing, Guid ListingId, Guid TicketId, string SellerId)> Listed()
    {
        var grains = cluster.GrainFactory;
        var evt = await GateKit.CreateEvent(grains, [Sections.GeneralAdmission("ga", 10)]);
        var seller = Actors.Fan("seller");
        var order = grains.GetGrain<IOrderGrain>(OrderIds.Derive(seller.UserId, Guid.NewGuid().ToString("N")));
        await order.Place(seller, new PlaceOrderCommand(evt.Id, 1, null, null));
        cluster.Stripe.Succeed((await order.Pay(seller)).Payment!.IntentId);
        var ticketId = (await order.Pay(seller)).Tickets[0].TicketId;
        var listingId = (await grains.GetGrain<ITicketGrain>(ticketId).List(seller, 20m)).ListingId!.Value;
        return (grains.GetGrain<IListingGrain>(listingId), listingId, ticketId, seller.UserId);
    }

    [Fact]
    public async Task A_payment_failed_notice_reopens_the_listing_moves_no_ticket_and_a_redelivery_changes_nothing()
    {
        var (listing, _, ticketId, sellerId) = await Listed();
        var intentId = (await listing.Buy(Actors.Fan("buyer"), "k1")).Payment!.IntentId;
        cluster.Stripe.Fail(intentId);

        Assert.Equal(PaymentNoticeOutcome.Released, await listing.OnPaymentNotice(new PaymentNotice("evt_fail_1", PaymentNoticeKind.Failed, intentId)));
        Assert.Equal(PaymentNoticeOutcome.Duplicate, await listing.OnPaymentNotice(new PaymentNotice("evt_fail_1", PaymentNoticeKind.Failed, intentId)));
        var details = await listing.GetUnchecked();
        Assert.Equal((ListingStatus.Open, (string?)null), (details.Status, details.BuyerId));
        var ticket = await cluster.GrainFactory.GetGrain<ITicketGrain>(ticketId).GetUnchecked();
        Assert.Equal((sellerId, TicketStatus.Listed), (ticket.OwnerId, ticket.Status));
        Assert.DoesNotContain(cluster.Stripe.Refunds, r => r.PaymentIntent == intentId);
    }

    [Fact]
    public async Task A_late_success_of_an_abandoned_attempt_is_refunded_once_and_the_next_buyer_keeps_the_ticket()
    {
        var (listing, listingId, ticketId, _) = await Listed();
        var first = Actors.Fan("first");
        var late = (await listing.Buy(first, "k1")).Payment!.IntentId;
        cluster.Stripe.Process(late); // cannot be cancelled any more
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var second = Actors.Fan("second");
        var paid = (await listing.Buy(second, "k2")).Payment!.IntentId;
        cluster.Stripe.Succeed(paid);
        Assert.Equal(ListingStatus.Sold, (await listing.Buy(second, "k2")).Status);

        cluster.Stripe.Succeed(late);
        Assert.Equal(PaymentNoticeOutcome.Refunded, await listing.OnPaymentNotice(new PaymentNotice("evt_late", PaymentNoticeKind.Succeeded, late)));
        Assert.Equal(PaymentNoticeOutcome.Duplicate, await listing.OnPaymentNotice(new PaymentNotice("evt_late", PaymentNoticeKind.Succeeded, late)));

        var refund = Assert.Single(cluster.Stripe.Refunds, r => r.PaymentIntent == late);
        Assert.Equal((2000L, $"resale-{listingId:N}-late-refund-{late}"), (refund.Amount, refund.IdempotencyKey));
        Assert.DoesNotContain(cluster.Stripe.Refunds, r => r.PaymentIntent == paid);
        var details = await listing.GetUnchecked();
        Assert.Equal((ListingStatus.Sold, second.UserId), (details.Status, details.BuyerId));
        Assert.Equal(second.UserId, (await cluster.GrainFactory.GetGrain<ITicketGrain>(ticketId).GetUnchecked()).OwnerId);
    }
}
