using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TicketFlash.Abstractions.Cancellation;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Common;

namespace TicketFlash.Grains.Cancellation;

public sealed class RefundRunOptions
{
    /// <summary>How often the reminder wakes a run whose silo went away (the run itself moves on with a timer).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Orders per step; the cursor is stored after each step.</summary>
    public int OrdersPerStep { get; set; } = 16;

    public TimeSpan StepInterval { get; set; } = TimeSpan.FromMilliseconds(50);
}

public sealed class RefundRunState
{
    public RefundRunStatus Status { get; set; }
    public string Reason { get; set; } = "";
    public List<string> Sections { get; set; } = [];

    /// <summary>The cursor: per section, how many of its sold orders are done (the ledger is append-only).</summary>
    public Dictionary<string, int> Done { get; set; } = [];

    /// <summary>The section the last step worked on: the ones before it are done.</summary>
    public string? CurrentSection { get; set; }
    public int OrdersVisited { get; set; }
    public int TicketsRefunded { get; set; }
    public int TicketsAlreadyRefunded { get; set; }
    public int TicketsNotRefundable { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>
/// Refunds a cancelled event. Each step reads a few sold orders after the stored cursor, has every ticket of them cancel
/// and refund itself (idempotent per ticket), then stores the cursor and the counts in one write. A crash repeats at
/// most the unfinished step, whose tickets answer "already done" without money moving again. A timer drives the steps
/// while active; a reminder reactivates the run after a silo is lost. Not reentrant: one step at a time.
/// </summary>
public sealed class RefundRunGrain(
    [PersistentState("refundrun", StorageNames.Default)] IPersistentState<RefundRunState> run,
    IOptions<RefundRunOptions> options,
    TimeProvider clock,
    ILogger<RefundRunGrain> logger) : Grain, IRefundRunGrain, IRemindable
{
    private const string ReminderName = "refund-run";
    private IGrainTimer? _timer;
    private string? _lastError;

    private RefundRunState S => run.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Status == RefundRunStatus.Running) StartTimer();
        return Task.CompletedTask;
    }

    public async Task<RefundProgress> Start(string reason, IReadOnlyList<string> sectionIds)
    {
        ArgumentNullException.ThrowIfNull(sectionIds);
        if (S.Status == RefundRunStatus.NotStarted)
        {
            S.Status = RefundRunStatus.Running;
            S.Reason = reason;
            S.Sections = [.. sectionIds.Distinct()];
            S.StartedAt = clock.GetUtcNow();
            await run.WriteOrReloadAsync(DeactivateOnIdle);
        }
        if (S.Status == RefundRunStatus.Running)
        {
            await this.RegisterOrUpdateReminder(ReminderName, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
            StartTimer();
        }
        return Describe();
    }

    public Task<RefundProgress> GetProgress() => Task.FromResult(Describe());

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (S.Status == RefundRunStatus.Running) StartTimer(); // activation already did; a reminder on a live run is a no-op
        else if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }

    private void StartTimer() =>
        _timer ??= this.RegisterGrainTimer(Step, new GrainTimerCreationOptions(TimeSpan.Zero, options.Value.StepInterval) { Interleave = false });

    private async Task Step(CancellationToken cancellationToken)
    {
        if (S.Status != RefundRunStatus.Running) return;
        try
        {
            var next = await NextOrders();
            if (next is null)
            {
                await Complete();
                return;
            }
            var (section, orders) = next.Value;
            var outcomes = await Task.WhenAll(orders.Select(RefundOrder));
            S.Done[section] = S.Done.GetValueOrDefault(section) + orders.Count;
            S.CurrentSection = section;
            S.OrdersVisited += orders.Count;
            foreach (var outcome in outcomes.SelectMany(o => o))
            {
                if (outcome == CancellationRefund.Refunded) S.TicketsRefunded++;
                else if (outcome == CancellationRefund.AlreadyRefunded) S.TicketsAlreadyRefunded++;
                else S.TicketsNotRefundable++;
            }
            await run.WriteOrReloadAsync(DeactivateOnIdle); // the cursor moves only once its tickets are done
            _lastError = null;
        }
        catch (Exception error)
        {
            _lastError = error.Message;
            logger.LogWarning(error, "Refund run {EventId}: a step failed; the next step repeats it", this.GetPrimaryKey());
        }
    }

    /// <summary>The first section with sold orders after its cursor, and up to one step of them; null once all are done.</summary>
    private async Task<(string Section, IReadOnlyList<SoldOrder> Orders)?> NextOrders()
    {
        foreach (var section in S.Sections)
        {
            var page = await GrainFactory.GetGrain<IInventoryGrain>(InventoryKeys.For(this.GetPrimaryKey(), section))
                .GetSoldOrders(S.Done.GetValueOrDefault(section), options.Value.OrdersPerStep);
            if (page.Orders.Count > 0) return (section, page.Orders);
        }
        return null;
    }

    /// <summary>One order's tickets, one after the other: they share the order grain that pays the money back.</summary>
    private async Task<List<CancellationRefund>> RefundOrder(SoldOrder order)
    {
        var outcomes = new List<CancellationRefund>(order.Quantity);
        for (var i = 0; i < order.Quantity; i++)
            outcomes.Add(await GrainFactory.GetGrain<ITicketGrain>(OrderIds.TicketId(order.OrderId, i)).CancelForEvent(S.Reason));
        return outcomes;
    }

    private async Task Complete()
    {
        S.Status = RefundRunStatus.Completed;
        S.CompletedAt = clock.GetUtcNow();
        await run.WriteOrReloadAsync(DeactivateOnIdle);
        _timer?.Dispose();
        _timer = null;
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
        logger.LogInformation("Refund run {EventId} completed: {Refunded} tickets refunded", this.GetPrimaryKey(), S.TicketsRefunded);
    }

    private RefundProgress Describe() =>
        new(this.GetPrimaryKey(), S.Status, S.Sections.Count,
            S.Status == RefundRunStatus.Completed ? S.Sections.Count : Math.Max(0, S.CurrentSection is null ? 0 : S.Sections.IndexOf(S.CurrentSection)),
            S.OrdersVisited, S.TicketsRefunded, S.TicketsAlreadyRefunded, S.TicketsNotRefundable, S.StartedAt, S.CompletedAt, _lastError);
}
