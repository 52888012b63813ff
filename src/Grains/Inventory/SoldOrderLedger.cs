using System.Buffers.Binary;

namespace TicketFlash.Grains.Inventory;

/// <summary>
/// Which orders bought places in a section, kept compact inside the inventory's state (a hot grain is written hundreds
/// of times a second): each sale is 18 bytes (order id, quantity) as 24 Base64 characters, in pages of
/// <see cref="PageEntries"/> so an append copies at most one page. Append-only: an entry's position never changes, so a
/// reader (the refund run after a cancellation) can keep a cursor.
/// </summary>
public static class SoldOrderLedger
{
    public const int PageEntries = 256;
    private const int EntryBytes = 18;
    private const int EntryChars = 24;

    public static int Count(IReadOnlyList<string> pages) => pages.Count == 0 ? 0 : (pages.Count - 1) * PageEntries + pages[^1].Length / EntryChars;

    public static void Append(List<string> pages, Guid orderId, int quantity)
    {
        Span<byte> entry = stackalloc byte[EntryBytes];
        orderId.TryWriteBytes(entry[..16]);
        BinaryPrimitives.WriteUInt16BigEndian(entry[16..], checked((ushort)quantity));
        var text = Convert.ToBase64String(entry);
        if (pages.Count == 0 || pages[^1].Length >= PageEntries * EntryChars) pages.Add(text);
        else pages[^1] += text;
    }

    /// <summary>Up to <paramref name="max"/> entries from position <paramref name="from"/>.</summary>
    public static List<(Guid OrderId, int Quantity)> Read(IReadOnlyList<string> pages, int from, int max)
    {
        var result = new List<(Guid, int)>();
        Span<byte> entry = stackalloc byte[EntryBytes];
        for (var i = Math.Max(0, from); i < Count(pages) && result.Count < max; i++)
        {
            var page = pages[i / PageEntries];
            var offset = i % PageEntries * EntryChars;
            if (!Convert.TryFromBase64Chars(page.AsSpan(offset, EntryChars), entry, out _)) throw new InvalidDataException("A sold-order entry is damaged.");
            result.Add((new Guid(entry[..16]), BinaryPrimitives.ReadUInt16BigEndian(entry[16..])));
        }
        return result;
    }
}
