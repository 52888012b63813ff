using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stripe;

namespace TicketFlash.Integration.Tests.Payments;

/// <summary>A request the fake received: what the tests check idempotency keys and bodies on.</summary>
public sealed record StripeFakeRequest(string Method, string Path, string? IdempotencyKey, IReadOnlyDictionary<string, string> Form, int Status);

/// <summary>A refund the fake made (its ledger of money going back).</summary>
public sealed record StripeFakeRefund(string Id, string PaymentIntent, long Amount, string IdempotencyKey);

/// <summary>
/// A FAKE of the few Stripe API endpoints TicketFlash uses (stripe-mock can't be installed here), on loopback Kestrel
/// in the test process: POST /v1/payment_intents, GET /v1/payment_intents/{id}, POST /v1/payment_intents/{id}/cancel,
/// POST /v1/refunds. Like Stripe it requires the bearer secret key and form-encoded bodies, checks amounts are positive
/// integers in minor units, replays a repeated Idempotency-Key with the same body and refuses it with a different body
/// (400 idempotency_error), refuses to cancel a succeeded or processing intent and to refund more than was paid. The
/// test plays the customer's browser with <see cref="Succeed"/>, <see cref="Fail"/> and <see cref="Process"/>, and
/// plays Stripe's webhook sender with <see cref="Event"/> (signed for real with EventUtility).
/// </summary>
public sealed class StripeFake : IAsyncDisposable
{
    public const string SecretKey = "sk_test_ticketflash_fake_0123456789";
    public const string WebhookSecret = "whsec_ticketflash_fake_0123456789";
    public const string PublishableKey = "pk_test_ticketflash_fake_0123456789";

    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly Dictionary<string, JsonObject> _intents = [];
    private readonly List<StripeFakeRefund> _refunds = [];
    private readonly Dictionary<string, (string Fingerprint, int Status, string Body)> _idempotency = [];
    private readonly ConcurrentQueue<StripeFakeRequest> _requests = new();
    private int _sequence;

    private StripeFake(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>While true every API call is answered 500, as in a Stripe outage.</summary>
    public bool Outage { get; set; }

    public IReadOnlyList<StripeFakeRequest> Requests => [.. _requests];

    public IReadOnlyList<StripeFakeRefund> Refunds
    {
        get
        {
            lock (_gate) return [.. _refunds];
        }
    }

    public static async Task<StripeFake> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var fake = new StripeFake(builder.Build());
        fake._app.Run(fake.Handle);
        await fake._app.StartAsync();
        var address = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.Url = new Uri(address);
        return fake;
    }

    /// <summary>The intent as the fake holds it (a copy).</summary>
    public JsonObject Intent(string id)
    {
        lock (_gate) return (JsonObject)_intents[id].DeepClone();
    }

    public IReadOnlyList<JsonObject> IntentsFor(string metadataKey, string value)
    {
        lock (_gate) return [.. _intents.Values.Where(i => i["metadata"]?[metadataKey]?.GetValue<string>() == value).Select(i => (JsonObject)i.DeepClone())];
    }

    /// <summary>The customer confirmed in the browser and the card was charged.</summary>
    public void Succeed(string intentId) => Move(intentId, "succeeded", null);

    /// <summary>The card was declined: Stripe puts the intent back to requires_payment_method with the error.</summary>
    public void Fail(string intentId, string message = "Your card was declined.") => Move(intentId, "requires_payment_method", message);

    /// <summary>A payment method that settles later (e.g. a bank debit): the intent can no longer be cancelled.</summary>
    public void Process(string intentId) => Move(intentId, "processing", null);

    /// <summary>A webhook event about the intent as it is now, and its Stripe-Signature header (real HMAC, current time unless given).</summary>
    public (string Body, string Signature) Event(string type, string intentId, string? eventId = null, string secret = WebhookSecret, long? timestamp = null)
    {
        var body = new JsonObject
        {
            ["id"] = eventId ?? $"evt_fake_{Interlocked.Increment(ref _sequence)}_{Guid.NewGuid():N}"[..32],
            ["object"] = "event",
            ["api_version"] = StripeConfiguration.ApiVersion,
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["type"] = type,
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["data"] = new JsonObject { ["object"] = Intent(intentId) },
        }.ToJsonString();
        return (body, EventUtility.GenerateSignatureHeader(body, secret, timestamp));
    }

    private void Move(string intentId, string status, string? error)
    {
        lock (_gate)
        {
            var intent = _intents[intentId];
            intent["status"] = status;
            intent["last_payment_error"] = error is null ? null : new JsonObject { ["type"] = "card_error", ["code"] = "card_declined", ["message"] = error };
        }
    }

