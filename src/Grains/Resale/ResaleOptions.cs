namespace TicketFlash.Grains.Resale;

/// <summary>Resale settings read at silo start (configuration key Resale:PayWindowSeconds).</summary>
public sealed class ResaleOptions
{
    public const string PayWindowKey = "Resale:PayWindowSeconds";

    /// <summary>How long an unpaid payment-intent attempt holds a listing before the next buyer or the seller may take it back.</summary>
    public TimeSpan PayWindow { get; init; } = TimeSpan.FromMinutes(10);
}
