using TicketFlash.Abstractions.Tickets;

namespace TicketFlash.Grains.Tickets;

public sealed class TicketState
{
    public Guid OrderId { get; set; }
    public Guid EventId { get; set; }
    public string SectionId { get; set; } = "";
    public string? SeatId { get; set; }
    public string OwnerId { get; set; } = "";
    public TicketStatus Status { get; set; }
    public int Serial { get; set; }
    public List<TicketTransition> History { get; set; } = [];
    public DateTimeOffset? CheckedInAt { get; set; }
    public string? CheckedInGate { get; set; }
    public string? CheckedInDevice { get; set; }

    /// <summary>Transferred, but the recipient's list doesn't know yet: finished on the next activation if a crash interrupts.</summary>
    public string? RecipientToNotify { get; set; }

    /// <summary>Refunded, but the money or the seat is not yet given back: finished on the next activation if a crash interrupts.</summary>
    public bool RefundUnsettled { get; set; }

    /// <summary>The open listing while the ticket is Listed.</summary>
    public Guid? ListingId { get; set; }

    /// <summary>Listings that sold this ticket: a retried sale by one of them is answered, not refused.</summary>
    public List<Guid> SoldListings { get; set; } = [];

    /// <summary>The fan's device key (65-byte uncompressed P-256 point) whose device codes are valid; null when none is bound.</summary>
    public byte[]? DeviceKey { get; set; }

    public DateTimeOffset? DeviceBoundAt { get; set; }

    /// <summary>Sold listings whose sale was unwound for a cancellation (buyer refunded, seller's proceeds voided).</summary>
    public List<Guid> UnwoundListings { get; set; } = [];
}
