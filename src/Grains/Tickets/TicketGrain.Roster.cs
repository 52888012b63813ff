using Microsoft.Extensions.Logging;
using TicketFlash.Abstractions.CheckIn;

namespace TicketFlash.Grains.Tickets;

/// <summary>Keeps the event's check-in roster (what offline scanners download) in step with this ticket.</summary>
public sealed partial class TicketGrain
{
    private int _rosterAcknowledged;
    private IGrainTimer? _rosterRetry;

    private async Task RetryRosterReport(CancellationToken cancellationToken)
    {
        _rosterRetry?.Dispose();
        _rosterRetry = null;
        await ReportToRoster(); // sets a new timer if it fails again
    }

    /// <summary>
    /// Untouched tickets (issued, activated: Active, serial 1) are the roster's default and need no entry; any later move
    /// does, even one back to Active (a delisting must replace the Listed entry). A first device binding does not: no other
    /// device was ever certified for the ticket, so offline gates need not know which one is bound.
    /// </summary>
    private bool RosterNeedsUs => S.History.Skip(2).Any(h => !IsFirstBinding(h));

    /// <summary>
    /// After the ticket's own durable write: report serial, state and version (history length; the roster keeps the
    /// newest). A failure is logged, not thrown (the ticket's change stands) and repeated on the next activation or change.
    /// </summary>
    private async Task ReportToRoster(bool admission = false)
    {
        var version = S.History.Count;
        if (_rosterAcknowledged >= version || !RosterNeedsUs) return;
        try
        {
            var roster = GrainFactory.Ref<ICheckInRosterGrain>(S.EventId, RosterShards.Of(this.GetPrimaryKey()));
            var entry = new RosterEntry(this.GetPrimaryKey(), S.Serial, S.Status, version, RosterDeviceKey);
            // An admission does not wait for the roster (see ICheckInRosterGrain.Note); changes that void a code do.
            await (admission ? roster.Note(entry) : roster.Upsert(entry));
            _rosterAcknowledged = version;
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Reporting ticket {TicketId} to the check-in roster failed; retrying", this.GetPrimaryKey());
            // Offline gates must learn of a voided code even if nobody calls this ticket again: retry on a timer.
            _rosterRetry ??= this.RegisterGrainTimer(RetryRosterReport, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        }
    }
}
