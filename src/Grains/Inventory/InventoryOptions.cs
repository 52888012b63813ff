namespace TicketFlash.Grains.Inventory;

public sealed class InventoryOptions
{
    /// <summary>How often the hold-expiry reminder wakes an inventory that holds unpaid seats (Orleans' floor: see ReminderOptions).</summary>
    public TimeSpan ExpiryReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
