using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using TicketFlash.Integration.Tests.Infrastructure;
using TicketFlash.Integration.Tests.Storm;
using Xunit.Abstractions;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Api.Fuzz;

/// <summary>
/// 10,000 random and malformed requests over every operation of the running API's OpenAPI document (real silo and API
/// processes on PostgreSQL): never a 5xx, every refusal an RFC 9457 problem with a type under
/// https://ticketflash.dev/problems/, and afterwards the sales counts of every event the fuzz touched agree with storage.
/// The seed is random per run (TF_FUZZ_SEED repeats one) and printed on failure; request i is built from (seed, i), while
/// the ids harvested from earlier answers depend on timing.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class FuzzTests(FuzzCluster cluster, ITestOutputHelper output)
{
    private const int Requests = 10_000;
    private const int Concurrency = 8;

    [Fact]
    public async Task Ten_thousand_fuzzed_requests_get_no_5xx_only_typed_problems_and_leave_sales_consistent()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TF_FUZZ_SEED"), out var fixedSeed) ? fixedSeed : Random.Shared.Next();
        var world = await FuzzWorld.CreateAsync(cluster);
        var document = (await cluster.Client.Http.GetFromJsonAsync<JsonNode>("/openapi/v1.json"))!;
        var operations = FuzzOperation.Read(document);
        Assert.True(operations.Count >= 40, $"only {operations.Count} operations in the OpenAPI document");
        var factory = new FuzzRequestFactory(operations, document, world);

        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<string, int>();
        var confirmedSeen = new ConcurrentDictionary<Guid, Order>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
        {
            var request = factory.Create(seed, i);
            var verdict = await SendAndJudgeAsync(request, world, confirmedSeen, ct);
            statuses.AddOrUpdate($"{request.Operation} {verdict.Status}", 1, (_, n) => n + 1);
            if (verdict.Failure is not null && failures.Count < 25) failures.Enqueue($"#{i}: {verdict.Failure}\n    sent: {request.Describe()}");
        });
        clock.Stop();
        output.WriteLine($"seed {seed}: {Requests} requests over {operations.Count} operations in {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var line in statuses.OrderBy(s => s.Key, StringComparer.Ordinal)) output.WriteLine($"  {line.Key}: {line.Value}");
        Assert.True(failures.IsEmpty, $"seed {seed} (TF_FUZZ_SEED={seed} repeats it): {failures.Count}+ bad answers\n{string.Join('\n', failures)}");

        // Every operation was reached past authentication at least once, so the fuzz tested handlers, not only the door.
        var reached = statuses.Where(s => !s.Key.EndsWith(" 401", StringComparison.Ordinal)).Select(s => s.Key[..s.Key.LastIndexOf(' ')]).ToHashSet();
        Assert.All(operations, op => Assert.Contains(op.ToString(), reached));

        await AssertSalesAgreeWithStorageAsync(world, confirmedSeen, seed);
    }

    private sealed record Verdict(int Status, string? Failure);

    private static async Task<Verdict> SendAndJudgeAsync(FuzzRequest request, FuzzWorld world, ConcurrentDictionary<Guid, Order> confirmedSeen, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(world.Http, request, ct);
        }
        catch (HttpRequestException)
        {
            // The server closes a connection after refusing an unread oversize body; the pool may hand that connection
            // out once more before it notices. One more try on a fresh connection tells that apart from a real fault.
            try
            {
                response = await SendAsync(world.Http, request, ct);
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                return new Verdict(0, $"transport: {error.GetType().Name}: {error.Message}");
            }
        }
        catch (TaskCanceledException error)
        {
            return new Verdict(0, $"transport: {error.GetType().Name}: {error.Message}");
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(ct);
            if (status >= 500) return new Verdict(status, $"{status}: {Clip(text)}");
            if (status < 400)
            {
                if (response.Content.Headers.ContentType?.MediaType == "application/json" && TryParse(text) is { } body)
                {
                    world.Harvest(request.Operation.Path, body);
                    // A confirmed order as its customer saw it: storage must hold it afterwards.
                    if (body is JsonObject { } obj && obj["status"]?.ToString() == "Confirmed" && obj["orderId"] is not null && obj["seats"] is not null)
                    {
                        var order = obj.Deserialize<Order>(TicketFlashClient.Json)!;
                        confirmedSeen[order.OrderId] = order;
                    }
                }
                return new Verdict(status, null);
            }
            if (response.Content.Headers.ContentType?.MediaType != ProblemJson)
                return new Verdict(status, $"{status} with content type '{response.Content.Headers.ContentType}': {Clip(text)}");
            var problem = TryParse(text) as JsonObject;
            var type = problem?["type"] is JsonValue t && t.TryGetValue<string>(out var typeText) ? typeText : null;
            if (type is null || !type.StartsWith(ProblemTypeBase, StringComparison.Ordinal) || type.Length == ProblemTypeBase.Length)
                return new Verdict(status, $"{status} problem without a stable type: {Clip(text)}");
            if (problem!["status"]?.GetValue<int>() != status) return new Verdict(status, $"{status} problem with status {problem["status"]}: {Clip(text)}");
            return new Verdict(status, null);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, FuzzRequest request, CancellationToken ct)
    {
        using var message = request.ToMessage();
        return await http.SendAsync(message, ct);
    }

    /// <summary>
    /// For every event the world made or a fuzzed request created: each section's stored sold count plus its returned
    /// (refunded) places equals the confirmed orders in storage; the API's availability says the same; no place is
    /// counted twice or beyond capacity; no seat is in two confirmed orders; no customer is above the limit; and every
    /// order a customer was told is confirmed is confirmed in storage with that quantity.
    /// </summary>
    private async Task AssertSalesAgreeWithStorageAsync(FuzzWorld world, ConcurrentDictionary<Guid, Order> confirmedSeen, int seed)
    {
        var orders = (await cluster.Db.JsonStatesAsync("order")).Select(j => JsonSerializer.Deserialize<StoredOrder>(j, TicketFlashClient.Json)!).ToList();
        var inventories = (await cluster.Db.JsonStatesAsync("inventory")).Select(j => JsonSerializer.Deserialize<FuzzInventory>(j, TicketFlashClient.Json)!).ToList();
        var context = $"seed {seed}";
        var checkedSections = 0;
        foreach (var eventId in world.Events.Keys)
        {
            var sections = inventories.Where(i => i.EventId == eventId).ToList();
            if (sections.Count == 0) continue; // a refused or draft event has no inventory
            using var availabilityResponse = await world.Http.GetAsync($"/api/events/{eventId}/availability");
            var availability = await TicketFlashClient.ReadAsync<Availability>(availabilityResponse);
            var confirmed = orders.Where(o => o.EventId == eventId && o.Status == StorageTruth.ConfirmedStatus).ToList();
            foreach (var inventory in sections)
            {
                var shown = availability.Sections.Single(s => s.SectionId == inventory.SectionId);
                var sold = confirmed.Where(o => o.SectionId == inventory.SectionId).Sum(o => o.Quantity);
                Assert.True(inventory.Sold + inventory.ReturnedTickets.Count == sold,
                    $"{context}: {eventId}/{inventory.SectionId} stored sold {inventory.Sold} + returned {inventory.ReturnedTickets.Count} ≠ confirmed {sold}");
                Assert.True(shown.Sold == inventory.Sold, $"{context}: {eventId}/{inventory.SectionId} API sold {shown.Sold} ≠ stored {inventory.Sold}");
                Assert.True(shown.Capacity == shown.Available + shown.Held + shown.Sold && shown.Sold <= shown.Capacity,
                    $"{context}: {eventId}/{inventory.SectionId} {JsonSerializer.Serialize(shown)}");
                checkedSections++;
            }
            var seats = confirmed.SelectMany(o => o.Seats.Select(s => $"{o.SectionId}/{s}")).ToList();
            Assert.True(seats.Count == seats.Distinct().Count(), $"{context}: a seat of {eventId} is in two confirmed orders");
        }
        Assert.True(checkedSections >= 2, $"{context}: the sale event's sections were not checked");
        var sale = orders.Where(o => o.EventId == world.SaleEvent && o.Status == StorageTruth.ConfirmedStatus);
        Assert.All(sale.GroupBy(o => o.CustomerId), g => Assert.True(g.Sum(o => o.Quantity) <= FuzzWorld.Limit, $"{context}: {g.Key} bought {g.Sum(o => o.Quantity)}"));
        // Stored orders carry no id of their own (it is the grain's key): a seen confirmation matches one by its contents.
        var unmatched = orders.Where(o => o.Status == StorageTruth.ConfirmedStatus).ToList();
        foreach (var seen in confirmedSeen.Values)
        {
            var match = unmatched.FirstOrDefault(o => o.EventId == seen.EventId && o.CustomerId == seen.CustomerId && o.SectionId == seen.SectionId
                && o.Quantity == seen.Quantity && o.Seats.SequenceEqual(seen.Seats));
            Assert.True(match is not null, $"{context}: order {seen.OrderId} was answered Confirmed ({JsonSerializer.Serialize(seen)}), storage has no such confirmed order");
            unmatched.Remove(match);
        }
        output.WriteLine($"sales: {checkedSections} sections of {world.Events.Count} events agree with storage; {confirmedSeen.Count} confirmations seen");
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Clip(string text) => text.Length > 500 ? text[..500] + "…" : text;

    private sealed record FuzzInventory(Guid EventId, string SectionId, int Capacity, int Sold, List<Guid> ReturnedTickets);
}
