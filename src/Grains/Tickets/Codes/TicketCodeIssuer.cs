using Orleans.Concurrency;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Tickets;

namespace TicketFlash.Grains.Tickets.Codes;

/// <summary>
/// What a ticket's code says, from the ticket and its event alone: no dependency on the ticket grain's internals, so the
/// issuer grain, the PDF renderer and tests all produce the same claims.
/// </summary>
public static class TicketCodeIssuer
{
    /// <summary>The default check-in window: doors may open 4 h before the start, late scans run until 2 h after the end.</summary>
    public static readonly TimeSpan OpensBeforeStart = TimeSpan.FromHours(4);

    public static readonly TimeSpan ClosesAfterEnd = TimeSpan.FromHours(2);

    /// <summary>
    /// States whose holder may show a code. A listed ticket shows none (it is for sale), nor does one that is cancelled,
    /// refunded, revoked or expired. A checked-in ticket still shows its code: the gate answers AlreadyCheckedIn.
    /// </summary>
    private static readonly HashSet<TicketStatus> Showable =
        [TicketStatus.Sold, TicketStatus.Minted, TicketStatus.Active, TicketStatus.Transferred, TicketStatus.CheckedIn];

    public static bool HasCode(TicketStatus status) => Showable.Contains(status);

    /// <summary>The validity written into every code of the event, whole seconds, never narrower than the window itself.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) CheckInWindow(EventDetails evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var from = evt.StartsAt - OpensBeforeStart;
        var to = evt.EndsAt + ClosesAfterEnd;
        return (DateTimeOffset.FromUnixTimeSeconds(from.ToUnixTimeSeconds()), DateTimeOffset.FromUnixTimeSeconds(CeilingSeconds(to)));
    }

    public static TicketCodeClaims StaticClaims(TicketDetails ticket, EventDetails evt) => Build(ticket, evt, TicketCodeMode.Static, null);

    /// <summary>The in-app code for the time window that contains <paramref name="now"/>; the app asks again when it ends.</summary>
    public static TicketCodeClaims RotatingClaims(TicketDetails ticket, EventDetails evt, DateTimeOffset now) =>
        Build(ticket, evt, TicketCodeMode.Rotating, TicketCode.WindowAt(now));

    public static TicketCodeClaims Claims(TicketDetails ticket, EventDetails evt, TicketCodeMode mode, DateTimeOffset now) => mode switch
    {
        TicketCodeMode.Static => StaticClaims(ticket, evt),
        TicketCodeMode.Rotating => RotatingClaims(ticket, evt, now),
        TicketCodeMode.Device => throw DomainException.Invalid("Device codes are made by the fan's device; bind it with POST /api/tickets/{id}/devices."),
        _ => throw DomainException.Invalid($"Unknown code mode {mode}."),
    };

    /// <summary>What the certificate of <paramref name="deviceKey"/> for this ticket says: its serial and the check-in window.</summary>
    public static DeviceCertificateClaims DeviceClaims(TicketDetails ticket, EventDetails evt, byte[] deviceKey)
    {
        var claims = Build(ticket, evt, TicketCodeMode.Static, null);
        return new DeviceCertificateClaims(claims.EventId, claims.TicketId, claims.Serial, claims.ValidFrom, claims.ValidTo, deviceKey);
    }

    /// <summary>Certifies a fan's device key for the ticket with its event's current key.</summary>
    public static Task<SignedDeviceCertificate> CertifyDevice(IGrainFactory grains, TicketDetails ticket, EventDetails evt, byte[] deviceKey)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.Ref<ITicketKeyGrain>(evt.Id).SignDeviceCertificate(DeviceClaims(ticket, evt, deviceKey));
    }

    /// <summary>Signs the ticket's code with its event's current key.</summary>
    public static Task<SignedTicketCode> Issue(IGrainFactory grains, TicketDetails ticket, EventDetails evt, TicketCodeMode mode, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.Ref<ITicketKeyGrain>(evt.Id).Sign(Claims(ticket, evt, mode, now));
    }

    private static TicketCodeClaims Build(TicketDetails ticket, EventDetails evt, TicketCodeMode mode, uint? window)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(evt);
        if (ticket.EventId != evt.Id) throw DomainException.Invalid("The ticket is not for this event.");
        if (ticket.Serial < 0) throw DomainException.Invalid("A ticket serial is never negative.");
        var (from, to) = CheckInWindow(evt);
        return new TicketCodeClaims(mode, evt.Id, ticket.TicketId, (uint)ticket.Serial, from, to, window);
    }

    private static long CeilingSeconds(DateTimeOffset at)
    {
        var seconds = at.ToUnixTimeSeconds();
        return DateTimeOffset.FromUnixTimeSeconds(seconds) < at ? seconds + 1 : seconds;
    }
}

/// <summary>
/// Issues codes to ticket holders. Stateless, so it scales out with the fans refreshing rotating codes; the signing
/// itself happens in the event's key grain, the only place a private key is.
/// </summary>
[StatelessWorker]
public sealed class TicketCodeIssuerGrain(TimeProvider clock) : Grain, ITicketCodeIssuerGrain
{
    public async Task<SignedTicketCode> Issue(Actor actor, Guid ticketId, TicketCodeMode mode)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!Enum.IsDefined(mode)) throw DomainException.Invalid($"Unknown code mode {mode}.");
        var ticket = await GrainFactory.Ref<ITicketGrain>(ticketId).Get(actor); // the ticket decides who may show its code
        if (!TicketCodeIssuer.HasCode(ticket.Status)) throw DomainException.State($"A ticket in state {ticket.Status} has no valid code.");
        var evt = await GrainFactory.Ref<IEventGrain>(ticket.EventId).Get();
        return await TicketCodeIssuer.Issue(GrainFactory, ticket, evt, mode, clock.GetUtcNow());
    }
}
