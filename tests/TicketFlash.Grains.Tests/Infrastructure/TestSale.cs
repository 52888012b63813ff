using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Customers;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Venues;

namespace TicketFlash.Grains.Tests.Infrastructure;

public static class Sections
{
    public static SectionDefinition Reserved(string id, int rows, int seatsPerRow) => new(id, $"Section {id}", rows, seatsPerRow, null);

    public static SectionDefinition GeneralAdmission(string id, int capacity) => new(id, $"Section {id}", null, null, capacity);
}

/// <summary>What to put on sale: by default one reserved section "floor" of 10 rows × 20 seats, limit 10, 10-minute holds.</summary>
public sealed record SaleSpec
{
    public IReadOnlyList<SectionDefinition> Sections { get; init; } = [Infrastructure.Sections.Reserved("floor", 10, 20)];
    public int PerCustomerLimit { get; init; } = 10;
    public TimeSpan HoldDuration { get; init; } = TimeSpan.FromMinutes(10);
    public decimal Price { get; init; } = 40m;
    public string Currency { get; init; } = "EUR";
    public bool OpenSale { get; init; } = true;
    public string Name { get; init; } = "Test night";

    /// <summary>Set it to know the id before the event exists (e.g. to subscribe to its stream first).</summary>
    public Guid? EventId { get; init; }
}

/// <summary>A venue and event created through the grains by an organizer, plus shortcuts for ordering from it.</summary>
public sealed class TestSale
{
    private readonly IGrainFactory _grains;

    private TestSale(IGrainFactory grains, Actor organizer, Guid venueId, EventDetails details)
    {
        _grains = grains;
        Organizer = organizer;
        VenueId = venueId;
        Details = details;
    }

    public Actor Organizer { get; }

    public Guid VenueId { get; }

    public EventDetails Details { get; }

    public Guid EventId => Details.Id;

    public IEventGrain Event => _grains.GetGrain<IEventGrain>(EventId);

    public static async Task<TestSale> Create(IGrainFactory grains, SaleSpec spec)
    {
        var organizer = Actors.Organizer();
        var venueId = Guid.NewGuid();
        await grains.GetGrain<IVenueGrain>(venueId).Create(organizer, $"{spec.Name} venue", spec.Sections);
        var startsAt = DateTimeOffset.UtcNow.AddDays(30);
        var command = new CreateEventCommand(spec.Name, venueId, startsAt, startsAt.AddHours(3),
            [new PriceTier("standard", "Standard", spec.Price, spec.Currency, [.. spec.Sections.Select(s => s.Id)])],
            spec.PerCustomerLimit, spec.HoldDuration);
        var eventGrain = grains.GetGrain<IEventGrain>(spec.EventId ?? Guid.NewGuid());
        var details = await eventGrain.Create(organizer, command);
        if (spec.OpenSale) details = await eventGrain.ChangeStatus(organizer, EventStatus.OnSale);
        return new TestSale(grains, organizer, venueId, details);
    }

    public string FirstSection => Details.Sections[0].Id;

    public IInventoryGrain Inventory(string? sectionId = null) =>
        _grains.GetGrain<IInventoryGrain>(InventoryKeys.For(EventId, sectionId ?? FirstSection));

    public Task<SectionAvailability> Availability(string? sectionId = null, bool includeSeats = false) =>
        Inventory(sectionId).GetAvailability(includeSeats);

    public static IOrderGrain Order(IGrainFactory grains, Actor fan, string idempotencyKey) =>
        grains.GetGrain<IOrderGrain>(OrderIds.Derive(fan.UserId, idempotencyKey));

    public IOrderGrain Order(Actor fan, string idempotencyKey) => Order(_grains, fan, idempotencyKey);

    public IOrderGrain Order(Guid orderId) => _grains.GetGrain<IOrderGrain>(orderId);

    public ICustomerGrain Customer(Actor fan) => _grains.GetGrain<ICustomerGrain>(fan.UserId);

    public PlaceOrderCommand Request(int quantity, string? sectionId = null, params string[] seats) =>
        new(EventId, quantity, sectionId ?? (seats.Length > 0 ? FirstSection : null), seats.Length > 0 ? seats : null);

    /// <summary>Places an order under a fresh idempotency key.</summary>
    public Task<OrderDetails> Place(Actor fan, int quantity, string? sectionId = null, params string[] seats) =>
        Order(fan, Guid.NewGuid().ToString("N")).Place(fan, Request(quantity, sectionId, seats));

    /// <summary>Places and pays an order.</summary>
    public async Task<OrderDetails> Buy(Actor fan, int quantity, string? sectionId = null, params string[] seats)
    {
        var held = await Place(fan, quantity, sectionId, seats);
        return await Order(held.OrderId).Pay(fan);
    }
}
