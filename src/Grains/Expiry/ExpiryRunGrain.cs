using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TicketFlash.Abstractions.Expiry;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Sweeps;

namespace TicketFlash.Grains.Expiry;

/// <summary>After the event's check-in window: every ticket still live (not used, refunded or revoked) becomes Expired.</summary>
public sealed class ExpiryRunGrain(
    [PersistentState("expiryrun", Common.StorageNames.Default)] IPersistentState<SweepState> run,
    IOptions<SweepOptions> options,
    TimeProvider clock,
    ILogger<ExpiryRunGrain> logger) : SweepGrain(run, options, clock, logger), IExpiryRunGrain
{
    private const string Expired = "Expired";
    private const string Unchanged = "Unchanged";

    protected override string ReminderName => "expiry-run";

    public async Task<ExpiryProgress> Start(IReadOnlyList<string> sectionIds)
    {
        ArgumentNullException.ThrowIfNull(sectionIds);
        await StartSweep("the event's check-in window closed", sectionIds);
        return Describe();
    }

    public Task<ExpiryProgress> GetProgress() => Task.FromResult(Describe());

    protected override async Task<string> Visit(Guid ticketId) =>
        await GrainFactory.Ref<ITicketGrain>(ticketId).ExpireAfterEvent() ? Expired : Unchanged;

    private ExpiryProgress Describe() =>
        new(this.GetPrimaryKey(), S.Started, S.Completed, S.OrdersVisited, Count(Expired), Count(Unchanged), S.CompletedAt);
}
