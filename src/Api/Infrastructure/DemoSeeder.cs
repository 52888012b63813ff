using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Venues;

namespace TicketFlash.Api.Infrastructure;

/// <summary>
/// Seeds a demo venue and event (fixed ids, so re-running changes nothing) when Seed:Demo is true, for the run command.
/// Goes through the same grains and rules as the API.
/// </summary>
public sealed class DemoSeeder(IGrainFactory grains, IConfiguration configuration, TimeProvider clock, ILogger<DemoSeeder> logger) : BackgroundService
{
    public static readonly Guid VenueId = new("7e1c0000-0000-4000-8000-00000000d001");
    public static readonly Guid EventId = new("7e1c0000-0000-4000-8000-00000000e001");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Seed:Demo", false)) return;
        var organizer = new Actor("demo-organizer", "demo", [ActorRoles.Organizer]);
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await Seed(organizer);
                logger.LogInformation("Demo event ready: /api/events/{EventId}", EventId);
                return;
            }
            catch (Exception error) when (attempt < 30 && error is not DomainException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken); // the cluster may still be starting
            }
        }
    }

    private async Task Seed(Actor organizer)
    {
        var venue = grains.Ref<IVenueGrain>(VenueId);
        try
        {
            await venue.Get();
        }
        catch (DomainException e) when (e.Code == DomainErrorCode.NotFound)
        {
            await venue.Create(organizer, "Demo Arena",
            [
                new SectionDefinition("FLOOR", "Floor (standing)", null, null, 2000),
                new SectionDefinition("A", "Stand A", 20, 25, null),
                new SectionDefinition("B", "Stand B", 20, 25, null),
            ]);
        }
        var evt = grains.Ref<IEventGrain>(EventId);
        try
        {
            await evt.Get();
            return;
        }
        catch (DomainException e) when (e.Code == DomainErrorCode.NotFound)
        {
        }
        var starts = clock.GetUtcNow().Date.AddDays(30).AddHours(20);
        await evt.Create(organizer, new CreateEventCommand("TicketFlash Demo Night", VenueId, starts, starts.AddHours(3),
        [
            new PriceTier("floor", "Floor", 59, "EUR", ["FLOOR"]),
            new PriceTier("stands", "Stands", 79, "EUR", ["A", "B"]),
        ], 10, TimeSpan.FromMinutes(10)));
        await evt.ChangeStatus(organizer, EventStatus.OnSale);
    }
}
