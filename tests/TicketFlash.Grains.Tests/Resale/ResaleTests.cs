using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Customers;
using TicketFlash.Abstractions.Resale;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tests.Infrastructure;
using TicketFlash.Grains.Tests.Tickets.Lifecycle;

namespace TicketFlash.Grains.Tests.Resale;

/// <summary>The resale market through the grains: the cap, a listed ticket's limits, buying once, races, delisting.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ResaleTests(ClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.GrainFactory;

    private ITicketGrain Ticket(Guid ticketId) => Grains.GetGrain<ITicketGrain>(ticketId);

    private IListingGrain Listing(Guid listingId) => Grains.GetGrain<IListingGrain>(listingId);

    /// <summary>An event whose gate is open now (face value 25 EUR, default cap 100 %), a seller with one ticket and its code.</summary>
    private async Task<(GateEvent Event, Actor Seller, Guid TicketId, string Code)> Setup()
    {
        var evt = await GateKit.CreateEvent(Grains, [Sections.GeneralAdmission("ga", 100)]);
        var seller = Actors.Fan("seller");
        var ticketId = (await GateKit.Buy(Grains, seller, evt.Id, 1)).Tickets[0].TicketId;
        return (evt, seller, ticketId, await GateKit.CodeOf(Grains, seller, ticketId));
    }

    [Fact]
    public async Task A_price_above_the_cap_is_refused_and_the_ticket_stays_usable_a_price_at_the_cap_is_listed()
    {
        var (evt, seller, ticketId, code) = await Setup();

        var refusal = await DomainAssert.Refuses(DomainErrorCode.PriceAboveCap, () => Ticket(ticketId).List(seller, 25.01m));
        Assert.Contains("25", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(TicketStatus.Active, (await Ticket(ticketId).GetUnchecked()).Status);
        Assert.Empty(await Grains.GetGrain<IResaleGrain>(evt.Id).List());

        var listed = await Ticket(ticketId).List(seller, 25m);
        Assert.Equal(TicketStatus.Listed, listed.Status);
        var open = Assert.Single(await Grains.GetGrain<IResaleGrain>(evt.Id).List());
        Assert.Equal((listed.ListingId!.Value, 25m, 25m, ListingStatus.Open), (open.Terms.ListingId, open.Terms.Price, open.Terms.FaceValue, open.Status));
        _ = code;
    }

    [Fact]
    public async Task Only_the_owner_lists_and_a_listed_ticket_cannot_be_scanned_transferred_listed_again_or_shown()
    {
        var (evt, seller, ticketId, code) = await Setup();
        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => Ticket(ticketId).List(Actors.Fan(), 10m));
        await Ticket(ticketId).List(seller, 20m);

        var scan = await GateKit.Scan(Grains, evt, evt.Staff(), code);
        Assert.Equal(CheckInResult.NotActive, scan.Result);
        await DomainAssert.Refuses(DomainErrorCode.InvalidState, () => Ticket(ticketId).Transfer(seller, "friend"));
        await DomainAssert.Refuses(DomainErrorCode.InvalidState, () => Ticket(ticketId).List(seller, 15m));
        await DomainAssert.Refuses(DomainErrorCode.InvalidState, () => GateKit.CodeOf(Grains, seller, ticketId));
        Assert.Equal(TicketStatus.Listed, (await Ticket(ticketId).GetUnchecked()).Status);
    }

    [Fact]
    public async Task Buying_moves_the_ticket_with_a_new_serial_voids_the_old_code_and_records_the_proceeds_once()
    {
        var (evt, seller, ticketId, oldCode) = await Setup();
        var listingId = (await Ticket(ticketId).List(seller, 22.5m)).ListingId!.Value;
        var buyer = Actors.Fan("buyer");
        var chargesBefore = cluster.TotalCharges();

        var bought = await Listing(listingId).Buy(buyer, "k1");
        var retried = await Listing(listingId).Buy(buyer, "k1");

        Assert.Equal((ListingStatus.Sold, buyer.UserId), (bought.Status, bought.BuyerId));
        Assert.Equal(bought, retried);
        Assert.Equal(chargesBefore + 1, cluster.TotalCharges());
        var ticket = await Ticket(ticketId).GetUnchecked();
        Assert.Equal((TicketStatus.Transferred, buyer.UserId, 2, (Guid?)null), (ticket.Status, ticket.OwnerId, ticket.Serial, ticket.ListingId));
        Assert.Equal((TicketStatus.Listed, TicketStatus.Transferred, buyer.UserId), (ticket.History[^1].From, ticket.History[^1].To, ticket.History[^1].By));
        Assert.Contains(ticketId, await Grains.GetGrain<ICustomerGrain>(buyer.UserId).GetReceivedTickets());

        var proceeds = Assert.Single(await Grains.GetGrain<ICustomerGrain>(seller.UserId).GetProceeds());
        Assert.Equal((listingId, ticketId, 22.5m, "EUR"), (proceeds.ListingId, proceeds.TicketId, proceeds.Amount, proceeds.Currency));
        Assert.Empty(await Grains.GetGrain<IResaleGrain>(evt.Id).List());

        Assert.Equal(CheckInResult.Revoked, (await GateKit.Scan(Grains, evt, evt.Staff(), oldCode)).Result);
        var newCode = await GateKit.CodeOf(Grains, buyer, ticketId);
        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, evt.Staff(), newCode)).Result);
        await DomainAssert.Refuses(DomainErrorCode.ListingUnavailable, () => Listing(listingId).Buy(Actors.Fan(), "k2"));
        await DomainAssert.Refuses(DomainErrorCode.ListingUnavailable, () => Listing(listingId).Buy(buyer, "another key"));
    }

    [Fact]
    public async Task Buyers_racing_for_one_listing_have_exactly_one_winner_charged_once()
    {
        for (var round = 0; round < 5; round++)
        {
            var (_, seller, ticketId, _) = await Setup();
            var listingId = (await Ticket(ticketId).List(seller, 25m)).ListingId!.Value;
            var buyers = Enumerable.Range(0, 8).Select(i => Actors.Fan($"racer{i}")).ToList();
            var chargesBefore = cluster.TotalCharges();

            var outcomes = await Task.WhenAll(buyers.Select(b => Outcome.Of(() => Listing(listingId).Buy(b, "same-key"))));

            Assert.All(outcomes, o => Assert.Null(o.Failure));
            var winner = Assert.Single(outcomes, o => o.Succeeded);
            Assert.All(outcomes.Where(o => !o.Succeeded), o => Assert.Equal(DomainErrorCode.ListingUnavailable, o.Refusal!.Code));
            Assert.Equal(chargesBefore + 1, cluster.TotalCharges());
            Assert.Equal(winner.Value!.BuyerId, (await Ticket(ticketId).GetUnchecked()).OwnerId);
        }
    }

    [Fact]
    public async Task Delisting_makes_the_ticket_usable_again_and_the_listing_unbuyable()
    {
        var (evt, seller, ticketId, code) = await Setup();
        var listingId = (await Ticket(ticketId).List(seller, 10m)).ListingId!.Value;
        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => Listing(listingId).Withdraw(Actors.Fan()));

        var withdrawn = await Listing(listingId).Withdraw(seller);
        Assert.Equal(ListingStatus.Withdrawn, (await Listing(listingId).Withdraw(seller)).Status); // a retry is harmless

        Assert.Equal(ListingStatus.Withdrawn, withdrawn.Status);
        var ticket = await Ticket(ticketId).GetUnchecked();
        Assert.Equal((TicketStatus.Active, 1, (Guid?)null), (ticket.Status, ticket.Serial, ticket.ListingId));
        Assert.Empty(await Grains.GetGrain<IResaleGrain>(evt.Id).List());
        await DomainAssert.Refuses(DomainErrorCode.ListingUnavailable, () => Listing(listingId).Buy(Actors.Fan(), "k"));
        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, evt.Staff(), code)).Result);
    }

    [Fact]
    public async Task A_listed_ticket_that_is_revoked_cannot_be_bought_and_nobody_is_charged()
    {
        var (evt, seller, ticketId, _) = await Setup();
        var listingId = (await Ticket(ticketId).List(seller, 10m)).ListingId!.Value;
        await Ticket(ticketId).Revoke(evt.Organizer, "fraud");
        var chargesBefore = cluster.TotalCharges();

        await DomainAssert.Refuses(DomainErrorCode.ListingUnavailable, () => Listing(listingId).Buy(Actors.Fan(), "k"));

        Assert.Equal(chargesBefore, cluster.TotalCharges());
        Assert.Equal(TicketStatus.Revoked, (await Ticket(ticketId).GetUnchecked()).Status);
        Assert.Equal(ListingStatus.Closed, (await Listing(listingId).GetUnchecked()).Status);
        Assert.Empty(await Grains.GetGrain<IResaleGrain>(evt.Id).List());
    }
}
