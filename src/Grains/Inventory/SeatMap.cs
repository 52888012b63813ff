using System.Text;

namespace TicketFlash.Grains.Inventory;

/// <summary>Seat ids of reserved seating: row label, dash, seat number ("A-12", "AA-3"); rows are labelled A..Z, AA..ZZ, ….</summary>
public static class SeatIds
{
    public static string RowLabel(int row)
    {
        var label = new StringBuilder();
        for (var n = row + 1; n > 0; n = (n - 1) / 26) label.Insert(0, (char)('A' + ((n - 1) % 26)));
        return label.ToString();
    }

    public static string Format(int index, int seatsPerRow) => $"{RowLabel(index / seatsPerRow)}-{(index % seatsPerRow) + 1}";

    /// <summary>Parses a seat id into its index in the section, or null if it names no seat of this section.</summary>
    public static int? TryParse(string seatId, int rows, int seatsPerRow)
    {
        var dash = seatId.IndexOf('-');
        if (dash <= 0 || dash > 3 || !int.TryParse(seatId.AsSpan(dash + 1), System.Globalization.NumberStyles.None, null, out var seat)) return null;
        var row = 0;
        foreach (var c in seatId.AsSpan(0, dash))
        {
            if (c is < 'A' or > 'Z') return null;
            row = (row * 26) + (c - 'A' + 1);
        }
        row--;
        if (row >= rows || seat < 1 || seat > seatsPerRow) return null;
        return (row * seatsPerRow) + seat - 1;
    }
}

/// <summary>Chooses seats for "best available": the first row with enough adjacent free seats, else any free seats.</summary>
public static class BestAvailable
{
    public static List<int>? Pick(ReadOnlySpan<char> seats, int seatsPerRow, int quantity)
    {
        for (var rowStart = 0; rowStart < seats.Length; rowStart += seatsPerRow)
        {
            var run = 0;
            for (var i = rowStart; i < rowStart + seatsPerRow; i++)
            {
                run = seats[i] == SeatCodes.Available ? run + 1 : 0;
                if (run == quantity) return [.. Enumerable.Range(i - quantity + 1, quantity)];
            }
        }
        var scattered = new List<int>(quantity);
        for (var i = 0; i < seats.Length && scattered.Count < quantity; i++)
        {
            if (seats[i] == SeatCodes.Available) scattered.Add(i);
        }
        return scattered.Count == quantity ? scattered : null;
    }
}
