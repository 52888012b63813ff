using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TicketFlash.Abstractions.Cancellation;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Resale;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Sweeps;

namespace TicketFlash.Grains.Cancellation;

/// <summary>
/// Refunds a cancelled event: every sold ticket cancels itself and gets its price back (idempotent per ticket, so a
/// repeated step never refunds twice). The walk, its cursor and its resumption are the sweep's.
/// </summary>
public sealed class RefundRunGrain(
    [PersistentState("refundrun", Common.StorageNames.Default)] IPersistentState<SweepState> run,
    IOptions<SweepOptions> options,
    TimeProvider clock,
    ILogger<RefundRunGrain> logger) : SweepGrain(run, options, clock, logger), IRefundRunGrain
{
    protected override string ReminderName => "refund-run";

    public async Task<RefundProgress> Start(string reason, IReadOnlyList<string> sectionIds)
    {
        ArgumentNullException.ThrowIfNull(sectionIds);
        await StartSweep(reason, sectionIds);
        return Describe();
    }

    public Task<RefundProgress> GetProgress() => Task.FromResult(Describe());

    /// <summary>
    /// Not while any section still holds seats: a payment that passed its check just before the cancellation may still
    /// sell them, and its sale lands in the ledger after the cursor. Unpaid holds end by payment (refunded here then),
    /// release or expiry, so the run ends at the latest one hold time after the cancellation.
    /// </summary>
    protected override async Task<bool> ReadyToComplete()
    {
        var sections = await Task.WhenAll(S.Sections.Select(section =>
            GrainFactory.Ref<IInventoryGrain>(InventoryKeys.For(this.GetPrimaryKey(), section)).GetAvailability(false)));
        return sections.All(s => s.Held == 0);
    }

    /// <summary>A resold ticket first has each resale unwound, oldest first, by its listing; then it is refunded like any other.</summary>
    protected override async Task<string> Visit(Guid ticketId)
    {
        var ticket = GrainFactory.Ref<ITicketGrain>(ticketId);
        var outcome = await ticket.CancelForEvent(S.Reason);
        if (outcome != CancellationRefund.ResalesToUnwind) return outcome.ToString();
        foreach (var listingId in await ticket.ResalesToUnwind())
            await GrainFactory.Ref<IListingGrain>(listingId).UnwindForCancellation(S.Reason);
        return (await ticket.CancelForEvent(S.Reason)).ToString();
    }

    private RefundProgress Describe() =>
        new(this.GetPrimaryKey(), S.Completed ? RefundRunStatus.Completed : S.Started ? RefundRunStatus.Running : RefundRunStatus.NotStarted,
            S.Sections.Count, SectionsDone, S.OrdersVisited,
            Count(nameof(CancellationRefund.Refunded)) + Count(nameof(CancellationRefund.RefundedWithResalesUnwound)), Count(nameof(CancellationRefund.AlreadyRefunded)),
            Count(nameof(CancellationRefund.NotRefundable)), S.StartedAt, S.CompletedAt, LastError, S.Failed.Count,
            Count(nameof(CancellationRefund.NeedsManualRefund)), Count(nameof(CancellationRefund.RefundedWithResalesUnwound)));
}
