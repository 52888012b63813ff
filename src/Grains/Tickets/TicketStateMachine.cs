using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Tickets;

namespace TicketFlash.Grains.Tickets;

/// <summary>What someone may do to a ticket. Never renumber: stored in history.</summary>
public enum TicketAction
{
    Issue = 0,
    Mint = 1,
    Activate = 2,
    Transfer = 3,
    List = 4,
    Delist = 5,
    SellOnResale = 6,
    CheckIn = 7,
    Expire = 8,
    Cancel = 9,
    Refund = 10,
    Revoke = 11,
}

/// <summary>
/// The ticket state machine: every legal transition is one row of this table, and nothing else decides.
/// Available and Reserved belong to the inventory (a seat before sale); the ticket's own life starts at Sold.
/// The seed service contradicted itself (its QR validation accepted only Sold, its state machine admitted only from
/// Active/Transferred). The rule here: a ticket is admitted from Active or Transferred (a usable, owned ticket); Sold and
/// Minted are not yet usable, Listed is withdrawn from use while on the market.
/// </summary>
public static class TicketStateMachine
{
    private static readonly TicketStatus[] Usable = [TicketStatus.Active, TicketStatus.Transferred];
    private static readonly TicketStatus[] Live = [TicketStatus.Sold, TicketStatus.Minted, TicketStatus.Active, TicketStatus.Transferred, TicketStatus.Listed];

    private static readonly Dictionary<(TicketStatus From, TicketAction Action), TicketStatus> Table = Build();

    /// <summary>Actions that need an organizer or admin and a reason.</summary>
    public static readonly IReadOnlySet<TicketAction> Privileged = new HashSet<TicketAction> { TicketAction.Refund, TicketAction.Revoke, TicketAction.Cancel };

    public static IReadOnlyDictionary<(TicketStatus From, TicketAction Action), TicketStatus> Transitions => Table;

    public static bool TryMove(TicketStatus from, TicketAction action, out TicketStatus to) => Table.TryGetValue((from, action), out to);

    /// <summary>The target state, or a 409 that names the current state and the attempted action.</summary>
    public static TicketStatus Move(TicketStatus from, TicketAction action) =>
        TryMove(from, action, out var to)
            ? to
            : throw new DomainException(DomainErrorCode.InvalidState, $"A ticket in state {from} cannot {action}.");

    public static bool IsAdmissible(TicketStatus status) => Usable.Contains(status);

    private static Dictionary<(TicketStatus, TicketAction), TicketStatus> Build()
    {
        var t = new Dictionary<(TicketStatus, TicketAction), TicketStatus>
        {
            [(TicketStatus.Reserved, TicketAction.Issue)] = TicketStatus.Sold,
            [(TicketStatus.Sold, TicketAction.Mint)] = TicketStatus.Minted,
            [(TicketStatus.Sold, TicketAction.Activate)] = TicketStatus.Active, // no minting configured
            [(TicketStatus.Minted, TicketAction.Activate)] = TicketStatus.Active,
            [(TicketStatus.Listed, TicketAction.Delist)] = TicketStatus.Active,
            [(TicketStatus.Listed, TicketAction.SellOnResale)] = TicketStatus.Transferred,
            [(TicketStatus.Cancelled, TicketAction.Refund)] = TicketStatus.Refunded,
        };
        foreach (var usable in Usable)
        {
            t[(usable, TicketAction.Transfer)] = TicketStatus.Transferred;
            t[(usable, TicketAction.List)] = TicketStatus.Listed;
            t[(usable, TicketAction.CheckIn)] = TicketStatus.CheckedIn;
        }
        foreach (var live in Live)
        {
            t[(live, TicketAction.Expire)] = TicketStatus.Expired;
            t[(live, TicketAction.Cancel)] = TicketStatus.Cancelled;
            t[(live, TicketAction.Refund)] = TicketStatus.Refunded;
            t[(live, TicketAction.Revoke)] = TicketStatus.Revoked;
        }
        return t;
    }
}
