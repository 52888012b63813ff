using Microsoft.Extensions.Logging;
using TicketFlash.Abstractions.Orders;

namespace TicketFlash.Grains.Inventory;

/// <summary>
/// Hold expiry and live reporting. A timer sweeps while the grain is active; a reminder (registered only while holds
/// exist) brings the grain back after a silo failure so that holds still expire.
/// </summary>
public sealed partial class InventoryGrain
{
    private const string ExpiryReminder = "hold-expiry";
    private static readonly TimeSpan ExpiryGrace = TimeSpan.FromSeconds(1);
    private bool _reminderRegistered;
    private bool _sweeping;
    private int _tick;

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _reminderRegistered = true;
        return SweepExpiredHolds();
    }

    private async Task OnTick(CancellationToken ct)
    {
        if (_liveDirty && !_commit.IsBroken)
        {
            _liveDirty = false;
            await ReportLive();
        }
        if (++_tick % 8 == 0) await SweepExpiredHolds();
    }

    private async Task EnsureExpiryReminder()
    {
        if (_reminderRegistered) return;
        _reminderRegistered = true;
        try
        {
            await this.RegisterOrUpdateReminder(ExpiryReminder, _options.ExpiryReminderPeriod, _options.ExpiryReminderPeriod);
        }
        catch (Exception error)
        {
            _reminderRegistered = false;
            _logger.LogWarning(error, "Registering the hold-expiry reminder failed; the timer still sweeps while active");
        }
    }

    /// <summary>Each expired hold is settled by its order (the arbiter): confirmed orders' seats are sold, others released.</summary>
    private async Task SweepExpiredHolds()
    {
        if (_sweeping || _commit.IsBroken || !_inventory.RecordExists) return;
        _sweeping = true;
        try
        {
            var cutoff = _clock.GetUtcNow() - ExpiryGrace;
            var expired = S.Holds.Where(h => h.Value.ExpiresAt < cutoff).Select(h => h.Key).ToList();
            if (expired.Count == 0)
            {
                if (S.Holds.Count == 0 && _reminderRegistered) await DropReminder();
                return;
            }
            var verdicts = await Task.WhenAll(expired.Select(async orderId =>
                (orderId, verdict: await GrainFactory.Ref<IOrderGrain>(orderId).ResolveExpiredHold())));
            var changed = false;
            foreach (var (orderId, verdict) in verdicts)
            {
                // Re-check: other calls interleaved while we asked.
                if (!S.Holds.TryGetValue(orderId, out var hold)) continue;
                if (verdict == HoldVerdict.Commit) ApplySale(orderId, hold);
                else if (verdict == HoldVerdict.Release) ApplyRelease(orderId, hold);
                else continue;
                changed = true;
            }
            if (changed) await _commit.CommitAsync();
        }
        catch (Exception error)
        {
            _logger.LogWarning(error, "Sweeping expired holds of {Key} failed; the next sweep retries", this.GetPrimaryKeyString());
        }
        finally
        {
            _sweeping = false;
        }
    }

    private async Task DropReminder()
    {
        var reminder = await this.GetReminder(ExpiryReminder);
        if (reminder is not null) await this.UnregisterReminder(reminder);
        _reminderRegistered = false;
    }
}
