using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Abstractions.Venues;

namespace TicketFlash.Tickets.Tests.Infrastructure;

/// <summary>Callers as the API passes them after validating a token; every call is a fresh identity.</summary>
public static class Actors
{
    public static Actor Fan() => new($"fan-{Guid.NewGuid():N}", null, [ActorRoles.Fan]);

    public static Actor Organizer(string? tenant = null) =>
        new($"organizer-{Guid.NewGuid():N}", tenant ?? $"tenant-{Guid.NewGuid():N}", [ActorRoles.Organizer]);

    public static Actor VenueStaff(string tenant) => new($"staff-{Guid.NewGuid():N}", tenant, [ActorRoles.Venue]);

    public static Actor Admin() => new($"admin-{Guid.NewGuid():N}", null, [ActorRoles.Admin]);
}

/// <summary>An on-sale event and a ticket bought from it, through the real grains.</summary>
public sealed record Sale(Actor Organizer, EventDetails Event, Actor Fan, TicketDetails Ticket)
{
    public static readonly TimeSpan Length = TimeSpan.FromHours(3);

    /// <summary>By default the event starts in an hour, so its check-in window (start − 4 h … end + 2 h) is open now.</summary>
    public static async Task<Sale> Create(IGrainFactory grains, TimeSpan? startsIn = null)
    {
        var organizer = Actors.Organizer();
        var venueId = Guid.NewGuid();
        await grains.GetGrain<IVenueGrain>(venueId).Create(organizer, "Code Hall", [new SectionDefinition("ga", "Floor", null, null, 50)]);
        var startsAt = DateTimeOffset.UtcNow + (startsIn ?? TimeSpan.FromHours(1));
        var evt = grains.GetGrain<IEventGrain>(Guid.NewGuid());
        await evt.Create(organizer, new CreateEventCommand("Code night", venueId, startsAt, startsAt + Length,
            [new PriceTier("std", "Standard", 30m, "EUR", ["ga"])], 10, TimeSpan.FromMinutes(10)));
        var details = await evt.ChangeStatus(organizer, EventStatus.OnSale);

        var fan = Actors.Fan();
        var order = grains.GetGrain<IOrderGrain>(OrderIds.Derive(fan.UserId, Guid.NewGuid().ToString("N")));
        await order.Place(fan, new PlaceOrderCommand(details.Id, 1, "ga", null));
        var paid = await order.Pay(fan);
        var ticket = await grains.GetGrain<ITicketGrain>(paid.Tickets[0].TicketId).GetUnchecked();
        return new Sale(organizer, details, fan, ticket);
    }
}

public static class DomainAssert
{
    public static async Task<DomainException> Refuses(DomainErrorCode code, Func<Task> call)
    {
        var refusal = await Assert.ThrowsAsync<DomainException>(call);
        Assert.True(refusal.Code == code, $"Expected {code} but the domain answered {refusal.Code}: {refusal.Message}");
        return refusal;
    }
}
