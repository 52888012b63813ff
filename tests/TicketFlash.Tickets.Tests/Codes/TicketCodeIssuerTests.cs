using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tickets.Codes;
using TicketFlash.Tickets.Tests.Infrastructure;

namespace TicketFlash.Tickets.Tests.Codes;

[Collection(ClusterCollection.Name)]
public sealed class TicketCodeIssuerTests(ClusterFixture cluster)
{
    private ITicketCodeIssuerGrain Issuer => cluster.GrainFactory.GetGrain<ITicketCodeIssuerGrain>(0);

    private async Task<TicketKeyRing> Ring(Guid eventId) => new(await cluster.GrainFactory.GetGrain<ITicketKeyGrain>(eventId).GetPublicKeys());

    [Fact]
    public void The_claims_carry_the_ticket_and_the_events_check_in_window()
    {
        var evt = new Abstractions.Events.EventDetails(Guid.NewGuid(), "t", "n", Guid.NewGuid(),
            new DateTimeOffset(2031, 5, 1, 20, 0, 0, TimeSpan.FromHours(2)), new DateTimeOffset(2031, 5, 1, 23, 30, 0, 500, TimeSpan.FromHours(2)),
            Abstractions.Events.EventStatus.OnSale, [], [], 4, 10);
        var ticket = new TicketDetails(Guid.NewGuid(), Guid.NewGuid(), evt.Id, "ga", null, "fan", TicketStatus.Active, 3, []);
        var now = new DateTimeOffset(2031, 5, 1, 18, 0, 10, TimeSpan.Zero);

        var fixedCode = TicketCodeIssuer.StaticClaims(ticket, evt);
        var rotating = TicketCodeIssuer.RotatingClaims(ticket, evt, now);

        Assert.Equal((TicketCodeMode.Static, evt.Id, ticket.TicketId, 3u, (uint?)null),
            (fixedCode.Mode, fixedCode.EventId, fixedCode.TicketId, fixedCode.Serial, fixedCode.Window));
        Assert.Equal(new DateTimeOffset(2031, 5, 1, 16, 0, 0, TimeSpan.FromHours(2)), fixedCode.ValidFrom);
        Assert.Equal(new DateTimeOffset(2031, 5, 2, 1, 30, 1, TimeSpan.FromHours(2)), fixedCode.ValidTo); // rounded up, never narrower
        Assert.Equal((TicketCodeMode.Rotating, (uint?)(now.ToUnixTimeSeconds() / 30)), (rotating.Mode, rotating.Window));
        Assert.Equal((fixedCode.ValidFrom, fixedCode.ValidTo), (rotating.ValidFrom, rotating.ValidTo));
        Assert.Throws<DomainException>(() => TicketCodeIssuer.StaticClaims(ticket with { EventId = Guid.NewGuid() }, evt));
    }

