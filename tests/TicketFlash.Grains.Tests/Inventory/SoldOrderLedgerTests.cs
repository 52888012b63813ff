using TicketFlash.Grains.Inventory;

namespace TicketFlash.Grains.Tests.Inventory;

/// <summary>The compact, append-only list of a section's sales that a cancellation walks with a cursor.</summary>
public sealed class SoldOrderLedgerTests
{
    [Fact]
    public void Entries_read_back_in_order_across_page_boundaries_and_a_cursor_stays_valid_while_sales_go_on()
    {
        var pages = new List<string>();
        var sales = Enumerable.Range(0, 600).Select(i => (Guid.NewGuid(), i % 20 + 1)).ToList();

        foreach (var (order, quantity) in sales.Take(300)) SoldOrderLedger.Append(pages, order, quantity);
        var firstRead = SoldOrderLedger.Read(pages, 250, 100);
        foreach (var (order, quantity) in sales.Skip(300)) SoldOrderLedger.Append(pages, order, quantity);

        Assert.Equal(sales.Skip(250).Take(50), firstRead);
        Assert.Equal(600, SoldOrderLedger.Count(pages));
        Assert.Equal(3, pages.Count);
        Assert.Equal(sales, SoldOrderLedger.Read(pages, 0, 1000));
        Assert.Equal(sales.Skip(255).Take(3), SoldOrderLedger.Read(pages, 255, 3)); // straddles the first page boundary
        Assert.Empty(SoldOrderLedger.Read(pages, 600, 10));
        Assert.All(pages, p => Assert.True(p.Length <= SoldOrderLedger.PageEntries * 24));
    }

    [Fact]
    public void An_empty_ledger_has_nothing_to_read()
    {
        Assert.Equal(0, SoldOrderLedger.Count([]));
        Assert.Empty(SoldOrderLedger.Read([], 0, 10));
    }
}
