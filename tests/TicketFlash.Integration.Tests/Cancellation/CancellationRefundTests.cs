using System.Net;
using TicketFlash.Integration.Tests.Infrastructure;
using TicketFlash.Integration.Tests.Storage;
using TicketFlash.Integration.Tests.Tickets;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Cancellation;

public sealed record RefundProgressBody(Guid EventId, string Status, int Sections, int SectionsDone, int OrdersVisited, int TicketsRefunded,
    int TicketsAlreadyRefunded, int TicketsNotRefundable, DateTimeOffset? CompletedAt);

/// <summary>Cancelling an event over HTTP on real processes: the refund run survives a silo killed mid-way.</summary>
public sealed class CancellationRefundTests
{
    private const int Orders = 120;

    [Fact]
    public async Task Cancel_refunds_every_ticket_exactly_once_even_when_a_silo_is_killed_mid_way()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        await using var cluster = await ProcessCluster.StartAsync(db.ConnectionString, silos: 2, apis: 1);
        using var api = new TicketFlashClient(cluster.ApiUrls[0]);
        var world = await api.CreateGateWorldAsync("cancel");
        var sold = new List<(string Fan, Ticket Ticket)>();
        foreach (var batch in Enumerable.Range(0, Orders).Chunk(8))
        {
            var orders = await Task.WhenAll(batch.Select(_ => api.BuyAsync(world.EventId, 2)));
            sold.AddRange(orders.SelectMany(o => o.Order.Tickets.Select(t => (o.Fan, t))));
        }
        var sample = sold.Take(4).ToList();
        var codes = await Task.WhenAll(sample.Select(s => api.CodeAsync(s.Fan, s.Ticket.TicketId)));
        var refunds = $"/api/events/{world.EventId}/refunds";
        await AssertProblemAsync(await api.SendAsync(HttpMethod.Get, refunds, sample[0].Fan), 403, "forbidden");
        await AssertProblemAsync(await api.SendAsync(HttpMethod.Get, $"/api/events/{Guid.NewGuid()}/refunds", world.Organizer), 404, "not-found");
        Assert.Equal("NotStarted", (await Progress(api, refunds, world.Organizer))!.Status);

        var cancel = await api.SendAsync(HttpMethod.Post, $"/api/events/{world.EventId}/cancel", world.Organizer);
        Assert.True(cancel.StatusCode == HttpStatusCode.OK, await DescribeAsync(cancel));
        var midway = await PollAsync(() => Progress(api, refunds, world.Organizer), p => p!.TicketsRefunded > 0 || p.Status == "Completed",
            TimeSpan.FromSeconds(60), "the first refunds", intervalMs: 20);
        Assert.True(midway!.Status == "Running", $"The run finished before it could be interrupted: {midway}");
        cluster.KillSilo(0);
        cluster.StartSilo();

        var done = await PollAsync(() => Progress(api, refunds, world.Organizer, tolerateOutage: true), p => p?.Status == "Completed",
            TimeSpan.FromSeconds(120), "the refund run to complete after the silo was killed", intervalMs: 500);
        Assert.Equal((sold.Count, 0, 0, Orders), (done!.TicketsRefunded, done.TicketsAlreadyRefunded, done.TicketsNotRefundable, done.OrdersVisited));
        foreach (var chunk in sold.Chunk(16))
        {
            var histories = await Task.WhenAll(chunk.Select(async s =>
                await TicketFlashClient.ReadAsync<List<TransitionBody>>(await api.SendAsync(HttpMethod.Get, $"/api/tickets/{s.Ticket.TicketId}/history", world.Organizer))));
            Assert.All(histories, h => Assert.Equal(["Cancelled", "Refunded"], h.TakeLast(2).Select(t => t.To)));
            Assert.All(histories, h => Assert.Single(h, t => t.To == "Refunded"));
        }
        foreach (var code in codes) Assert.Equal("Revoked", (await api.ScanAsync(world.Staff, world.EventId, code)).Result);
    }

    private static async Task<RefundProgressBody?> Progress(TicketFlashClient api, string path, string token, bool tolerateOutage = false)
    {
        var response = await api.SendAsync(HttpMethod.Get, path, token);
        if (tolerateOutage && response.StatusCode == HttpStatusCode.ServiceUnavailable) return null; // the cluster is recovering
        Assert.True(response.StatusCode == HttpStatusCode.OK, await DescribeAsync(response));
        return await TicketFlashClient.ReadAsync<RefundProgressBody>(response);
    }
}
