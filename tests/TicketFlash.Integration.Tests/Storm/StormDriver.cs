using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using TicketFlash.Integration.Tests.Infrastructure;

namespace TicketFlash.Integration.Tests.Storm;

/// <summary>
/// The flash-sale storm of issue 2: 1,000 customers, 100 of whom fire 30 requests at once, 5,000 buy requests in all,
/// spread over every API node; each held order is paid at once. Retries only what a client should retry (503 and
/// transport errors), always with the same Idempotency-Key, so a retry can never buy twice.
/// </summary>
public sealed class StormDriver(IReadOnlyList<TicketFlashClient> nodes, Guid eventId, string[] sectionIds)
{
    public const int Customers = 1_000;
    public const int HeavyCustomers = 100;
    public const int HeavyRequests = 30;

    private readonly ConcurrentDictionary<Guid, Order> _confirmed = new();
    private readonly ConcurrentBag<string> _unexpected = [];
    private readonly ConcurrentDictionary<string, int> _outcomes = new();
    private int _completed;

    public IReadOnlyCollection<Order> Confirmed => [.. _confirmed.Values];

    /// <summary>Responses a correct system never gives (5xx other than 503, unknown problem types).</summary>
    public IReadOnlyCollection<string> Unexpected => _unexpected;

    public IReadOnlyDictionary<string, int> Outcomes => _outcomes;

    public int Completed => Volatile.Read(ref _completed);

    public static IEnumerable<(string Customer, int Request)> Requests()
    {
        for (var c = 0; c < Customers; c++)
        {
            var count = c < HeavyCustomers ? HeavyRequests : c < 300 ? 3 : 2;
            for (var r = 0; r < count; r++) yield return ($"storm-{c}", r);
        }
    }

    public async Task RunAsync(Func<string, Task<string>> tokenFor)
    {
        var requests = Requests().ToList();
        var tokens = new ConcurrentDictionary<string, string>();
        foreach (var customer in requests.Select(r => r.Customer).Distinct()) tokens[customer] = await tokenFor(customer);
        var random = new Random(2026);
        var plans = requests.Select((r, i) => (r.Customer, r.Request, Index: i, Quantity: random.Next(1, 4),
            Section: random.Next(2) == 0 ? null : sectionIds[random.Next(sectionIds.Length)])).ToList();

        // All at once: the storm is the point.
        await Task.WhenAll(plans.Select(p => Task.Run(() => BuyAsync(tokens[p.Customer], p.Customer, p.Request, p.Index, p.Quantity, p.Section))));
        Assert.Equal(requests.Count, Completed);
    }

    private async Task BuyAsync(string token, string customer, int request, int index, int quantity, string? section)
    {
        var key = $"{customer}-req-{request}";
        try
        {
            var body = new { eventId, quantity, sectionId = section };
            var (status, held) = await WithRetries(index, n => n.SendAsync(HttpMethod.Post, "/api/orders", token, body, key));
            Count($"place {status}");
            if (held is null) return;
            var order = await held.Content.ReadFromJsonAsync<Order>(TicketFlashClient.Json);
            var (payStatus, paid) = await WithRetries(index + 1, n => n.SendAsync(HttpMethod.Post, $"/api/orders/{order!.OrderId}/pay", token));
            Count($"pay {payStatus}");
            if (paid is null) return;
            var confirmed = (await paid.Content.ReadFromJsonAsync<Order>(TicketFlashClient.Json))!;
            if (confirmed.Status != "Confirmed") _unexpected.Add($"pay answered 200 with status {confirmed.Status}");
            _confirmed[confirmed.OrderId] = confirmed;
        }
        finally
        {
            Interlocked.Increment(ref _completed);
        }
    }

    /// <summary>Sends until an answer that is final; returns the status and the response when it succeeded.</summary>
    private async Task<(string Status, HttpResponseMessage? Success)> WithRetries(int index, Func<TicketFlashClient, Task<HttpResponseMessage>> send)
    {
        for (var attempt = 0; ; attempt++)
        {
            var node = nodes[(index + attempt) % nodes.Count];
            HttpResponseMessage response;
            try
            {
                response = await send(node);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && attempt < 40)
            {
                await Task.Delay(250);
                continue;
            }
            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return (code.ToString(), response);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 40)
            {
                await Task.Delay(250);
                continue;
            }
            var problem = await response.Content.ReadFromJsonAsync<Problem>(TicketFlashClient.Json);
            var slug = problem?.Type?.Split('/').Last() ?? "none";
            if (code >= 500 || slug is not ("sold-out" or "seats-unavailable" or "limit-exceeded"))
                _unexpected.Add($"{code} {slug}: {problem?.Detail}");
            return ($"{code} {slug}", null);
        }
    }

    private void Count(string outcome) => _outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
}
