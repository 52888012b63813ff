using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Venues;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Events;

[Collection(ClusterCollection.Name)]
public sealed class EventCreationTests(ClusterFixture cluster)
{
    private async Task<(Actor Organizer, Guid VenueId)> CreateVenue()
    {
        var organizer = Actors.Organizer();
        var venueId = Guid.NewGuid();
        await cluster.GrainFactory.GetGrain<IVenueGrain>(venueId).Create(organizer, "Hall",
            [Sections.Reserved("a", 2, 2), Sections.GeneralAdmission("b", 50)]);
        return (organizer, venueId);
    }

    private static CreateEventCommand Command(Guid venueId, string sections = "a") =>
        new("Gig", venueId, DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(1).AddHours(2),
            [new PriceTier("t", "Tier", 10m, "EUR", sections.Split(','))], 10, TimeSpan.FromMinutes(10));

    [Fact]
    public async Task Creating_an_event_sets_up_the_inventory_of_every_section_it_sells()
    {
        var (organizer, venueId) = await CreateVenue();
        var eventId = Guid.NewGuid();

        var details = await cluster.GrainFactory.GetGrain<IEventGrain>(eventId).Create(organizer, Command(venueId, "a,b"));

        Assert.Equal((EventStatus.Draft, organizer.Tenant, venueId, 10.0), (details.Status, details.Tenant, details.VenueId, details.HoldMinutes));
        var terms = await cluster.GrainFactory.GetGrain<IEventGrain>(eventId).GetSaleTerms();
        Assert.Equal([("a", true, 4), ("b", false, 50)], terms.Sections.Select(s => (s.SectionId, s.IsReservedSeating, s.Capacity)));
        var listed = await cluster.GrainFactory.GetGrain<IEventCatalogGrain>(IEventCatalogGrain.Key).List();
        Assert.Contains(listed, e => e.Id == eventId);
    }

    [Fact]
    public async Task An_organizer_of_another_tenant_cannot_create_an_event_in_the_venue()
    {
        var (_, venueId) = await CreateVenue();
        var grain = cluster.GrainFactory.GetGrain<IEventGrain>(Guid.NewGuid());

        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => grain.Create(Actors.Organizer(), Command(venueId)));
        await DomainAssert.Refuses(DomainErrorCode.NotFound, () => grain.Get());
    }

    [Fact]
    public async Task An_event_in_an_unknown_venue_is_not_found()
    {
        var grain = cluster.GrainFactory.GetGrain<IEventGrain>(Guid.NewGuid());

        await DomainAssert.Refuses(DomainErrorCode.NotFound, () => grain.Create(Actors.Organizer(), Command(Guid.NewGuid())));
    }

    [Fact]
    public async Task An_event_is_created_only_once()
    {
        var (organizer, venueId) = await CreateVenue();
        var grain = cluster.GrainFactory.GetGrain<IEventGrain>(Guid.NewGuid());
        await grain.Create(organizer, Command(venueId));

        await DomainAssert.Refuses(DomainErrorCode.InvalidState, () => grain.Create(organizer, Command(venueId, "b")));
        Assert.Equal(["a"], (await grain.Get()).Sections.Select(s => s.Id));
    }

    [Theory]
    [InlineData("ends before it starts")]
    [InlineData("section not in the venue")]
    [InlineData("limit of zero")]
    [InlineData("hold shorter than 3 seconds")]
    [InlineData("no tiers")]
    [InlineData("lowercase currency")]
    public async Task An_invalid_event_is_a_validation_error(string problem)
    {
        var (organizer, venueId) = await CreateVenue();
        var valid = Command(venueId);
        var command = problem switch
        {
            "ends before it starts" => valid with { EndsAt = valid.StartsAt.AddMinutes(-1) },
            "section not in the venue" => Command(venueId, "zz"),
            "limit of zero" => valid with { PerCustomerLimit = 0 },
            "hold shorter than 3 seconds" => valid with { HoldDuration = TimeSpan.FromSeconds(2) },
            "no tiers" => valid with { Tiers = [] },
            "lowercase currency" => valid with { Tiers = [valid.Tiers[0] with { Currency = "eur" }] },
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        };
        var grain = cluster.GrainFactory.GetGrain<IEventGrain>(Guid.NewGuid());

        await DomainAssert.Refuses(DomainErrorCode.Validation, () => grain.Create(organizer, command));
        await DomainAssert.Refuses(DomainErrorCode.NotFound, () => grain.GetSaleTerms());
    }

    [Fact]
    public async Task Only_organizers_with_a_tenant_create_venues()
    {
        var venue = cluster.GrainFactory.GetGrain<IVenueGrain>(Guid.NewGuid());
        SectionDefinition[] sections = [Sections.GeneralAdmission("x", 10)];

        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => venue.Create(Actors.Fan(), "Hall", sections));
        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => venue.Create(new Actor("o", null, [ActorRoles.Organizer]), "Hall", sections));
        await DomainAssert.Refuses(DomainErrorCode.NotFound, () => venue.Get());
    }
}
