using System.Net;
using System.Text.Json.Nodes;
using TicketFlash.Integration.Tests.Infrastructure;
using TicketFlash.Integration.Tests.Tickets;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Payments;

/// <summary>
/// Orders paid with Stripe PaymentIntents on real processes, Stripe played by <see cref="StripeFake"/>: intent per order,
/// confirmation by webhook or by the fan's confirm (once), late payments refunded, failed payments released, webhooks
/// verified by signature.
/// </summary>
[Collection(StripeCollection.Name)]
public sealed class StripeOrderPaymentTests(StripeCluster stripe)
{
    private TicketFlashClient Api => stripe.Client;

    private StripeFake Fake => stripe.Stripe;

    private Task<GateWorld> World() => Api.CreateGateWorldAsync("stripe", price: 40m);

    [Fact]
    public async Task Pay_creates_one_intent_per_order_in_minor_units_and_a_webhook_racing_the_fans_confirm_confirms_once()
    {
        var world = await World();
        var fan = await Api.TokenAsync(Unique("fan"), ["fan"]);
        var (held, intentId, pending) = await Api.StartPaymentAsync(fan, world.EventId, 2);
        Assert.StartsWith(intentId + "_secret_", pending.Str("payment.clientSecret"));
        Assert.Empty(pending["tickets"]!.AsArray());

        // Paying again before the browser confirmed: the same intent (Stripe's idempotency key is the order's).
        var again = await Api.PayAsync(fan, held.OrderId);
        Assert.Equal(("PaymentPending", intentId), (again.Str("status"), again.Str("payment.intentId")));
        var intents = Fake.IntentsFor("order_id", held.OrderId.ToString());
        var intent = Assert.Single(intents);
        Assert.Equal((8000L, "eur", "requires_payment_method"), (intent["amount"]!.GetValue<long>(), intent.Str("currency"), intent.Str("status")));
        var create = Assert.Single(Fake.Requests, r => r.Path == "/v1/payment_intents" && r.Form.GetValueOrDefault("metadata[order_id]") == held.OrderId.ToString());
        Assert.Equal(($"order-{held.OrderId:N}-intent", "8000", "eur"), (create.IdempotencyKey, create.Form["amount"], create.Form["currency"]));
        Assert.Contains(Fake.Requests, r => r.Method == "GET" && r.Path == $"/v1/payment_intents/{intentId}"); // the second pay asked Stripe

        Fake.Succeed(intentId); // the fan confirmed with Stripe.js
        var webhook = Fake.Event("payment_intent.succeeded", intentId);
        var results = await Task.WhenAll(
            Api.DeliverAsync(webhook),
            Api.PayAsync(fan, held.OrderId).ContinueWith(t => t.Result.Str("status")),
            Api.PayAsync(fan, held.OrderId).ContinueWith(t => t.Result.Str("status")));
        Assert.Contains(results[0], new[] { "Confirmed", "AlreadyApplied" });
        Assert.Equal(["Confirmed", "Confirmed"], results[1..]);

        var order = await Api.OrderJsonAsync(fan, held.OrderId);
        var issuedAt = order["tickets"]!.AsArray().Select(t => t!.Str("issuedAt")).Distinct().ToList();
        Assert.Equal(("Confirmed", 2), (order.Str("status"), order["tickets"]!.AsArray().Count));
        Assert.Single(issuedAt); // one confirmation: a second would have re-stamped the tickets
        Assert.Null(order["payment"]!["clientSecret"]);

        // Later deliveries (a new event id for the same success) change nothing.
        Assert.Equal("AlreadyApplied", await Api.DeliverAsync(Fake.Event("payment_intent.succeeded", intentId)));
        var after = await Api.OrderJsonAsync(fan, held.OrderId);
        Assert.Equal(issuedAt, after["tickets"]!.AsArray().Select(t => t!.Str("issuedAt")).Distinct().ToList());
        var stock = await Api.AvailabilityAsync(world.EventId);
        Assert.Equal((2, 0), (stock.Sold, stock.Held));
        Assert.DoesNotContain(Fake.Refunds, r => r.PaymentIntent == intentId);
    }