    [Fact]
    public async Task The_holder_gets_a_static_code_valid_through_the_check_in_window()
    {
        var sale = await Sale.Create(cluster.GrainFactory);

        var signed = await Issuer.Issue(sale.Fan, sale.Ticket.TicketId, TicketCodeMode.Static);
        var ring = await Ring(sale.Event.Id);

        var p = signed.Payload;
        Assert.Equal((sale.Event.Id, sale.Ticket.TicketId, (uint)sale.Ticket.Serial, 1u, (uint?)null), (p.EventId, p.TicketId, p.Serial, p.KeyId, p.Window));
        Assert.Equal((sale.Event.StartsAt - TimeSpan.FromHours(4)).ToUnixTimeSeconds(), p.ValidFrom.ToUnixTimeSeconds());
        Assert.True(p.ValidTo >= sale.Event.EndsAt + TimeSpan.FromHours(2) && p.ValidTo < sale.Event.EndsAt + TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));
        Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(signed.Code, ring, DateTimeOffset.UtcNow).Verdict);
        Assert.Equal(TicketCodeVerdict.Expired, TicketCode.Verify(signed.Code, ring, sale.Event.EndsAt.AddHours(2).AddSeconds(2)).Verdict);
        Assert.Equal(TicketCodeVerdict.NotYetValid, TicketCode.Verify(signed.Code, ring, sale.Event.StartsAt.AddHours(-4).AddSeconds(-1)).Verdict);
    }

    [Fact]
    public async Task A_code_for_an_event_far_ahead_is_not_yet_valid_today()
    {
        var sale = await Sale.Create(cluster.GrainFactory, startsIn: TimeSpan.FromDays(20));

        var signed = await Issuer.Issue(sale.Fan, sale.Ticket.TicketId, TicketCodeMode.Static);

        Assert.Equal(TicketCodeVerdict.NotYetValid, TicketCode.Verify(signed.Code, await Ring(sale.Event.Id), DateTimeOffset.UtcNow).Verdict);
    }

    [Fact]
    public async Task The_rotating_code_is_for_the_current_window_and_goes_stale()
    {
        var sale = await Sale.Create(cluster.GrainFactory);
        var before = TicketCode.WindowAt(DateTimeOffset.UtcNow);

        var signed = await Issuer.Issue(sale.Fan, sale.Ticket.TicketId, TicketCodeMode.Rotating);
        var ring = await Ring(sale.Event.Id);

        var window = signed.Payload.Window!.Value;
        Assert.InRange(window, before, TicketCode.WindowAt(DateTimeOffset.UtcNow));
        var start = TicketCode.WindowStart(window);
        Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(signed.Code, ring, start).Verdict);
        Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(signed.Code, ring, start + TicketCode.WindowLength).Verdict);
        Assert.Equal(TicketCodeVerdict.StaleWindow, TicketCode.Verify(signed.Code, ring, start + 2 * TicketCode.WindowLength).Verdict);
        Assert.Equal(177, signed.Code.Length);
    }

    [Fact]
    public async Task An_admin_may_issue_others_may_not()
    {
        var sale = await Sale.Create(cluster.GrainFactory);

        var byAdmin = await Issuer.Issue(Actors.Admin(), sale.Ticket.TicketId, TicketCodeMode.Static);
        Assert.Equal(sale.Ticket.TicketId, byAdmin.Payload.TicketId);

        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => Issuer.Issue(Actors.Fan(), sale.Ticket.TicketId, TicketCodeMode.Static));
        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => Issuer.Issue(sale.Organizer, sale.Ticket.TicketId, TicketCodeMode.Static));
    }

    [Fact]
    public async Task Unknown_tickets_and_modes_are_refused()
    {
        var sale = await Sale.Create(cluster.GrainFactory);

        await DomainAssert.Refuses(DomainErrorCode.NotFound, () => Issuer.Issue(sale.Fan, Guid.NewGuid(), TicketCodeMode.Static));
        await DomainAssert.Refuses(DomainErrorCode.Validation, () => Issuer.Issue(sale.Fan, sale.Ticket.TicketId, (TicketCodeMode)7));
    }

    [Theory]
    [InlineData(TicketStatus.Active, true)]
    [InlineData(TicketStatus.Sold, true)]
    [InlineData(TicketStatus.Minted, true)]
    [InlineData(TicketStatus.Transferred, true)]
    [InlineData(TicketStatus.CheckedIn, true)]
    [InlineData(TicketStatus.Listed, false)]
    [InlineData(TicketStatus.Revoked, false)]
    [InlineData(TicketStatus.Refunded, false)]
    [InlineData(TicketStatus.Cancelled, false)]
    [InlineData(TicketStatus.Expired, false)]
    [InlineData(TicketStatus.Available, false)]
    [InlineData(TicketStatus.Reserved, false)]
    public void Only_a_holdable_ticket_shows_a_code(TicketStatus status, bool shows) => Assert.Equal(shows, TicketCodeIssuer.HasCode(status));
}
