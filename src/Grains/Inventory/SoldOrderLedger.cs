using System.Buffers.Binary;

namespace TicketFlash.Grains.Inventory;

/// <summary>
/// Which orders bought places in a section, kept compact inside the inventory's state (a hot grain is written hundreds
/// of times a second): each sale is 18 bytes (order id, quantity) as 24 Base64 characters. Stored in pages of
/// <see cref="PageEntries"/> entries (all full but the last). A sale is appended as a loose entry and <see cref="Pack"/>
/// folds the loose tail into pages once per write, not once per sale: appending to a page string copied the whole page
/// (5 % of a silo's allocations in a flash sale). Append-only: an entry's position never changes, so a reader (the refund
/// run after a cancellation) can keep a cursor. Count and Read accept the list packed or not.
/// </summary>
public static class SoldOrderLedger
{
    public const int PageEntries = 256;
    private const int EntryBytes = 18;
    private const int EntryChars = 24;
    private const int PageChars = PageEntries * EntryChars;

    public static int Count(IReadOnlyList<string> pages)
    {
        var chars = 0;
        foreach (var page in pages) chars += page.Length;
        return chars / EntryChars;
    }

    public static bool IsFullPage(string page) => page.Length == PageChars;

    public static void Append(List<string> pages, Guid orderId, int quantity)
    {
        Span<byte> entry = stackalloc byte[EntryBytes];
        orderId.TryWriteBytes(entry[..16]);
        BinaryPrimitives.WriteUInt16BigEndian(entry[16..], checked((ushort)quantity));
        pages.Add(Convert.ToBase64String(entry));
    }

    /// <summary>Folds everything after the last full page into full pages and one partial page: the stored shape.</summary>
    public static void Pack(List<string> pages)
    {
        var firstOpen = pages.FindIndex(p => !IsFullPage(p));
        if (firstOpen < 0 || firstOpen == pages.Count - 1) return; // already packed
        var tail = string.Concat(pages.Skip(firstOpen));
        pages.RemoveRange(firstOpen, pages.Count - firstOpen);
        for (var offset = 0; offset < tail.Length; offset += PageChars) pages.Add(tail.Substring(offset, Math.Min(PageChars, tail.Length - offset)));
    }

    /// <summary>Up to <paramref name="max"/> entries from position <paramref name="from"/>.</summary>
    public static List<(Guid OrderId, int Quantity)> Read(IReadOnlyList<string> pages, int from, int max)
    {
        var result = new List<(Guid, int)>();
        Span<byte> entry = stackalloc byte[EntryBytes];
        var skip = Math.Max(0, from) * EntryChars;
        foreach (var page in pages)
        {
            if (result.Count >= max) break;
            if (skip >= page.Length)
            {
                skip -= page.Length;
                continue;
            }
            for (var offset = skip; offset + EntryChars <= page.Length && result.Count < max; offset += EntryChars)
            {
                if (!Convert.TryFromBase64Chars(page.AsSpan(offset, EntryChars), entry, out _)) throw new InvalidDataException("A sold-order entry is damaged.");
                result.Add((new Guid(entry[..16]), BinaryPrimitives.ReadUInt16BigEndian(entry[16..])));
            }
            skip = 0;
        }
        return result;
    }
}
