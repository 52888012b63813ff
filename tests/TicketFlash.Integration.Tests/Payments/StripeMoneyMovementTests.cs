using System.Net;
using System.Text.Json.Nodes;
using Stripe;
using TicketFlash.Integration.Tests.Cancellation;
using TicketFlash.Integration.Tests.Infrastructure;
using TicketFlash.Integration.Tests.Tickets;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Payments;

/// <summary>
/// Every other money movement through Stripe (the fake) with an idempotency key: a single refund, the cancellation
/// refund run, a resale purchase (its own intent, confirmed by webhook) and its unwinding. Plus the fake's own honesty.
/// </summary>
[Collection(StripeCollection.Name)]
public sealed class StripeMoneyMovementTests(StripeCluster stripe)
{
    private TicketFlashClient Api => stripe.Client;

    private StripeFake Fake => stripe.Stripe;

    /// <summary>A fan pays an order of <paramref name="quantity"/> with Stripe (browser confirm + webhook).</summary>
    private async Task<(string Fan, Guid OrderId, string IntentId, List<Guid> Tickets)> BuyWithStripeAsync(Guid eventId, int quantity)
    {
        var fan = await Api.TokenAsync(Unique("fan"), ["fan"]);
        var (held, intentId, _) = await Api.StartPaymentAsync(fan, eventId, quantity);
        Fake.Succeed(intentId);
        Assert.Equal("Confirmed", await Api.DeliverAsync(Fake.Event("payment_intent.succeeded", intentId)));
        var order = await Api.OrderJsonAsync(fan, held.OrderId);
        return (fan, held.OrderId, intentId, [.. order["tickets"]!.AsArray().Select(t => Guid.Parse(t!.Str("ticketId")))]);
    }

    [Fact]
    public async Task A_single_refund_goes_through_Stripe_once_keyed_by_the_ticket()
    {
        var world = await Api.CreateGateWorldAsync("stripe-refund", price: 40m);
        var (_, _, intentId, tickets) = await BuyWithStripeAsync(world.EventId, 2);

        var path = $"/api/tickets/{tickets[0]}/refund";
        var first = await Api.SendAsync(HttpMethod.Post, path, world.Organizer, new { reason = "seat broken" });
        Assert.True(first.StatusCode == HttpStatusCode.OK, await DescribeAsync(first));
        var again = await Api.SendAsync(HttpMethod.Post, path, world.Organizer, new { reason = "seat broken" });
        Assert.True((int)again.StatusCode is 200 or 409, await DescribeAsync(again));

        var refund = Assert.Single(Fake.Refunds, r => r.PaymentIntent == intentId);
        Assert.Equal((4000L, $"refund-{tickets[0]:N}"), (refund.Amount, refund.IdempotencyKey));
    }

