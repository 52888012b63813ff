using Orleans.Core.Internal;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Grains.Inventory;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Inventory;

/// <summary>
/// The sold-order ledger of a busy section: full pages leave the inventory's hot state for page grains, and a reader
/// paging with a cursor (as the refund run does) still sees every sale once, in order, after the inventory reloads.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SoldOrderPagesTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Sales_beyond_a_page_are_sealed_into_page_grains_and_read_back_once_each_in_order()
    {
        var sale = await cluster.CreateSale(new SaleSpec { Sections = [Sections.GeneralAdmission("ga", 700)] });
        var inventory = sale.Inventory();
        var orders = Enumerable.Range(0, 600).Select(i => (Id: Guid.NewGuid(), Quantity: 1)).ToList();
        foreach (var chunk in orders.Chunk(50))
        {
            // One chunk at a time keeps the ledger's order equal to the list's order.
            foreach (var (id, quantity) in chunk)
                await inventory.Hold(new HoldRequest(id, $"fan-{id:N}", quantity, null, DateTimeOffset.UtcNow.AddMinutes(10)));
            foreach (var (id, _) in chunk) await inventory.Commit(id);
        }

        await inventory.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(200);

        var read = new List<(Guid, int)>();
        var total = -1;
        while (true)
        {
            var page = await inventory.GetSoldOrders(read.Count, 100);
            total = page.Total;
            if (page.Orders.Count == 0) break;
            read.AddRange(page.Orders.Select(o => (o.OrderId, o.Quantity)));
        }
        Assert.Equal(600, total);
        Assert.Equal(orders, read);
        Assert.Equal(600, (await inventory.GetAvailability(false)).Sold);
        var firstPage = await cluster.GrainFactory.Page(sale.EventId, "ga", 0).Get();
        Assert.Equal(SoldOrderLedger.PageEntries, SoldOrderLedger.Count([firstPage]));
        Assert.Equal(SoldOrderLedger.PageEntries, SoldOrderLedger.Count([await cluster.GrainFactory.Page(sale.EventId, "ga", 1).Get()]));
    }
}
