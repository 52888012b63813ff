using TicketFlash.Abstractions.Cancellation;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Customers;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Resale;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tests.Infrastructure;
using TicketFlash.Grains.Tests.Tickets.Lifecycle;

namespace TicketFlash.Grains.Tests.Cancellation;

/// <summary>Cancelling an event refunds every sold ticket once, through the gateway, and resumes after an interruption.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RefundRunTests(ClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.GrainFactory;

    private ITicketGrain Ticket(Guid ticketId) => Grains.GetGrain<ITicketGrain>(ticketId);

    private Task<RefundProgress> WaitForCompletion(Guid eventId, TimeSpan timeout) =>
        Eventually.Until(() => Grains.GetGrain<IRefundRunGrain>(eventId).GetProgress(), p => p.Status == RefundRunStatus.Completed, timeout, "the refund run to complete");

    private List<string> RefundKeysOf(IEnumerable<Guid> ticketIds)
    {
        var keys = ticketIds.Select(t => $"refund-{t:N}").ToHashSet();
        return [.. cluster.AllRefundKeys().Where(keys.Contains)];
    }

    [Fact]
    public async Task Cancelling_refunds_every_sold_ticket_once_and_their_codes_are_refused()
    {
        var evt = await GateKit.CreateEvent(Grains, [Sections.GeneralAdmission("ga", 100), Sections.Reserved("rows", 3, 5)]);
        var bought = new List<(Actor Fan, TicketSummary Ticket)>();
        foreach (var (section, quantity) in new[] { ("ga", 3), ("rows", 2), ("ga", 1), ("rows", 4) })
        {
            var fan = Actors.Fan();
            bought.AddRange((await GateKit.Buy(Grains, fan, evt.Id, quantity, section)).Tickets.Select(t => (fan, t)));
        }
        var codes = new Dictionary<Guid, string>();
        foreach (var (fan, t) in bought) codes[t.TicketId] = await GateKit.CodeOf(Grains, fan, t.TicketId);
        var refundedEarlier = bought[0].Ticket.TicketId;
        await Ticket(refundedEarlier).Refund(evt.Organizer, "asked for it");
        var admitted = bought[1].Ticket.TicketId;
        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, evt.Staff(), codes[admitted])).Result);
        var (listedBy, listedTicket) = bought[2];
        var listingId = (await Ticket(listedTicket.TicketId).List(listedBy, 20m)).ListingId!.Value;
        var before = DateTimeOffset.UtcNow;

        await Grains.GetGrain<IEventGrain>(evt.Id).ChangeStatus(evt.Organizer, EventStatus.Cancelled);
        var progress = await WaitForCompletion(evt.Id, TimeSpan.FromSeconds(30));

        var expected = bought.Count - 2; // one refunded before, one already used
        Assert.Equal((expected, 1, 1, 4, 2, 2), (progress.TicketsRefunded, progress.TicketsAlreadyRefunded, progress.TicketsNotRefundable,
            progress.OrdersVisited, progress.Sections, progress.SectionsDone));
        Assert.InRange(progress.CompletedAt!.Value, before, DateTimeOffset.UtcNow);
        var refunds = RefundKeysOf(bought.Select(b => b.Ticket.TicketId));
        Assert.Equal(bought.Count - 1, refunds.Count); // every ticket but the used one, each exactly once
        Assert.Equal(refunds.Count, refunds.Distinct().Count());

        foreach (var (_, t) in bought.Where(b => b.Ticket.TicketId != admitted))
        {
            var ticket = await Ticket(t.TicketId).GetUnchecked();
            Assert.Equal(TicketStatus.Refunded, ticket.Status);
            Assert.Single(ticket.History, h => h.To == TicketStatus.Refunded);
            Assert.Equal(CheckInResult.Revoked, (await GateKit.Scan(Grains, evt, evt.Staff(), codes[t.TicketId])).Result);
        }
        var cancelled = await Ticket(bought[^1].Ticket.TicketId).GetUnchecked();
        Assert.Equal([TicketStatus.Cancelled, TicketStatus.Refunded], cancelled.History.TakeLast(2).Select(h => h.To));
        Assert.Equal(TicketStatus.CheckedIn, (await Ticket(admitted).GetUnchecked()).Status);
        await DomainAssert.Refuses(DomainErrorCode.ListingUnavailable, () => Grains.GetGrain<IListingGrain>(listingId).Buy(Actors.Fan(), "late"));
        Assert.Empty(await Grains.GetGrain<IResaleGrain>(evt.Id).List());
    }

    [Fact]
    public async Task A_ticket_whose_refund_is_refused_does_not_hold_up_the_others_and_is_refunded_once_the_gateway_accepts()
    {
        var evt = await GateKit.CreateEvent(Grains, [Sections.GeneralAdmission("ga", 50)]);
        var tickets = new List<Guid>();
        for (var i = 0; i < 5; i++) tickets.AddRange((await GateKit.Buy(Grains, Actors.Fan(), evt.Id, 1, "ga")).Tickets.Select(t => t.TicketId));
        var stuck = tickets[0];
        cluster.DeclineRefunds(key => key == $"refund-{stuck:N}");
        try
        {
            await Grains.GetGrain<IEventGrain>(evt.Id).ChangeStatus(evt.Organizer, EventStatus.Cancelled);

            var waiting = await Eventually.Until(() => Grains.GetGrain<IRefundRunGrain>(evt.Id).GetProgress(),
                p => p.TicketsRefunded == 4 && p.TicketsWaiting == 1, TimeSpan.FromSeconds(20), "the other four refunds");
            Assert.Equal(RefundRunStatus.Running, waiting.Status);
            Assert.Equal(TicketStatus.Cancelled, (await Ticket(stuck).GetUnchecked()).Status); // refused at the gate already
            Assert.All(tickets.Skip(1), id => Assert.Contains($"refund-{id:N}", cluster.AllRefundKeys()));
        }
        finally
        {
            cluster.DeclineRefunds(null);
        }

        var done = await WaitForCompletion(evt.Id, TimeSpan.FromSeconds(20));
        Assert.Equal((5, 0), (done.TicketsRefunded, done.TicketsWaiting));
        Assert.Equal(TicketStatus.Refunded, (await Ticket(stuck).GetUnchecked()).Status);
        Assert.Equal(5, RefundKeysOf(tickets).Distinct().Count());
        Assert.Equal(5, RefundKeysOf(tickets).Count);
    }

    [Fact]
    public async Task A_resold_ticket_has_every_resale_unwound_then_its_original_buyer_is_refunded_each_payment_once()
    {
        var evt = await GateKit.CreateEvent(Grains, [Sections.GeneralAdmission("ga", 50)]);
        var (seller, firstBuyer, secondBuyer) = (Actors.Fan(), Actors.Fan(), Actors.Fan());
        var resold = (await GateKit.Buy(Grains, seller, evt.Id, 1, "ga")).Tickets[0].TicketId;
        var kept = (await GateKit.Buy(Grains, Actors.Fan(), evt.Id, 1, "ga")).Tickets[0].TicketId;
        var first = (await Ticket(resold).List(seller, 20m)).ListingId!.Value;
        await Grains.GetGrain<IListingGrain>(first).Buy(firstBuyer, "resale-buy-1");
        var second = (await Ticket(resold).List(firstBuyer, 25m)).ListingId!.Value;
        await Grains.GetGrain<IListingGrain>(second).Buy(secondBuyer, "resale-buy-2");

        // One by one, an organizer still cannot refund a resold ticket: only the cancellation unwinds resales.
        await DomainAssert.Refuses(DomainErrorCode.InvalidState, () => Ticket(resold).Refund(evt.Organizer, "one by one"));
        await Grains.GetGrain<IEventGrain>(evt.Id).ChangeStatus(evt.Organizer, EventStatus.Cancelled);
        var done = await WaitForCompletion(evt.Id, TimeSpan.FromSeconds(20));

        Assert.Equal((2, 1, 0), (done.TicketsRefunded, done.TicketsWithResalesUnwound, done.TicketsNeedingManualRefund));
        Assert.Equal(TicketStatus.Refunded, (await Ticket(resold).GetUnchecked()).Status);
        // Every payment made for this seat went back exactly once: both resale buyers' and the original order's.
        var refunds = cluster.AllRefundKeys();
        Assert.Single(refunds, $"resale-refund-{first:N}");
        Assert.Single(refunds, $"resale-refund-{second:N}");
        Assert.Single(RefundKeysOf([resold]));
        Assert.Single(RefundKeysOf([kept]));
        foreach (var listing in new[] { first, second })
            Assert.Equal(ListingStatus.Unwound, (await Grains.GetGrain<IListingGrain>(listing).GetUnchecked()).Status);
        // Both sellers keep a record of the sale, voided: nothing is owed to them.
        foreach (var (who, listing) in new[] { (seller, first), (firstBuyer, second) })
        {
            var proceeds = Assert.Single(await Grains.GetGrain<ICustomerGrain>(who.UserId).GetProceeds());
            Assert.Equal(listing, proceeds.ListingId);
            Assert.NotNull(proceeds.VoidedReason);
        }

        // Unwinding again (a retried step) pays nobody twice.
        await Grains.GetGrain<IListingGrain>(first).UnwindForCancellation("again");
        Assert.Single(cluster.AllRefundKeys(), $"resale-refund-{first:N}");
        Assert.Equal(CancellationRefund.RefundedWithResalesUnwound, await Ticket(resold).CancelForEvent("again"));
        Assert.Single(RefundKeysOf([resold]));
    }

    [Fact]
    public async Task The_run_does_not_end_while_seats_are_held_where_a_payment_in_flight_could_still_sell_them()
    {
        var evt = await GateKit.CreateEvent(Grains, [Sections.GeneralAdmission("ga", 50)]);
        var paid = (await GateKit.Buy(Grains, Actors.Fan(), evt.Id, 1, "ga")).Tickets[0].TicketId;
        var lateFan = Actors.Fan();
        var late = Grains.GetGrain<IOrderGrain>(OrderIds.Derive(lateFan.UserId, Guid.NewGuid().ToString("N")));
        await late.Place(lateFan, new PlaceOrderCommand(evt.Id, 2, "ga", null));

        await Grains.GetGrain<IEventGrain>(evt.Id).ChangeStatus(evt.Organizer, EventStatus.Cancelled);
        await Eventually.Until(() => Grains.GetGrain<IRefundRunGrain>(evt.Id).GetProgress(),
            p => p.TicketsRefunded == 1, TimeSpan.FromSeconds(20), "the paid ticket's refund");
        await Task.Delay(500); // several steps: the run keeps waiting for the held seats
        Assert.Equal(RefundRunStatus.Running, (await Grains.GetGrain<IRefundRunGrain>(evt.Id).GetProgress()).Status);

        // Paying now finds the event cancelled: nothing is charged, the hold is released, and the run can end.
        await DomainAssert.Refuses(DomainErrorCode.InvalidState, () => late.Pay(lateFan));
        var done = await WaitForCompletion(evt.Id, TimeSpan.FromSeconds(20));

        Assert.Equal((1, 1), (done.TicketsRefunded, done.OrdersVisited));
        Assert.Single(RefundKeysOf([paid]));
        Assert.Equal(0, (await Grains.GetGrain<IInventoryGrain>(InventoryKeys.For(evt.Id, "ga")).GetAvailability(false)).Held);
    }

    [Fact]
    public async Task A_refund_whose_money_did_not_go_back_is_finished_by_the_organizer_s_repeated_request()
    {
        var evt = await GateKit.CreateEvent(Grains, [Sections.GeneralAdmission("ga", 50)]);
        var ticketId = (await GateKit.Buy(Grains, Actors.Fan(), evt.Id, 1, "ga")).Tickets[0].TicketId;
        cluster.DeclineRefunds(key => key == $"refund-{ticketId:N}");
        try
        {
            await DomainAssert.Refuses(DomainErrorCode.Unavailable, () => Ticket(ticketId).Refund(evt.Organizer, "double booking"));
            Assert.Equal(TicketStatus.Refunded, (await Ticket(ticketId).GetUnchecked()).Status);
            Assert.Empty(RefundKeysOf([ticketId]));
        }
        finally
        {
            cluster.DeclineRefunds(null);
        }

        var again = await Ticket(ticketId).Refund(evt.Organizer, "double booking");

        Assert.Equal(TicketStatus.Refunded, again.Status);
        Assert.Single(RefundKeysOf([ticketId]));
        await DomainAssert.Refuses(DomainErrorCode.InvalidState, () => Ticket(ticketId).Refund(evt.Organizer, "once more")); // settled: 409 again
    }

    [Fact]
    public async Task A_run_interrupted_by_deactivation_resumes_from_its_cursor_by_reminder_and_refunds_nobody_twice()
    {
        var evt = await GateKit.CreateEvent(Grains, [Sections.GeneralAdmission("ga", 200)], perCustomerLimit: 20);
        var bought = await GateKit.BuyMany(Grains, evt.Id, "ga", 60, perCustomerLimit: 2); // 30 orders of 2: 15 steps of 2 orders
        var ticketIds = bought.Select(b => b.Ticket.TicketId).ToList();

        await Grains.GetGrain<IEventGrain>(evt.Id).ChangeStatus(evt.Organizer, EventStatus.Cancelled);
        await Eventually.Until(() => Task.FromResult(RefundKeysOf(ticketIds).Count), n => n >= 8, TimeSpan.FromSeconds(20), "some refunds");
        await cluster.Cluster.DeactivateAsync(Grains.GetGrain<IRefundRunGrain>(evt.Id)); // its timer goes with it
        var atInterruption = RefundKeysOf(ticketIds).Count;
        Assert.InRange(atInterruption, 8, ticketIds.Count - 1);

        // Nobody touches the run now: only its reminder can bring it back.
        await Eventually.Until(() => Task.FromResult(RefundKeysOf(ticketIds).Count), n => n == ticketIds.Count, TimeSpan.FromSeconds(40), "all refunds after the interruption");
        var progress = await WaitForCompletion(evt.Id, TimeSpan.FromSeconds(10));

        Assert.Equal((60, 0, 0, 30), (progress.TicketsRefunded, progress.TicketsAlreadyRefunded, progress.TicketsNotRefundable, progress.OrdersVisited));
        var refunds = RefundKeysOf(ticketIds);
        Assert.Equal(ticketIds.Count, refunds.Count);
        Assert.Equal(ticketIds.Count, refunds.Distinct().Count());
        foreach (var id in ticketIds) Assert.Single((await Ticket(id).GetUnchecked()).History, h => h.To == TicketStatus.Refunded);
    }

    [Fact]
    public async Task Cancelling_an_event_with_no_sales_completes_and_the_run_of_an_uncancelled_event_has_not_started()
    {
        var evt = await GateKit.CreateEvent(Grains, [Sections.GeneralAdmission("ga", 10)]);
        Assert.Equal(RefundRunStatus.NotStarted, (await Grains.GetGrain<IRefundRunGrain>(evt.Id).GetProgress()).Status);

        await Grains.GetGrain<IEventGrain>(evt.Id).ChangeStatus(evt.Organizer, EventStatus.Cancelled);
        var progress = await WaitForCompletion(evt.Id, TimeSpan.FromSeconds(10));

        Assert.Equal((0, 0), (progress.TicketsRefunded, progress.OrdersVisited));
    }
}
