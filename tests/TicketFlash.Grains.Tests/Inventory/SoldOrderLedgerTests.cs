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
        // Loose (as appended between writes) and packed (as stored) read the same, wherever the cursor is.
        for (var packed = 0; packed < 2; packed++)
        {
            Assert.Equal(600, SoldOrderLedger.Count(pages));
            Assert.Equal(sales, SoldOrderLedger.Read(pages, 0, 1000));
            Assert.Equal(sales.Skip(255).Take(3), SoldOrderLedger.Read(pages, 255, 3)); // straddles the first page boundary
            Assert.Empty(SoldOrderLedger.Read(pages, 600, 10));
            SoldOrderLedger.Pack(pages);
        }
        Assert.Equal([256 * 24, 256 * 24, 88 * 24], pages.Select(p => p.Length));
    }

    [Fact]
    public void Packing_folds_only_the_loose_tail_and_packing_again_changes_nothing()
    {
        var sales = Enumerable.Range(0, 700).Select(i => (Guid.NewGuid(), i % 4 + 1)).ToList();
        var pages = new List<string>();
        foreach (var (order, quantity) in sales.Take(300)) SoldOrderLedger.Append(pages, order, quantity);
        SoldOrderLedger.Pack(pages);
        var firstPage = pages[0];
        foreach (var (order, quantity) in sales.Skip(300)) SoldOrderLedger.Append(pages, order, quantity);

        SoldOrderLedger.Pack(pages);
        var once = pages.ToList();
        SoldOrderLedger.Pack(pages);

        Assert.Same(firstPage, pages[0]); // a full page is never rewritten
        Assert.Equal(once, pages);
        Assert.Equal([256 * 24, 256 * 24, 188 * 24], pages.Select(p => p.Length));
        Assert.Equal(sales, SoldOrderLedger.Read(pages, 0, 1000));
    }

    [Fact]
    public void An_empty_ledger_has_nothing_to_read()
    {
        Assert.Equal(0, SoldOrderLedger.Count([]));
        Assert.Empty(SoldOrderLedger.Read([], 0, 10));
    }
}
