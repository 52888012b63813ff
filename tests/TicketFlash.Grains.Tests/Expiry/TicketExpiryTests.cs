using TicketFlash.Abstractions.Expiry;
using TicketFlash.Abstractions.Resale;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tests.Infrastructure;
using TicketFlash.Grains.Tests.Tickets.Lifecycle;

namespace TicketFlash.Grains.Tests.Expiry;

/// <summary>Tickets expire once the event's check-in window closes (its end + 2 h), driven by the event's reminder.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TicketExpiryTests(ClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.GrainFactory;

    private ITicketGrain Ticket(Guid ticketId) => Grains.GetGrain<ITicketGrain>(ticketId);

    [Fact]
    public async Task When_the_check_in_window_closes_live_tickets_expire_and_used_or_refunded_ones_stay()
    {
        // Ended almost 2 h ago: the window closes in a few seconds.
        var evt = await GateKit.CreateEvent(Grains, [Sections.GeneralAdmission("ga", 20)],
            startsAt: DateTimeOffset.UtcNow.AddHours(-3), duration: TimeSpan.FromHours(1) + TimeSpan.FromSeconds(4));
        var fan = Actors.Fan();
        var ids = (await GateKit.Buy(Grains, fan, evt.Id, 4)).Tickets.Select(t => t.TicketId).ToList();
        var (untouched, used, refunded, listed) = (ids[0], ids[1], ids[2], ids[3]);
        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, evt.Staff(), await GateKit.CodeOf(Grains, fan, used))).Result);
        await Ticket(refunded).Refund(evt.Organizer, "asked");
        var listingId = (await Ticket(listed).List(fan, 20m)).ListingId!.Value;
        Assert.Equal(TicketStatus.Active, (await Ticket(untouched).GetUnchecked()).Status);

        var progress = await Eventually.Until(() => Grains.GetGrain<IExpiryRunGrain>(evt.Id).GetProgress(), p => p.Completed,
            TimeSpan.FromSeconds(30), "the expiry run");

        Assert.Equal((2, 2, 1), (progress.TicketsExpired, progress.TicketsUnchanged, progress.OrdersVisited));
        Assert.Equal(TicketStatus.Expired, (await Ticket(untouched).GetUnchecked()).Status);
        Assert.Equal(TicketStatus.Expired, (await Ticket(listed).GetUnchecked()).Status);
        Assert.Equal(TicketStatus.CheckedIn, (await Ticket(used).GetUnchecked()).Status);
        Assert.Equal(TicketStatus.Refunded, (await Ticket(refunded).GetUnchecked()).Status);
        var expiry = (await Ticket(untouched).GetUnchecked()).History[^1];
        Assert.Equal((TicketStatus.Active, TicketStatus.Expired, "system:expiry"), (expiry.From, expiry.To, expiry.By));
        await Eventually.Until(() => Grains.GetGrain<IListingGrain>(listingId).GetUnchecked(), l => l.Status == ListingStatus.Closed, TimeSpan.FromSeconds(5), "the listing to close");
    }

    [Fact]
    public async Task An_event_in_the_future_has_not_expired_anything()
    {
        var evt = await GateKit.CreateEvent(Grains, [Sections.GeneralAdmission("ga", 20)]);
        var fan = Actors.Fan();
        var ticketId = (await GateKit.Buy(Grains, fan, evt.Id, 1)).Tickets[0].TicketId;
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.False((await Grains.GetGrain<IExpiryRunGrain>(evt.Id).GetProgress()).Started);
        Assert.Equal(TicketStatus.Active, (await Ticket(ticketId).GetUnchecked()).Status);
    }
}
