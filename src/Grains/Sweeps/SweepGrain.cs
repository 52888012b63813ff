using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Grains.Common;

namespace TicketFlash.Grains.Sweeps;

public sealed class SweepOptions
{
    /// <summary>How often the reminder wakes a sweep whose silo went away (the sweep itself moves on with a timer).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Orders per step; the cursor is stored after each step.</summary>
    public int OrdersPerStep { get; set; } = 16;

    public TimeSpan StepInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How often tickets whose visit failed are tried again once all others are done.</summary>
    public TimeSpan FailedRetryInterval { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class SweepState
{
    public bool Started { get; set; }
    public bool Completed { get; set; }
    public string Reason { get; set; } = "";
    public List<string> Sections { get; set; } = [];

    /// <summary>The cursor: per section, how many of its sold orders are done (the ledger is append-only).</summary>
    public Dictionary<string, int> Done { get; set; } = [];

    /// <summary>The section the last step worked on: the ones before it are done.</summary>
    public string? CurrentSection { get; set; }
    public int OrdersVisited { get; set; }

    /// <summary>Tickets per outcome (the subclass names the outcomes).</summary>
    public Dictionary<string, int> Outcomes { get; set; } = [];
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Tickets whose visit failed (a gateway down, a declined refund): retried, so one cannot hold up the rest.</summary>
    public List<Guid> Failed { get; set; } = [];

    public DateTimeOffset? RetryFailedAfter { get; set; }
}

/// <summary>
/// Visits every ticket an event sold, once, surviving restarts: each step reads a few sold orders after the stored
/// cursor (each section's ledger in its inventory), has each of their tickets do the subclass's idempotent action, then
/// stores the cursor and the counts in one write. A crash repeats at most the unfinished step, whose tickets answer
/// "already done". A timer drives the steps while active; a reminder reactivates the sweep after a silo is lost.
/// Not reentrant: one step at a time.
/// </summary>
public abstract class SweepGrain(IPersistentState<SweepState> sweep, IOptions<SweepOptions> options, TimeProvider clock, ILogger logger)
    : Grain, IRemindable
{
    private IGrainTimer? _timer;

    protected SweepState S => sweep.State;

    /// <summary>The last step's failure, until a step succeeds.</summary>
    protected string? LastError { get; private set; }

    protected int SectionsDone => S.Completed ? S.Sections.Count : Math.Max(0, S.CurrentSection is null ? 0 : S.Sections.IndexOf(S.CurrentSection));

    protected abstract string ReminderName { get; }

    /// <summary>The action on one ticket; idempotent. Returns the outcome to count.</summary>
    protected abstract Task<string> Visit(Guid ticketId);

    /// <summary>Asked once every section is done and nothing waits for a retry: may the sweep end now?</summary>
    protected virtual Task<bool> ReadyToComplete() => Task.FromResult(true);

    private DateTimeOffset _nextReadinessCheck;

    /// <summary>The steps tick every <see cref="SweepOptions.StepInterval"/>; asking the sections once a second is enough.</summary>
    private async Task<bool> ReadyToCompleteNow()
    {
        if (clock.GetUtcNow() < _nextReadinessCheck) return false;
        _nextReadinessCheck = clock.GetUtcNow() + TimeSpan.FromSeconds(1);
        return await ReadyToComplete();
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Started && !S.Completed) StartTimer();
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (S.Started && !S.Completed) StartTimer(); // activation already did; a reminder on a live sweep is a no-op
        else await DropReminder();
    }

    /// <summary>Starts the sweep once; a repeat only makes sure it is running.</summary>
    protected async Task StartSweep(string reason, IReadOnlyList<string> sectionIds)
    {
        if (!S.Started)
        {
            S.Started = true;
            S.Reason = reason;
            S.Sections = [.. sectionIds.Distinct()];
            S.StartedAt = clock.GetUtcNow();
            await sweep.WriteOrReloadAsync(DeactivateOnIdle);
        }
        if (S.Completed) return;
        await this.RegisterOrUpdateReminder(ReminderName, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
        StartTimer();
    }

    protected int Count(string outcome) => S.Outcomes.GetValueOrDefault(outcome);

    private void StartTimer() =>
        _timer ??= this.RegisterGrainTimer(Step, new GrainTimerCreationOptions(TimeSpan.Zero, options.Value.StepInterval) { Interleave = false });

    private async Task Step(CancellationToken cancellationToken)
    {
        if (!S.Started || S.Completed) return;
        try
        {
            var next = await NextOrders();
            if (next is null)
            {
                if (S.Failed.Count > 0) await RetryFailed();
                else if (await ReadyToCompleteNow()) await Complete();
                return;
            }
            var (section, orders) = next.Value;
            var outcomes = await Task.WhenAll(orders.Select(VisitOrder));
            S.Done[section] = S.Done.GetValueOrDefault(section) + orders.Count;
            S.CurrentSection = section;
            S.OrdersVisited += orders.Count;
            foreach (var outcome in outcomes.SelectMany(o => o)) S.Outcomes[outcome] = Count(outcome) + 1;
            await sweep.WriteOrReloadAsync(DeactivateOnIdle); // the cursor moves only once its tickets are done
            LastError = null;
        }
        catch (Exception error)
        {
            LastError = error.Message;
            logger.LogWarning(error, "Sweep {Sweep} of event {EventId}: a step failed; the next step repeats it", ReminderName, this.GetPrimaryKey());
        }
    }

    /// <summary>The first section with sold orders after its cursor, and up to one step of them; null once all are done.</summary>
    private async Task<(string Section, IReadOnlyList<SoldOrder> Orders)?> NextOrders()
    {
        foreach (var section in S.Sections)
        {
            var page = await GrainFactory.Ref<IInventoryGrain>(InventoryKeys.For(this.GetPrimaryKey(), section))
                .GetSoldOrders(S.Done.GetValueOrDefault(section), options.Value.OrdersPerStep);
            if (page.Orders.Count > 0) return (section, page.Orders);
        }
        return null;
    }

    /// <summary>One order's tickets, one after the other: they share the order grain. A failure is set aside, not fatal.</summary>
    private async Task<List<string>> VisitOrder(SoldOrder order)
    {
        var outcomes = new List<string>(order.Quantity);
        for (var i = 0; i < order.Quantity; i++)
        {
            var ticketId = OrderIds.TicketId(order.OrderId, i);
            try
            {
                outcomes.Add(await Visit(ticketId));
            }
            catch (Exception error)
            {
                logger.LogWarning(error, "Sweep {Sweep}: ticket {TicketId} failed; it is retried after the others", ReminderName, ticketId);
                if (!S.Failed.Contains(ticketId)) S.Failed.Add(ticketId);
                outcomes.Add(FailedOutcome);
            }
        }
        return outcomes;
    }

    private const string FailedOutcome = "Failed";

    /// <summary>Once every section is done: the tickets that failed, again, until none is left.</summary>
    private async Task RetryFailed()
    {
        if (S.RetryFailedAfter is { } after && clock.GetUtcNow() < after) return;
        foreach (var ticketId in S.Failed.ToList())
        {
            try
            {
                var outcome = await Visit(ticketId);
                S.Failed.Remove(ticketId);
                S.Outcomes[FailedOutcome] = Math.Max(0, Count(FailedOutcome) - 1);
                S.Outcomes[outcome] = Count(outcome) + 1;
            }
            catch (Exception error)
            {
                LastError = error.Message;
            }
        }
        S.RetryFailedAfter = clock.GetUtcNow() + options.Value.FailedRetryInterval;
        await sweep.WriteOrReloadAsync(DeactivateOnIdle);
    }

    private async Task Complete()
    {
        S.Completed = true;
        S.CompletedAt = clock.GetUtcNow();
        await sweep.WriteOrReloadAsync(DeactivateOnIdle);
        _timer?.Dispose();
        _timer = null;
        await DropReminder();
        logger.LogInformation("Sweep {Sweep} of event {EventId} completed: {Orders} orders", ReminderName, this.GetPrimaryKey(), S.OrdersVisited);
    }

    private async Task DropReminder()
    {
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }
}
