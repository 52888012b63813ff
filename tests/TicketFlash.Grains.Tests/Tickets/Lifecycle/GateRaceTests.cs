using System.Collections.Concurrent;
using System.Diagnostics;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TicketFlash.Grains.Tests.Tickets.Lifecycle;

/// <summary>
/// Two gates scan the same ticket at the same instant, 1,000 times (1,000 tickets, two silos): each ticket is admitted
/// exactly once, the loser learns where and when, and the gate counts add up.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GateRaceTests(ClusterFixture cluster, ITestOutputHelper output)
{
    private const int Rounds = 1_000;
    private const int PerCustomerLimit = 100;
    private const int ParallelRounds = 16;
    private static readonly string[] Gates = ["north", "south"];

    private IGrainFactory Grains => cluster.GrainFactory;

    private sealed record Scan(int Round, string Gate, DateTimeOffset ScannedAt, CheckInOutcome Outcome);

    [Fact]
    public async Task The_same_ticket_scanned_at_two_gates_at_once_is_admitted_exactly_once_in_each_of_1000_rounds()
    {
        var evt = await GateKit.CreateEvent(Grains, [Sections.GeneralAdmission("ga", Rounds)], PerCustomerLimit);
        var clock = Stopwatch.StartNew();
        var tickets = await GateKit.BuyMany(Grains, evt.Id, "ga", Rounds, PerCustomerLimit);
        output.WriteLine($"bought {Rounds} tickets in {clock.ElapsedMilliseconds} ms");

        // Half the codes come from the holder's issuer (the ticket is materialized by then); the other half are signed from
        // the order alone, so the two racing scans are also the ticket grain's first activation and materialization.
        clock.Restart();
        var codes = await Task.WhenAll(tickets.Select((t, i) => i % 2 == 0
            ? GateKit.CodeOf(Grains, t.Owner, t.Ticket.TicketId)
            : GateKit.CodeWithoutTouchingTheTicket(Grains, evt.Details, t.Ticket)));
        output.WriteLine($"issued {Rounds} codes in {clock.ElapsedMilliseconds} ms");

        var staff = Gates.ToDictionary(g => g, g => evt.Staff($"staff-{g}"));
        var scans = new ConcurrentBag<Scan>();
        clock.Restart();
        await Parallel.ForEachAsync(Enumerable.Range(0, Rounds), new ParallelOptions { MaxDegreeOfParallelism = ParallelRounds }, async (round, _) =>
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var order = round % 2 == 0 ? Gates : [.. Gates.Reverse()]; // neither gate is always first in line
            var racing = order.Select(gate => Task.Run(async () =>
            {
                await start.Task;
                var at = DateTimeOffset.UtcNow;
                var outcome = await GateKit.Scan(Grains, evt, staff[gate], codes[round], gate, at);
                return new Scan(round, gate, at, outcome);
            })).ToArray();
            start.SetResult();
            foreach (var scan in await Task.WhenAll(racing)) scans.Add(scan);
        });
        output.WriteLine($"{Rounds} rounds × 2 concurrent scans in {clock.ElapsedMilliseconds} ms");

        var failures = new List<string>();
        foreach (var round in scans.GroupBy(s => s.Round).OrderBy(g => g.Key))
        {
            var pair = round.ToList();
            var admitted = pair.Where(s => s.Outcome.Result == CheckInResult.Admitted).ToList();
            var already = pair.Where(s => s.Outcome.Result == CheckInResult.AlreadyCheckedIn).ToList();
            if (admitted.Count != 1 || already.Count != 1)
            {
                failures.Add($"round {round.Key}: {string.Join(", ", pair.Select(s => $"{s.Gate}={s.Outcome.Result} ({s.Outcome.Detail})"))}");
                continue;
            }
            var (winner, loser) = (admitted[0], already[0]);
            if (winner.Outcome.TicketId != tickets[round.Key].Ticket.TicketId || loser.Outcome.TicketId != tickets[round.Key].Ticket.TicketId)
                failures.Add($"round {round.Key}: outcome for the wrong ticket");
            if (loser.Outcome.FirstGate != winner.Gate || loser.Outcome.FirstScanAt != winner.ScannedAt)
                failures.Add($"round {round.Key}: the refused scan names {loser.Outcome.FirstGate}@{loser.Outcome.FirstScanAt:O}, the admission was {winner.Gate}@{winner.ScannedAt:O}");
            if (loser.Outcome.Status != TicketStatus.CheckedIn) failures.Add($"round {round.Key}: refused scan reports status {loser.Outcome.Status}");
        }
        Assert.Equal(Rounds * 2, scans.Count);
        Assert.True(failures.Count == 0, $"{failures.Count} bad rounds:\n{string.Join('\n', failures.Take(20))}");

        var winners = scans.Where(s => s.Outcome.Result == CheckInResult.Admitted).ToList();
        output.WriteLine(string.Join(", ", Gates.Select(g => $"{g} won {winners.Count(w => w.Gate == g)}")));

        // Every ticket is now CheckedIn, its history naming the winning gate.
        var states = await Task.WhenAll(winners.Select(async w => (w, await Grains.GetGrain<ITicketGrain>(w.Outcome.TicketId!.Value).GetUnchecked())));
        Assert.All(states, s =>
        {
            Assert.Equal(TicketStatus.CheckedIn, s.Item2.Status);
            Assert.Equal($"gate:{s.w.Gate}", s.Item2.History[^1].By);
            Assert.Single(s.Item2.History, h => h.To == TicketStatus.CheckedIn);
        });

        var stats = await Grains.GetGrain<ICheckInGrain>(evt.Id).GetStats(evt.Organizer);
        Assert.Equal(evt.Id, stats.EventId);
        Assert.Equal(Rounds, stats.Admitted);
        Assert.Equal(Rounds, stats.Refused);
        Assert.Equal(Gates.Order(StringComparer.Ordinal), stats.Gates.Select(g => g.Gate));
        Assert.All(stats.Gates, g =>
        {
            Assert.Equal(scans.Count(s => s.Gate == g.Gate && s.Outcome.Result == CheckInResult.Admitted), g.Admitted);
            Assert.Equal(scans.Count(s => s.Gate == g.Gate && s.Outcome.Result != CheckInResult.Admitted), g.Refused);
        });
        Assert.Equal(stats.Admitted, stats.Gates.Sum(g => g.Admitted));
        Assert.Equal(stats.Refused, stats.Gates.Sum(g => g.Refused));
        Assert.Equal(60, stats.AdmittedPerMinute.Count);
        Assert.Equal(Rounds, stats.AdmittedPerMinute.Sum()); // all scanned "now": inside the last hour's chart

        // The same numbers for venue staff of the tenant; nothing for outsiders.
        Assert.Equal(stats.Admitted, (await Grains.GetGrain<ICheckInGrain>(evt.Id).GetStats(evt.Staff())).Admitted);
        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => Grains.GetGrain<ICheckInGrain>(evt.Id).GetStats(Actors.Fan()));
        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => Grains.GetGrain<ICheckInGrain>(evt.Id).GetStats(Actors.Organizer()));
    }
}
