using Microsoft.Extensions.Logging;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Expiry;
using TicketFlash.Grains.Common;
using TicketFlash.Grains.Tickets.Codes;

namespace TicketFlash.Grains.Events;

/// <summary>
/// Ticket expiry: a reminder aims at the close of the event's check-in window (its end plus the late-scan margin) and
/// then starts the expiry run, once. Reminders are re-aimed at most a day ahead, so a far-off event costs one wake-up a day.
/// </summary>
public sealed partial class EventGrain : IRemindable
{
    private const string ExpiryReminder = "ticket-expiry";
    private static readonly TimeSpan ExpiryReminderPeriod = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxReminderDue = TimeSpan.FromDays(1);

    private DateTimeOffset TicketsExpireAt => evt.State.EndsAt + TicketCodeIssuer.ClosesAfterEnd;

    private bool ExpiryPending => evt.RecordExists && evt.State.Status != EventStatus.Cancelled && !evt.State.ExpiryRunStarted;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ExpiryReminder) return;
        if (!ExpiryPending)
        {
            await DropExpiryReminder();
            return;
        }
        if (clock.GetUtcNow() < TicketsExpireAt)
        {
            await ScheduleExpiry(); // not yet: aim again, closer
            return;
        }
        await GrainFactory.Ref<IExpiryRunGrain>(this.GetPrimaryKey()).Start([.. evt.State.Sections.Select(s => s.Id)]);
        evt.State.ExpiryRunStarted = true;
        await evt.WriteOrReloadAsync(DeactivateOnIdle);
        await DropExpiryReminder();
    }

    private async Task ScheduleExpiry()
    {
        if (!ExpiryPending) return;
        var due = TicketsExpireAt - clock.GetUtcNow();
        due = due < TimeSpan.Zero ? TimeSpan.Zero : due > MaxReminderDue ? MaxReminderDue : due;
        await this.RegisterOrUpdateReminder(ExpiryReminder, due, ExpiryReminderPeriod);
    }

    /// <summary>At activation: events created before expiry existed (or whose first scheduling failed) get their reminder.</summary>
    private async Task EnsureExpiryScheduled()
    {
        try
        {
            await ScheduleExpiry();
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Scheduling ticket expiry of event {EventId} failed; the next activation retries", this.GetPrimaryKey());
        }
    }

    private async Task DropExpiryReminder()
    {
        if (await this.GetReminder(ExpiryReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }
}