    [Fact]
    public async Task The_same_webhook_delivered_ten_times_at_once_confirms_once()
    {
        var world = await World();
        var fan = await Api.TokenAsync(Unique("fan"), ["fan"]);
        var (held, intentId, _) = await Api.StartPaymentAsync(fan, world.EventId, 3);
        Fake.Succeed(intentId);
        var webhook = Fake.Event("payment_intent.succeeded", intentId);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Api.DeliverAsync(webhook)));
        Assert.Equal(1, outcomes.Count(o => o == "Confirmed"));
        Assert.Equal(9, outcomes.Count(o => o == "Duplicate"));
        Assert.Equal("Duplicate", await Api.DeliverAsync(webhook)); // and a redelivery later

        var order = await Api.OrderJsonAsync(fan, held.OrderId);
        Assert.Equal(("Confirmed", 3), (order.Str("status"), order["tickets"]!.AsArray().Count));
        var stock = await Api.AvailabilityAsync(world.EventId);
        Assert.Equal((3, 0), (stock.Sold, stock.Held));
    }

    [Fact]
    public async Task A_payment_that_succeeds_after_the_hold_expired_is_refunded_through_Stripe_and_issues_no_ticket()
    {
        var organizer = await Api.TokenAsync(Unique("org"), ["organizer"], Unique("late"));
        var venue = await Api.CreateVenueAsync(organizer, new { id = "R", name = "Row", rows = 1, seatsPerRow = 2 });
        var eventId = await Api.CreateEventAsync(organizer, venue, ["R"], holdMinutes: 0.05, price: 25m); // a 3-second hold
        var fan = await Api.TokenAsync(Unique("fan"), ["fan"]);
        var (held, intentId, _) = await Api.StartPaymentAsync(fan, eventId, 2, "R");
        Fake.Process(intentId); // a bank debit: settles later, and Stripe refuses to cancel it meanwhile

        // The hold ends: the order tries to cancel the intent (refused: processing) and releases the seats anyway.
        await PollAsync(() => Api.AvailabilityAsync(eventId), a => a.Held == 0, TimeSpan.FromSeconds(45), "the expired hold is released");
        Assert.Equal("Expired", (await Api.OrderJsonAsync(fan, held.OrderId)).Str("status"));
        Assert.Contains(Fake.Requests, r => r.Path == $"/v1/payment_intents/{intentId}/cancel" && r.Status == 400);
        // Someone else buys the very seats.
        var other = await Api.TokenAsync(Unique("fan"), ["fan"]);
        var (otherHeld, otherIntent, _) = await Api.StartPaymentAsync(other, eventId, 2, "R");
        Assert.Equal(["A-1", "A-2"], otherHeld.Seats.Order());

        Fake.Succeed(intentId); // the debit settles: money taken for seats the order no longer holds
        Assert.Equal("Refunded", await Api.DeliverAsync(Fake.Event("payment_intent.succeeded", intentId)));
        var refund = Assert.Single(Fake.Refunds, r => r.PaymentIntent == intentId);
        Assert.Equal((5000L, $"order-{held.OrderId:N}-late-refund"), (refund.Amount, refund.IdempotencyKey));
        var order = await Api.OrderJsonAsync(fan, held.OrderId);
        Assert.Equal(("Expired", refund.Id), (order.Str("status"), order.Str("payment.refundId")));
        Assert.Empty(order["tickets"]!.AsArray());
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Post, $"/api/orders/{held.OrderId}/pay", fan), 409, "hold-expired");

        // Redelivered, or told again under a new event id: still one refund.
        Assert.Equal("AlreadyApplied", await Api.DeliverAsync(Fake.Event("payment_intent.succeeded", intentId)));
        Assert.Single(Fake.Refunds, r => r.PaymentIntent == intentId);
        // The seats went to the other fan, who pays and gets them.
        Fake.Succeed(otherIntent);
        Assert.Equal("Confirmed", await Api.DeliverAsync(Fake.Event("payment_intent.succeeded", otherIntent)));
        var stock = await Api.AvailabilityAsync(eventId);
        Assert.Equal((2, 0), (stock.Sold, stock.Held));
    }

    [Fact]
    public async Task An_unpaid_intent_is_cancelled_at_Stripe_when_the_hold_expires()
    {
        var organizer = await Api.TokenAsync(Unique("org"), ["organizer"], Unique("exp"));
        var venue = await Api.CreateVenueAsync(organizer, new { id = "GA", name = "Floor", capacity = 5 });
        var eventId = await Api.CreateEventAsync(organizer, venue, ["GA"], holdMinutes: 0.05);
        var fan = await Api.TokenAsync(Unique("fan"), ["fan"]);
        var (held, intentId, _) = await Api.StartPaymentAsync(fan, eventId, 1, "GA");

        await PollAsync(() => Task.FromResult(Fake.Intent(intentId).Str("status")), s => s == "canceled", TimeSpan.FromSeconds(45), "the intent is cancelled at Stripe");
        Assert.Contains(Fake.Requests, r => r.Path == $"/v1/payment_intents/{intentId}/cancel" && r.IdempotencyKey == $"order-{held.OrderId:N}-cancel" && r.Status == 200);
        await PollAsync(() => Api.AvailabilityAsync(eventId), a => a.Held == 0 && a.Sold == 0, TimeSpan.FromSeconds(15), "the seats are released");
        var order = await Api.OrderJsonAsync(fan, held.OrderId);
        Assert.Equal(("Expired", "canceled"), (order.Str("status"), order.Str("payment.intentStatus")));
    }

    [Fact]
    public async Task A_failed_payment_releases_the_hold_and_cancels_the_intent()
    {
        var world = await World();
        var fan = await Api.TokenAsync(Unique("fan"), ["fan"]);
        var (held, intentId, _) = await Api.StartPaymentAsync(fan, world.EventId, 2);
        Fake.Fail(intentId, "Your card was declined.");

        var failed = Fake.Event("payment_intent.payment_failed", intentId);
        Assert.Equal("Released", await Api.DeliverAsync(failed));
        Assert.Equal("Duplicate", await Api.DeliverAsync(failed));
        var order = await Api.OrderJsonAsync(fan, held.OrderId);
        Assert.Equal(("Cancelled", "Your card was declined."), (order.Str("status"), order.Str("payment.failureReason")));
        Assert.Equal("canceled", Fake.Intent(intentId).Str("status"));
        Assert.Equal(0, (await Api.AvailabilityAsync(world.EventId)).Held);
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Post, $"/api/orders/{held.OrderId}/pay", fan), 409, "invalid-state");
    }

    [Fact]
    public async Task Webhooks_with_a_bad_signature_are_400_and_change_nothing_unknown_types_are_acknowledged_and_ignored()
    {
        var world = await World();
        var fan = await Api.TokenAsync(Unique("fan"), ["fan"]);
        var (held, intentId, _) = await Api.StartPaymentAsync(fan, world.EventId, 1);
        Fake.Succeed(intentId);
        var good = Fake.Event("payment_intent.succeeded", intentId);

        var forged = Fake.Event("payment_intent.succeeded", intentId, secret: "whsec_not_the_endpoints_secret");
        var stale = Fake.Event("payment_intent.succeeded", intentId, timestamp: DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds());
        var cases = new (string What, string Body, string? Signature)[]
        {
            ("signed with another secret", forged.Body, forged.Signature),
            ("body changed after signing", good.Body.Replace("\"livemode\":false", "\"livemode\":true "), good.Signature),
            ("timestamp outside the 300 s tolerance", stale.Body, stale.Signature),
            ("no Stripe-Signature header", good.Body, null),
            ("garbage header", good.Body, "t=abc,v1=zzz"),
            ("not JSON", "{{{", EventUtilityHeader("{{{")),
        };
        foreach (var (what, body, signature) in cases)
            await AssertProblemAsync(await Api.PostWebhookAsync(body, signature), 400, "webhook-signature", what);
        Assert.Equal("PaymentPending", (await Api.OrderJsonAsync(fan, held.OrderId)).Str("status"));

        foreach (var type in new[] { "payment_intent.created", "charge.refunded", "customer.created" })
            Assert.Equal("ignored", await Api.DeliverAsync(Fake.Event(type, intentId)));
        Assert.Equal("PaymentPending", (await Api.OrderJsonAsync(fan, held.OrderId)).Str("status"));

        Assert.Equal("Confirmed", await Api.DeliverAsync(good)); // the genuine one still works
    }

    [Fact]
    public async Task While_Stripe_is_down_pay_is_a_503_problem_and_the_retry_afterwards_gets_the_one_intent()
    {
        var world = await World();
        var fan = await Api.TokenAsync(Unique("fan"), ["fan"]);
        var held = await Api.HoldAsync(fan, world.EventId, 1);
        Fake.Outage = true;
        try
        {
            await AssertProblemAsync(await Api.SendAsync(HttpMethod.Post, $"/api/orders/{held.OrderId}/pay", fan), 503, "unavailable");
        }
        finally
        {
            Fake.Outage = false;
        }
        Assert.Equal("Held", (await Api.OrderJsonAsync(fan, held.OrderId)).Str("status"));
        var pending = await Api.PayAsync(fan, held.OrderId);
        Assert.Equal("PaymentPending", pending.Str("status"));
        Assert.Equal(pending.Str("payment.intentId"), Assert.Single(Fake.IntentsFor("order_id", held.OrderId.ToString())).Str("id"));
    }

    [Fact]
    public async Task The_client_config_reports_Stripe_and_its_publishable_key_and_never_the_secret()
    {
        var body = await Api.Http.GetStringAsync("/api/config");
        var config = JsonNode.Parse(body)!;
        Assert.Equal(("Stripe", StripeFake.PublishableKey), (config.Str("payments.gateway"), config.Str("payments.stripePublishableKey")));
        Assert.DoesNotContain(StripeFake.SecretKey, body);
        Assert.DoesNotContain(StripeFake.WebhookSecret, body);
    }

    private static string EventUtilityHeader(string body) => Stripe.EventUtility.GenerateSignatureHeader(body, StripeFake.WebhookSecret, null);
}
