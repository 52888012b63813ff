using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TicketFlash.Integration.Tests.Infrastructure;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Payments;

/// <summary>Helpers of the Stripe tests: paying through the API, delivering signed webhooks.</summary>
public static class StripeTestKit
{
    public const string WebhookPath = "/api/payments/stripe/webhook";

    /// <summary>POST /api/orders/{id}/pay, 200 expected; the order as JSON (its payment included).</summary>
    public static async Task<JsonObject> PayAsync(this TicketFlashClient api, string fan, Guid orderId)
    {
        var response = await api.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/pay", fan);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await DescribeAsync(response));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    public static async Task<JsonObject> OrderJsonAsync(this TicketFlashClient api, string fan, Guid orderId)
    {
        var response = await api.SendAsync(HttpMethod.Get, $"/api/orders/{orderId}", fan);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await DescribeAsync(response));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    public static string Str(this JsonNode? node, string path)
    {
        foreach (var part in path.Split('.')) node = node?[part];
        return node?.GetValue<string>() ?? throw new InvalidOperationException($"{path} missing");
    }

    public static async Task<HttpResponseMessage> PostWebhookAsync(this TicketFlashClient api, string body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, WebhookPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null) request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        return await api.Http.SendAsync(request);
    }

    /// <summary>Delivers a signed event; 200 expected; returns the receipt's outcome.</summary>
    public static async Task<string> DeliverAsync(this TicketFlashClient api, (string Body, string Signature) evt)
    {
        var response = await api.PostWebhookAsync(evt.Body, evt.Signature);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await DescribeAsync(response));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.Str("outcome");
    }

    /// <summary>Holds and starts paying: the order is PaymentPending with an intent at the fake.</summary>
    public static async Task<(Order Held, string IntentId, JsonObject Pending)> StartPaymentAsync(this TicketFlashClient api, string fan, Guid eventId, int quantity, string section = "lawn")
    {
        var held = await api.HoldAsync(fan, eventId, quantity, section);
        var pending = await api.PayAsync(fan, held.OrderId);
        Assert.Equal("PaymentPending", pending.Str("status"));
        return (held, pending.Str("payment.intentId"), pending);
    }
}
