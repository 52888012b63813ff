using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Orders;

[Collection(ClusterCollection.Name)]
public sealed class HoldExpiryTests(ClusterFixture cluster)
{
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(3);

    /// <summary>The hold, plus the inventory's sweep period (~2 s) and grace (1 s), plus slack for a loaded machine.</summary>
    private static readonly TimeSpan ReleaseDeadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task An_unpaid_hold_expires_its_seats_come_back_and_paying_it_then_fails_with_HoldExpired()
    {
        var sale = await cluster.CreateSale(new SaleSpec { HoldDuration = Hold, PerCustomerLimit = 2 });
        var fan = Actors.Fan();
        var held = await sale.Place(fan, 2, "floor", "C-1", "C-2");
        Assert.Equal(2, (await sale.Availability()).Held);
        var chargesBefore = cluster.TotalCharges();

        var released = await Eventually.Until(() => sale.Availability(), a => a.Held == 0, ReleaseDeadline, "the expired hold to be released");

        Assert.Equal((200, 0), (released.Available, released.Sold));
        Assert.True(DateTimeOffset.UtcNow >= held.ExpiresAt, "The seats came back before the hold expired.");
        await DomainAssert.Refuses(DomainErrorCode.HoldExpired, () => sale.Order(held.OrderId).Pay(fan));
        Assert.Equal(chargesBefore, cluster.TotalCharges());
        Assert.Equal(OrderStatus.Expired, (await sale.Order(held.OrderId).Get(fan)).Status);

        // The freed seats can be taken again, and the customer's limit (2) no longer counts the expired order.
        var again = await sale.Place(fan, 2, "floor", "C-1", "C-2");
        Assert.Equal(OrderStatus.Held, again.Status);
    }

    [Fact]
    public async Task Paying_as_soon_as_the_hold_expires_is_refused_and_the_seats_come_back_at_once()
    {
        var sale = await cluster.CreateSale(new SaleSpec { HoldDuration = Hold, Sections = [Sections.GeneralAdmission("ga", 10)] });
        var fan = Actors.Fan();
        var held = await sale.Place(fan, 4);

        // Wait for the order's own expiry only (the inventory sweep adds 1 s of grace and runs every ~2 s).
        await Eventually.Until(() => Task.FromResult(DateTimeOffset.UtcNow), now => now >= held.ExpiresAt, ReleaseDeadline, "the hold to expire");
        await DomainAssert.Refuses(DomainErrorCode.HoldExpired, () => sale.Order(held.OrderId).Pay(fan));

        var availability = await sale.Availability();
        Assert.Equal((10, 0, 0), (availability.Available, availability.Held, availability.Sold));
    }

    [Fact]
    public async Task A_paid_order_keeps_its_seats_after_its_hold_time_passes()
    {
        var sale = await cluster.CreateSale(new SaleSpec { HoldDuration = Hold });
        var fan = Actors.Fan();
        var paid = await sale.Buy(fan, 2);
        var unpaid = await sale.Place(Actors.Fan(), 1);

        // The unpaid hold's release proves a sweep ran after both holds' expiry.
        var after = await Eventually.Until(() => sale.Availability(), a => a.Held == 0, ReleaseDeadline, "the unpaid hold to be released");

        Assert.Equal(OrderStatus.Expired, (await sale.Order(unpaid.OrderId).PeekStatus()));
        Assert.Equal((2, 198), (after.Sold, after.Available));
        Assert.Equal(OrderStatus.Confirmed, (await sale.Order(paid.OrderId).Get(fan)).Status);
    }
}
