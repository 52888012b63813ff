namespace TicketFlash.Bench.FlashSale.Driver;

/// <summary>What one measurement produced.</summary>
public sealed record RunResult
{
    public required TargetKind Kind { get; init; }
    public required Uri Target { get; init; }
    public required int Buyers { get; init; }
    public required int Seats { get; init; }
    public required TimeSpan Elapsed { get; init; }
    public required long Requests { get; init; }
    public long Purchases { get; init; }
    public long Tickets { get; init; }
    /// <summary>Successful holds (ceiling: every request).</summary>
    public required Percentiles Hold { get; init; }
    public Percentiles Pay { get; init; } = Percentiles.Empty;
    public required IReadOnlyDictionary<string, long> Outcomes { get; init; }
    public IReadOnlyDictionary<string, int> Finishes { get; init; } = new Dictionary<string, int>();
    public bool TimedOut { get; init; }
    public int DuplicateSeats { get; init; }
    public AvailabilityCheck? Availability { get; init; }
    /// <summary>1-minute load average when the measurement started and ended.</summary>
    public string Load { get; init; } = "?";

    public double Seconds => Math.Max(Elapsed.TotalSeconds, 1e-9);
    public double PurchasesPerSecond => Purchases / Seconds;
    public double TicketsPerSecond => Tickets / Seconds;
    public double RequestsPerSecond => Requests / Seconds;
    /// <summary>Confirmed tickets beyond the seats that exist (negative: unsold seats).</summary>
    public long Oversold => Tickets - Seats;
    public bool IsSale => Kind != TargetKind.Ceiling;

    /// <summary>Correct = nothing oversold by either count, no seat label twice, availability agrees.</summary>
    /// <remarks>For the ceiling: every request answered 2xx.</remarks>
    public bool Correct => IsSale
        ? Oversold <= 0 && DuplicateSeats == 0 && Availability is { Ok: true }
        : Report.Errors(this) == 0;
}

/// <summary>GET /api/events/{id}/availability after the sale, compared with what clients saw.</summary>
public sealed record AvailabilityCheck(bool Ok, string Summary, int Capacity, int Available, int Held, int Sold);
