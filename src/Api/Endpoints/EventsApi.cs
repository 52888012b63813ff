using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketFlash.Abstractions.Cancellation;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Api.Auth;
using TicketFlash.Api.Infrastructure;

namespace TicketFlash.Api.Endpoints;

public sealed record TierRequest(string? Id, string? Name, decimal? Price, string? Currency, string[]? Sections);

public sealed record CreateEventRequest(
    string? Name, Guid? VenueId, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, TierRequest[]? Tiers, int? PerCustomerLimit, double? HoldMinutes,
    double? TransferFreezeHours = null, int? ResaleCapPercent = null);

public sealed record AvailabilityResponse(Guid EventId, IReadOnlyList<SectionAvailability> Sections);

public static class EventsApi
{
    public const int DefaultPerCustomerLimit = 10;
    public const double DefaultHoldMinutes = 10;

    /// <summary>Every route under /api/events; the keys, resale and gate routes of an event keep their handlers (and tags) elsewhere.</summary>
    public static void MapEventsApi(this IEndpointRouteBuilder app)
    {
        var root = app.MapGroup("/api/events").WithDomainProblems();

        var events = root.MapGroup("").WithTags("Events");
        events.MapGet("/", List).AllowAnonymous();
        events.MapGet("/{id:guid}", Get).AllowAnonymous().ProducesProblem(404);
        events.MapGet("/{id:guid}/availability", Availability).AllowAnonymous().ProducesProblem(404);
        // Who may create, move or see refunds is the event grain's decision (organizer of the venue's / event's tenant, or admin).
        events.MapPost("/", Create).ProducesProblem(403).ProducesProblem(404);
        events.MapPost("/{id:guid}/open-sale", (Guid id, ClaimsPrincipal user, IGrainFactory grains) => Move(id, EventStatus.OnSale, user, grains)).ProducesProblem(403).ProducesProblem(409);
        events.MapPost("/{id:guid}/pause", (Guid id, ClaimsPrincipal user, IGrainFactory grains) => Move(id, EventStatus.Paused, user, grains)).ProducesProblem(403).ProducesProblem(409);
        events.MapPost("/{id:guid}/cancel", (Guid id, ClaimsPrincipal user, IGrainFactory grains) => Move(id, EventStatus.Cancelled, user, grains)).ProducesProblem(403).ProducesProblem(409);
        events.MapGet("/{id:guid}/refunds", Refunds).ProducesProblem(403).ProducesProblem(404);

        var keys = root.MapGroup("/{id:guid}/keys").WithTags("Ticket codes");
        keys.MapGet("/", TicketCodeHandlers.GetKeys).ProducesProblem(403).ProducesProblem(404);
        keys.MapPost("/rotate", TicketCodeHandlers.Rotate).ProducesProblem(403).ProducesProblem(404);

        root.MapGroup("").WithTags("Resale").MapGet("/{id:guid}/listings", ResaleHandlers.Browse).AllowAnonymous().ProducesProblem(404);

        var gate = root.MapGroup("/{id:guid}/checkin").WithTags("Check-in");
        gate.MapGet("/stats", CheckInHandlers.Stats).ProducesProblem(403).ProducesProblem(404);
        gate.MapGet("/bundle", CheckInHandlers.Bundle).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        gate.MapGet("/conflicts", CheckInHandlers.Conflicts).ProducesProblem(403).ProducesProblem(404);
    }

    private static async Task<Ok<IReadOnlyList<EventDetails>>> List(IGrainFactory grains) =>
        TypedResults.Ok(await grains.Ref<IEventCatalogGrain>(IEventCatalogGrain.Key).List());

    private static async Task<Ok<EventDetails>> Get(Guid id, IGrainFactory grains) =>
        TypedResults.Ok(await grains.Ref<IEventGrain>(id).Get());