    private async Task Handle(HttpContext http)
    {
        var request = http.Request;
        var form = new Dictionary<string, string>();
        if (request.Method == "POST")
        {
            if (request.ContentLength > 0 && !request.HasFormContentType)
            {
                await Reply(http, form, 400, Error("invalid_request_error", null, "Stripe takes application/x-www-form-urlencoded bodies."));
                return;
            }
            if (request.HasFormContentType)
                foreach (var (name, value) in await request.ReadFormAsync()) form[name] = value.ToString();
        }
        if (Outage)
        {
            await Reply(http, form, 500, Error("api_error", null, "Stripe is having trouble (the fake's outage)."));
            return;
        }
        if (request.Headers.Authorization.ToString() != $"Bearer {SecretKey}")
        {
            await Reply(http, form, 401, Error("invalid_request_error", null, "Invalid API Key provided."));
            return;
        }
        var key = request.Headers["Idempotency-Key"].ToString();
        var fingerprint = $"{request.Method} {request.Path} {string.Join('&', form.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"))}";
        int status;
        string body;
        lock (_gate)
        {
            if (request.Method == "POST" && key.Length > 0 && _idempotency.TryGetValue(key, out var seen))
            {
                if (seen.Fingerprint != fingerprint)
                    (status, body) = (400, Error("idempotency_error", null,
                        "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '" + key + "' if you meant to execute a different request."));
                else
                {
                    (status, body) = (seen.Status, seen.Body);
                    http.Response.Headers["Idempotent-Replayed"] = "true";
                }
            }
            else
            {
                (status, body) = Route(request.Method, request.Path.Value ?? "", form, key);
                if (request.Method == "POST" && key.Length > 0 && status < 500) _idempotency[key] = (fingerprint, status, body);
            }
        }
        await Reply(http, form, status, body);
    }

    private async Task Reply(HttpContext http, Dictionary<string, string> form, int status, string body)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        _requests.Enqueue(new StripeFakeRequest(http.Request.Method, http.Request.Path.Value ?? "", key.Length > 0 ? key : null, form, status));
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.Headers["Request-Id"] = $"req_fake_{Interlocked.Increment(ref _sequence)}";
        await http.Response.WriteAsync(body);
    }

    private (int, string) Route(string method, string path, Dictionary<string, string> form, string key)
    {
        var parts = path.Trim('/').Split('/');
        return (method, parts) switch
        {
            ("POST", ["v1", "payment_intents"]) => CreateIntent(form),
            ("GET", ["v1", "payment_intents", var id]) => _intents.TryGetValue(id, out var intent) ? (200, intent.ToJsonString()) : Missing(id),
            ("POST", ["v1", "payment_intents", var id, "cancel"]) => CancelIntent(id),
            ("POST", ["v1", "refunds"]) => CreateRefund(form, key),
            _ => (404, Error("invalid_request_error", null, $"Unrecognized request URL ({method}: {path}).")),
        };
    }

    private (int, string) CreateIntent(Dictionary<string, string> form)
    {
        if (!TryAmount(form, out var amount, out var problem)) return problem;
        if (!form.TryGetValue("currency", out var currency) || currency.Length != 3 || !currency.All(char.IsAsciiLetterLower))
            return (400, Error("invalid_request_error", "parameter_invalid_string", "currency must be a three-letter ISO code in lowercase."));
        var id = $"pi_fake{Interlocked.Increment(ref _sequence):D6}{Guid.NewGuid():N}"[..24];
        var metadata = new JsonObject();
        foreach (var (k, v) in form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal))) metadata[k[9..^1]] = v;
        var intent = new JsonObject
        {
            ["id"] = id,
            ["object"] = "payment_intent",
            ["amount"] = amount,
            ["currency"] = currency,
            ["status"] = "requires_payment_method",
            ["client_secret"] = $"{id}_secret_{Guid.NewGuid():N}",
            ["metadata"] = metadata,
            ["livemode"] = false,
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["last_payment_error"] = null,
        };
        _intents[id] = intent;
        return (200, intent.ToJsonString());
    }

    private (int, string) CancelIntent(string id)
    {
        if (!_intents.TryGetValue(id, out var intent)) return Missing(id);
        var status = intent["status"]!.GetValue<string>();
        if (status is "succeeded" or "processing" or "canceled")
            return (400, Error("invalid_request_error", "payment_intent_unexpected_state",
                $"You cannot cancel this PaymentIntent because it has a status of {status}."));
        intent["status"] = "canceled";
        intent["cancellation_reason"] = "abandoned";
        return (200, intent.ToJsonString());
    }

    private (int, string) CreateRefund(Dictionary<string, string> form, string key)
    {
        if (!form.TryGetValue("payment_intent", out var id) || !_intents.TryGetValue(id, out var intent)) return Missing(id ?? "");
        if (!TryAmount(form, out var amount, out var problem)) return problem;
        if (intent["status"]!.GetValue<string>() != "succeeded")
            return (400, Error("invalid_request_error", "charge_not_refundable", "This PaymentIntent has no successful charge to refund."));
        var refunded = _refunds.Where(r => r.PaymentIntent == id).Sum(r => r.Amount);
        if (refunded + amount > intent["amount"]!.GetValue<long>())
            return (400, Error("invalid_request_error", "amount_too_large", $"Refund amount ({amount}) is greater than unrefunded amount on charge ({intent["amount"]!.GetValue<long>() - refunded})."));
        var refund = new StripeFakeRefund($"re_fake{Interlocked.Increment(ref _sequence):D6}", id, amount, key);
        _refunds.Add(refund);
        return (200, new JsonObject
        {
            ["id"] = refund.Id, ["object"] = "refund", ["amount"] = amount, ["currency"] = intent["currency"]!.GetValue<string>(),
            ["payment_intent"] = id, ["status"] = "succeeded",
        }.ToJsonString());
    }

    private static bool TryAmount(Dictionary<string, string> form, out long amount, out (int, string) problem)
    {
        problem = default;
        if (form.TryGetValue("amount", out var text) && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out amount) && amount > 0)
            return true;
        amount = 0;
        problem = (400, Error("invalid_request_error", "parameter_invalid_integer", $"amount must be a positive integer in the currency's smallest unit, not '{text}'."));
        return false;
    }

    private static (int, string) Missing(string id) => (404, Error("invalid_request_error", "resource_missing", $"No such object: '{id}'"));

    private static string Error(string type, string? code, string message) =>
        new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["code"] = code, ["message"] = message } }.ToJsonString();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
