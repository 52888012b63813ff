using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Streams;
using TicketFlash.Abstractions.Venues;

namespace TicketFlash.Grains.Events;

public sealed class EventState
{
    public string Tenant { get; set; } = "";
    public string Name { get; set; } = "";
    public Guid VenueId { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset EndsAt { get; set; }
    public EventStatus Status { get; set; }
    public List<PriceTier> Tiers { get; set; } = [];
    public List<SectionDefinition> Sections { get; set; } = [];
    public int PerCustomerLimit { get; set; }
    public TimeSpan HoldDuration { get; set; }

    /// <summary>No transfers this many hours before the event starts (doors).</summary>
    public double TransferFreezeHours { get; set; }

    /// <summary>Resale price cap, percent of face value.</summary>
    public int ResaleCapPercent { get; set; } = EventDefaults.ResaleCapPercent;

    /// <summary>Cancelled, and the refund run has been started (it resumes itself); false → start it on activation.</summary>
    public bool RefundRunStarted { get; set; }

    /// <summary>The check-in window closed and the expiry run has been started (it resumes itself).</summary>
    public bool ExpiryRunStarted { get; set; }
    public List<DomainEvent> Outbox { get; set; } = [];
}

/// <summary>The event's sale status machine: every legal move in one table.</summary>
public static class EventStatusRules
{
    private static readonly Dictionary<EventStatus, EventStatus[]> Allowed = new()
    {
        [EventStatus.Draft] = [EventStatus.OnSale, EventStatus.Cancelled],
        [EventStatus.OnSale] = [EventStatus.Paused, EventStatus.SoldOut, EventStatus.Ended, EventStatus.Cancelled],
        [EventStatus.Paused] = [EventStatus.OnSale, EventStatus.Ended, EventStatus.Cancelled],
        [EventStatus.SoldOut] = [EventStatus.OnSale, EventStatus.Ended, EventStatus.Cancelled],
        [EventStatus.Ended] = [],
        [EventStatus.Cancelled] = [],
    };

    public static bool CanMove(EventStatus from, EventStatus to) => Allowed[from].Contains(to);
}
