using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Streams;

namespace TicketFlash.Grains.Orders;

public sealed class OrderState
{
    public string CustomerId { get; set; } = "";
    public Guid EventId { get; set; }
    public string SectionId { get; set; } = "";
    public OrderStatus Status { get; set; }
    public int Quantity { get; set; }
    public List<string> Seats { get; set; } = [];
    public decimal UnitPrice { get; set; }
    public string Currency { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? ConfirmedAt { get; set; }
    public string? PaymentId { get; set; }

    /// <summary>What the first request asked for: a retry with the same key must ask for the same thing.</summary>
    public string RequestFingerprint { get; set; } = "";

    /// <summary>False until the inventory acknowledged the sale; a reactivated confirmed order finishes the commit.</summary>
    public bool InventoryCommitted { get; set; }

    /// <summary>Ticket index → the gateway's refund id, for tickets refunded one by one.</summary>
    public Dictionary<int, string> TicketRefunds { get; set; } = [];

    /// <summary>The gateway's payment intent (Stripe), once the fan asked to pay; null with the one-call gateway.</summary>
    public string? IntentId { get; set; }
    public string? ClientSecret { get; set; }
    public string? IntentStatus { get; set; }

    /// <summary>A payment that succeeded after the hold ended was refunded with this refund (the order stays closed).</summary>
    public string? LateRefundId { get; set; }
    public string? PaymentFailure { get; set; }

    /// <summary>Gateway event ids already handled (the most recent few): a redelivered webhook has no second effect.</summary>
    public List<string> PaymentEvents { get; set; } = [];

    public List<DomainEvent> Outbox { get; set; } = [];

    public decimal Total => UnitPrice * Quantity;
}
