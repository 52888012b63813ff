using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Events;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Events;

[Collection(ClusterCollection.Name)]
public sealed class EventStatusTests(ClusterFixture cluster)
{
    private Task<TestSale> CreateDraft() => cluster.CreateSale(new SaleSpec { OpenSale = false });

    [Fact]
    public async Task A_new_event_is_a_draft_that_can_go_on_sale_pause_and_resume()
    {
        var sale = await CreateDraft();
        Assert.Equal(EventStatus.Draft, sale.Details.Status);

        Assert.Equal(EventStatus.OnSale, (await sale.Event.ChangeStatus(sale.Organizer, EventStatus.OnSale)).Status);
        Assert.Equal(EventStatus.Paused, (await sale.Event.ChangeStatus(sale.Organizer, EventStatus.Paused)).Status);
        Assert.Equal(EventStatus.OnSale, (await sale.Event.ChangeStatus(sale.Organizer, EventStatus.OnSale)).Status);
        Assert.Equal(EventStatus.OnSale, (await sale.Event.Get()).Status);
        Assert.Equal(EventStatus.OnSale, (await sale.Event.GetSaleTerms()).Status);
    }

    [Theory]
    [InlineData(EventStatus.Paused)]
    [InlineData(EventStatus.SoldOut)]
    [InlineData(EventStatus.Ended)]
    public async Task A_draft_can_only_go_on_sale_or_be_cancelled(EventStatus illegal)
    {
        var sale = await CreateDraft();

        await DomainAssert.Refuses(DomainErrorCode.InvalidState, () => sale.Event.ChangeStatus(sale.Organizer, illegal));

        Assert.Equal(EventStatus.Draft, (await sale.Event.Get()).Status);
    }

    [Theory]
    [InlineData(EventStatus.Draft)]
    [InlineData(EventStatus.OnSale)]
    [InlineData(EventStatus.Paused)]
    [InlineData(EventStatus.SoldOut)]
    [InlineData(EventStatus.Ended)]
    public async Task Cancelled_is_final(EventStatus target)
    {
        var sale = await cluster.CreateSale();
        await sale.Event.ChangeStatus(sale.Organizer, EventStatus.Cancelled);

        await DomainAssert.Refuses(DomainErrorCode.InvalidState, () => sale.Event.ChangeStatus(sale.Organizer, target));

        Assert.Equal(EventStatus.Cancelled, (await sale.Event.Get()).Status);
    }

    [Fact]
    public async Task An_on_sale_event_cannot_go_back_to_draft()
    {
        var sale = await cluster.CreateSale();

        await DomainAssert.Refuses(DomainErrorCode.InvalidState, () => sale.Event.ChangeStatus(sale.Organizer, EventStatus.Draft));
    }

    [Fact]
    public async Task Only_the_owning_tenant_or_an_admin_changes_the_status()
    {
        var sale = await CreateDraft();
        var otherTenant = Actors.Organizer();
        var sameTenantFan = new Actor("fan-of-tenant", sale.Organizer.Tenant, [ActorRoles.Fan]);

        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => sale.Event.ChangeStatus(otherTenant, EventStatus.OnSale));
        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => sale.Event.ChangeStatus(sameTenantFan, EventStatus.OnSale));
        Assert.Equal(EventStatus.Draft, (await sale.Event.Get()).Status);

        var colleague = Actors.Organizer(sale.Organizer.Tenant);
        Assert.Equal(EventStatus.OnSale, (await sale.Event.ChangeStatus(colleague, EventStatus.OnSale)).Status);
        Assert.Equal(EventStatus.Paused, (await sale.Event.ChangeStatus(Actors.Admin(), EventStatus.Paused)).Status);
    }

    [Fact]
    public async Task Orders_are_refused_unless_the_event_is_on_sale()
    {
        var sale = await CreateDraft();
        await DomainAssert.Refuses(DomainErrorCode.NotOnSale, () => sale.Place(Actors.Fan(), 1));

        await sale.Event.ChangeStatus(sale.Organizer, EventStatus.OnSale);
        await sale.Place(Actors.Fan(), 1);

        await sale.Event.ChangeStatus(sale.Organizer, EventStatus.Paused);
        await DomainAssert.Refuses(DomainErrorCode.NotOnSale, () => sale.Place(Actors.Fan(), 1));

        await sale.Event.ChangeStatus(sale.Organizer, EventStatus.OnSale);
        await sale.Place(Actors.Fan(), 1);

        await sale.Event.ChangeStatus(sale.Organizer, EventStatus.Cancelled);
        await DomainAssert.Refuses(DomainErrorCode.NotOnSale, () => sale.Place(Actors.Fan(), 1));
        Assert.Equal(2, (await sale.Availability()).Held);
    }

    [Fact]
    public async Task Pausing_keeps_existing_holds_and_stock()
    {
        var sale = await cluster.CreateSale();
        var fan = Actors.Fan();
        var held = await sale.Place(fan, 2);

        await sale.Event.ChangeStatus(sale.Organizer, EventStatus.Paused);
        await sale.Event.ChangeStatus(sale.Organizer, EventStatus.OnSale);

        Assert.Equal(2, (await sale.Availability()).Held);
        Assert.Equal(held.Seats, (await sale.Order(held.OrderId).Get(fan)).Seats);
    }
}
