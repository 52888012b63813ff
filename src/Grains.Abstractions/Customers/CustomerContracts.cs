namespace TicketFlash.Abstractions.Customers;

/// <summary>A fan, keyed by the token subject. Owns the per-event purchase limit and the list of orders.</summary>
[Alias("tf.ICustomerGrain")]
public interface ICustomerGrain : IGrainWithStringKey
{
    /// <summary>Counts the order's quantity against the event's limit; idempotent by order id. Throws LimitExceeded.</summary>
    [Alias("Reserve")]
    Task Reserve(Guid eventId, Guid orderId, int quantity, int limit, DateTimeOffset expiresAt);

    /// <summary>Gives the quantity back (the order was cancelled, expired or failed to hold seats).</summary>
    [Alias("Release")]
    Task Release(Guid eventId, Guid orderId);

    /// <summary>Unchecked: for grains and tests. The API uses <see cref="GetOrderIds(Common.Actor)"/>.</summary>
    [Alias("GetOrderIds")]
    Task<IReadOnlyList<Guid>> GetOrderIds();

    /// <summary>The customer's orders, for the customer or an admin; anyone else is refused.</summary>
    [Alias("GetOrderIdsFor")]
    Task<IReadOnlyList<Guid>> GetOrderIds(Common.Actor actor);

    /// <summary>Remembers a ticket this customer received (transfer or resale); idempotent.</summary>
    [Alias("ReceiveTicket")]
    Task ReceiveTicket(Guid ticketId);

    /// <summary>Tickets this customer received from others (whether or not still owned: the ticket decides).</summary>
    [Alias("GetReceivedTickets")]
    Task<IReadOnlyList<Guid>> GetReceivedTickets();

    /// <summary>Records what a resale earned this seller; idempotent by listing id.</summary>
    [Alias("RecordProceeds")]
    Task RecordProceeds(Resale.SaleProceeds proceeds);

    /// <summary>The sale was unwound (its event was cancelled, the buyer refunded): the proceeds stay listed, voided. Idempotent.</summary>
    [Alias("VoidProceeds")]
    Task VoidProceeds(Guid listingId, string reason);

    [Alias("GetProceeds")]
    Task<IReadOnlyList<Resale.SaleProceeds>> GetProceeds();
}