    [Fact]
    public async Task Cancelling_the_event_refunds_each_Stripe_paid_ticket_once_including_an_unwound_resale()
    {
        var world = await Api.CreateGateWorldAsync("stripe-cancel", price: 40m, resaleCapPercent: 110);
        var bought = new List<(string Fan, Guid OrderId, string IntentId, List<Guid> Tickets)>();
        for (var i = 0; i < 3; i++) bought.Add(await BuyWithStripeAsync(world.EventId, 2));

        // One ticket is resold on the market, paid by the buyer's own intent (metadata listing_id) and the webhook.
        var (seller, _, _, sellerTickets) = bought[0];
        var listed = await Api.SendAsync(HttpMethod.Post, $"/api/tickets/{sellerTickets[0]}/listings", seller, new { price = 35m });
        Assert.True(listed.StatusCode == HttpStatusCode.Created, await DescribeAsync(listed));
        var listingId = Guid.Parse(JsonNode.Parse(await listed.Content.ReadAsStringAsync())!.Str("terms.listingId"));
        var buyerId = Unique("buyer");
        var buyer = await Api.TokenAsync(buyerId, ["fan"]);
        var buy = await Api.SendAsync(HttpMethod.Post, $"/api/listings/{listingId}/buy", buyer, idempotencyKey: "buy-1");
        Assert.True(buy.StatusCode == HttpStatusCode.OK, await DescribeAsync(buy));
        var paying = JsonNode.Parse(await buy.Content.ReadAsStringAsync())!;
        Assert.Equal("Paying", paying.Str("status"));
        var resaleIntent = paying.Str("payment.intentId");
        Assert.StartsWith(resaleIntent + "_secret_", paying.Str("payment.clientSecret"));
        var publicView = await Api.Http.GetStringAsync($"/api/events/{world.EventId}/listings");
        Assert.DoesNotContain("_secret_", publicView); // the client secret goes to the buyer only
        var intent = Fake.Intent(resaleIntent);
        Assert.Equal((3500L, listingId.ToString()), (intent["amount"]!.GetValue<long>(), intent.Str("metadata.listing_id")));
        Assert.Contains(Fake.Requests, r => r.Path == "/v1/payment_intents" && r.IdempotencyKey == $"resale-{listingId:N}-1-intent");

        Fake.Succeed(resaleIntent);
        var sold = Fake.Event("payment_intent.succeeded", resaleIntent);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Api.DeliverAsync(sold)));
        Assert.Equal((1, 4), (outcomes.Count(o => o == "Confirmed"), outcomes.Count(o => o == "Duplicate")));
        var retried = await Api.SendAsync(HttpMethod.Post, $"/api/listings/{listingId}/buy", buyer, idempotencyKey: "buy-1");
        Assert.Equal("Sold", JsonNode.Parse(await retried.Content.ReadAsStringAsync())!.Str("status"));
        Assert.Equal(buyerId, (await Api.TicketAsync(buyer, sellerTickets[0])).OwnerId);

        var cancel = await Api.SendAsync(HttpMethod.Post, $"/api/events/{world.EventId}/cancel", world.Organizer);
        Assert.True(cancel.StatusCode == HttpStatusCode.OK, await DescribeAsync(cancel));
        await PollAsync(async () => await TicketFlashClient.ReadAsync<RefundProgressBody>(await Api.SendAsync(HttpMethod.Get, $"/api/events/{world.EventId}/refunds", world.Organizer)),
            p => p.Status == "Completed", TimeSpan.FromSeconds(90), "the refund run completes", intervalMs: 500);

        // Each ticket's price back to its order's intent exactly once, keyed by the ticket; the resale buyer back on theirs.
        var orderIntents = bought.Select(b => b.IntentId).ToHashSet();
        var refunds = Fake.Refunds.Where(r => orderIntents.Contains(r.PaymentIntent)).ToList();
        var expectedKeys = bought.SelectMany(b => b.Tickets).Select(t => $"refund-{t:N}").Order().ToList();
        Assert.Equal(expectedKeys, refunds.Select(r => r.IdempotencyKey).Order().ToList());
        Assert.All(refunds, r => Assert.Equal(4000L, r.Amount));
        var resaleRefund = Assert.Single(Fake.Refunds, r => r.PaymentIntent == resaleIntent);
        Assert.Equal((3500L, $"resale-refund-{listingId:N}"), (resaleRefund.Amount, resaleRefund.IdempotencyKey));
    }

    [Fact]
    public async Task The_fake_checks_the_secret_key_form_bodies_amounts_and_idempotency_keys_like_Stripe()
    {
        var client = new StripeClient(new StripeClientOptions { ApiKey = StripeFake.SecretKey, ApiBase = Fake.Url.ToString().TrimEnd('/') });
        var intents = new PaymentIntentService(client);
        var options = new PaymentIntentCreateOptions { Amount = 1234, Currency = "eur", Metadata = new() { ["order_id"] = Guid.NewGuid().ToString() } };
        var key = $"fake-check-{Guid.NewGuid():N}";
        var first = await intents.CreateAsync(options, new RequestOptions { IdempotencyKey = key });
        var replay = await intents.CreateAsync(options, new RequestOptions { IdempotencyKey = key });
        Assert.Equal((first.Id, 1234L, "requires_payment_method"), (replay.Id, replay.Amount, replay.Status));

        var reused = await Assert.ThrowsAsync<StripeException>(() =>
            intents.CreateAsync(new PaymentIntentCreateOptions { Amount = 999, Currency = "eur" }, new RequestOptions { IdempotencyKey = key }));
        Assert.Equal((HttpStatusCode.BadRequest, "idempotency_error"), (reused.HttpStatusCode, reused.StripeError.Type));

        var wrongKey = new PaymentIntentService(new StripeClient(new StripeClientOptions { ApiKey = "sk_test_wrong", ApiBase = Fake.Url.ToString().TrimEnd('/') }));
        var unauthorized = await Assert.ThrowsAsync<StripeException>(() => wrongKey.GetAsync(first.Id));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.HttpStatusCode);
        var zero = await Assert.ThrowsAsync<StripeException>(() => intents.CreateAsync(new PaymentIntentCreateOptions { Amount = 0, Currency = "eur" }));
        Assert.Equal("parameter_invalid_integer", zero.StripeError.Code);

        // Refunds: only of a succeeded intent, never more than was paid.
        var refunds = new RefundService(client);
        var early = await Assert.ThrowsAsync<StripeException>(() => refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = first.Id, Amount = 100 }));
        Assert.Equal("charge_not_refundable", early.StripeError.Code);
        Fake.Succeed(first.Id);
        await refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = first.Id, Amount = 1000 }, new RequestOptions { IdempotencyKey = key + "-r1" });
        var tooMuch = await Assert.ThrowsAsync<StripeException>(() =>
            refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = first.Id, Amount = 235 }, new RequestOptions { IdempotencyKey = key + "-r2" }));
        Assert.Equal("amount_too_large", tooMuch.StripeError.Code);
        var cancel = await Assert.ThrowsAsync<StripeException>(() => intents.CancelAsync(first.Id));
        Assert.Equal("payment_intent_unexpected_state", cancel.StripeError.Code);
    }
}
