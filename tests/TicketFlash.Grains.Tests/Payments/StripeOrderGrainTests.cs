using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Streams;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Payments;

/// <summary>
/// The order grain as the one arbiter of a Stripe payment, watched on the sales stream: however many notices and
/// confirms arrive at once, one OrderConfirmed and one TicketIssued per ticket are published.
/// </summary>
[Collection(StripeClusterCollection.Name)]
public sealed class StripeOrderGrainTests(StripeClusterFixture cluster)
{
    [Fact]
    public async Task Webhook_notices_and_client_confirms_racing_publish_one_OrderConfirmed_and_each_ticket_once()
    {
        var sale = await TestSale.Create(cluster.GrainFactory, new SaleSpec { Price = 12.5m });
        await using var recorder = await DomainEventRecorder.Subscribe(cluster.Client, sale.EventId);
        var fan = Actors.Fan();
        var held = await sale.Place(fan, 2);
        var order = sale.Order(held.OrderId);

        var pending = await order.Pay(fan);
        Assert.Equal(OrderStatus.PaymentPending, pending.Status);
        var intentId = pending.Payment!.IntentId;
        Assert.Equal(2500L, cluster.Stripe.Intent(intentId)["amount"]!.GetValue<long>());
        cluster.Stripe.Succeed(intentId);

        // Three deliveries of one event, two other events about the same success, and three confirms by the fan, all at once.
        var notices = new[] { "evt_a", "evt_a", "evt_a", "evt_b", "evt_c" }.Select(id => order.OnPaymentNotice(new PaymentNotice(id, PaymentNoticeKind.Succeeded, intentId)));
        var confirms = Enumerable.Range(0, 3).Select(_ => order.Pay(fan));
        var outcomes = await Task.WhenAll(notices);
        var confirmed = await Task.WhenAll(confirms);

        Assert.All(confirmed, c => Assert.Equal(OrderStatus.Confirmed, c.Status));
        Assert.True(outcomes.Count(o => o == PaymentNoticeOutcome.Confirmed) <= 1, string.Join(", ", outcomes));
        Assert.DoesNotContain(outcomes, o => o is PaymentNoticeOutcome.Refunded or PaymentNoticeOutcome.Released or PaymentNoticeOutcome.Ignored);
        await recorder.WaitFor(e => e.OfType<TicketIssued>().Count() >= 2, "the tickets are issued");
        await Task.Delay(500); // any second confirmation would publish by now
        Assert.Single(recorder.OfType<OrderConfirmed>());
        Assert.Equal([0, 1], recorder.OfType<TicketIssued>().Select(t => OrderIds.FromTicketId(t.TicketId)!.Value.Index).Order());
        Assert.Equal((0, 2), ((await sale.Availability()).Held, (await sale.Availability()).Sold));
    }

    [Fact]
    public async Task A_late_success_on_an_expired_order_is_refunded_once_and_publishes_no_confirmation()
    {
        var sale = await TestSale.Create(cluster.GrainFactory, new SaleSpec { HoldDuration = TimeSpan.FromSeconds(3) });
        await using var recorder = await DomainEventRecorder.Subscribe(cluster.Client, sale.EventId);
        var fan = Actors.Fan();
        var held = await sale.Place(fan, 1);
        var order = sale.Order(held.OrderId);
        var intentId = (await order.Pay(fan)).Payment!.IntentId;
        cluster.Stripe.Process(intentId); // cannot be cancelled any more

        await Eventually.Until(() => order.PeekStatus(), s => s == OrderStatus.Expired, TimeSpan.FromSeconds(20), "the hold expires");
        cluster.Stripe.Succeed(intentId);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => order.OnPaymentNotice(new PaymentNotice($"evt_late_{i}", PaymentNoticeKind.Succeeded, intentId))));

        Assert.Equal(1, outcomes.Count(o => o == PaymentNoticeOutcome.Refunded));
        Assert.Equal(3, outcomes.Count(o => o == PaymentNoticeOutcome.AlreadyApplied));
        var refund = Assert.Single(cluster.Stripe.Refunds, r => r.PaymentIntent == intentId);
        Assert.Equal((4000L, $"order-{held.OrderId:N}-late-refund"), (refund.Amount, refund.IdempotencyKey));
        var details = await order.Get(fan);
        Assert.Equal((OrderStatus.Expired, refund.Id), (details.Status, details.Payment!.RefundId));
        Assert.Empty(details.Tickets);
        Assert.Empty(recorder.OfType<OrderConfirmed>());
        Assert.Empty(recorder.OfType<TicketIssued>());
    }
}