    private static async Task<Ok<AvailabilityResponse>> Availability(Guid id, bool? seats, IGrainFactory grains)
    {
        var terms = await grains.Ref<IEventGrain>(id).GetSaleTerms();
        var sections = await Task.WhenAll(terms.Sections.Select(s =>
            grains.Ref<IInventoryGrain>(InventoryKeys.For(id, s.SectionId)).GetAvailability(seats == true)));
        return TypedResults.Ok(new AvailabilityResponse(id, sections));
    }

    private static async Task<Results<Created<EventDetails>, ValidationProblem>> Create(CreateEventRequest r, ClaimsPrincipal user, IGrainFactory grains)
    {
        var v = new Validator()
            .Check(EventLimits.IsName(r.Name), "name", EventLimits.NameMessage)
            .Check(r.VenueId is not null && r.VenueId != Guid.Empty, "venueId", "venueId is required")
            .Check(r.StartsAt is not null, "startsAt", "startsAt is required")
            .Check(EventLimits.EndsAfterStart(r.StartsAt, r.EndsAt), "endsAt", EventLimits.EndsAtMessage)
            .Check(r.Tiers is { Length: > 0 and <= 50 }, "tiers", "1–50 price tiers")
            .Check(r.PerCustomerLimit is null || EventLimits.IsPerCustomerLimit(r.PerCustomerLimit), "perCustomerLimit", EventLimits.PerCustomerLimitMessage)
            .Check(r.HoldMinutes is null || EventLimits.IsHoldMinutes(r.HoldMinutes), "holdMinutes", EventLimits.HoldMinutesMessage)
            .Check(r.TransferFreezeHours is null || EventLimits.IsTransferFreezeHours(r.TransferFreezeHours), "transferFreezeHours", EventLimits.TransferFreezeHoursMessage)
            .Check(r.ResaleCapPercent is null || EventLimits.IsResaleCapPercent(r.ResaleCapPercent), "resaleCapPercent", EventLimits.ResaleCapPercentMessage);
        foreach (var (t, i) in (r.Tiers ?? []).Select((t, i) => (t, i)))
        {
            if (t is null)
            {
                v.Check(false, $"tiers[{i}]", "a tier is an object");
                continue;
            }
            v.Check(t.Id is { Length: > 0 and <= 32 }, $"tiers[{i}].id", "id is 1–32 characters")
             .Check(EventLimits.IsTierPrice(t.Price), $"tiers[{i}].price", EventLimits.TierPriceMessage)
             .Check(EventLimits.IsCurrency(t.Currency), $"tiers[{i}].currency", EventLimits.CurrencyMessage)
             .Check(t.Sections is { Length: > 0 }, $"tiers[{i}].sections", "a tier sells at least one section");
        }
        if (!v.IsValid) return v.Problem();

        var command = new CreateEventCommand(r.Name!, r.VenueId!.Value, r.StartsAt!.Value, r.EndsAt!.Value,
            [.. r.Tiers!.Select(t => new PriceTier(t.Id!, t.Name ?? t.Id!, t.Price!.Value, t.Currency!, t.Sections!))],
            r.PerCustomerLimit ?? DefaultPerCustomerLimit, TimeSpan.FromMinutes(r.HoldMinutes ?? DefaultHoldMinutes), r.TransferFreezeHours ?? 0,
            r.ResaleCapPercent ?? EventDefaults.ResaleCapPercent);
        var id = Guid.NewGuid();
        var created = await grains.Ref<IEventGrain>(id).Create(user.ToActor(), command);
        return TypedResults.Created($"/api/events/{id}", created);
    }

    /// <summary>The progress of a cancelled event's refunds (NotStarted for an event that was not cancelled).</summary>
    private static async Task<Ok<RefundProgress>> Refunds(Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.Ref<IEventGrain>(id).GetRefundProgress(user.ToActor()));

    private static async Task<Ok<EventDetails>> Move(Guid id, EventStatus target, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.Ref<IEventGrain>(id).ChangeStatus(user.ToActor(), target));
}
