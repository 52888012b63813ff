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

    public static void MapEventsApi(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/api/events").WithTags("Events").WithDomainProblems();
        events.MapGet("/", List).AllowAnonymous();
        events.MapGet("/{id:guid}", Get).AllowAnonymous().ProducesProblem(404);
        events.MapGet("/{id:guid}/availability", Availability).AllowAnonymous().ProducesProblem(404);
        events.MapPost("/", Create).RequireAuthorization(AuthSetup.OrganizerPolicy).ProducesProblem(403).ProducesProblem(404);
        var manage = events.MapGroup("/{id:guid}").RequireAuthorization(AuthSetup.OrganizerPolicy);
        manage.MapPost("/open-sale", (Guid id, ClaimsPrincipal user, IGrainFactory grains) => Move(id, EventStatus.OnSale, user, grains)).ProducesProblem(409);
        manage.MapPost("/pause", (Guid id, ClaimsPrincipal user, IGrainFactory grains) => Move(id, EventStatus.Paused, user, grains)).ProducesProblem(409);
        manage.MapPost("/cancel", (Guid id, ClaimsPrincipal user, IGrainFactory grains) => Move(id, EventStatus.Cancelled, user, grains)).ProducesProblem(409);
        manage.MapGet("/refunds", Refunds).ProducesProblem(403).ProducesProblem(404);
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
            .Check(r.Name is { Length: > 0 and <= 200 }, "name", "name is 1–200 characters")
            .Check(r.VenueId is not null && r.VenueId != Guid.Empty, "venueId", "venueId is required")
            .Check(r.StartsAt is not null, "startsAt", "startsAt is required")
            .Check(r.EndsAt is not null && r.EndsAt > r.StartsAt, "endsAt", "endsAt is required and after startsAt")
            .Check(r.Tiers is { Length: > 0 and <= 50 }, "tiers", "1–50 price tiers")
            .Check(r.PerCustomerLimit is null or (>= 1 and <= 100), "perCustomerLimit", "perCustomerLimit is 1–100")
            .Check(r.HoldMinutes is null or (>= 0.05 and <= 60), "holdMinutes", "holdMinutes is 0.05–60")
            .Check(r.TransferFreezeHours is null or (>= 0 and <= 720), "transferFreezeHours", "transferFreezeHours is 0–720")
            .Check(r.ResaleCapPercent is null or (>= 0 and <= EventDefaults.MaxResaleCapPercent), "resaleCapPercent",
                $"resaleCapPercent (resale price cap, percent of face value) is 0–{EventDefaults.MaxResaleCapPercent}");
        foreach (var (t, i) in (r.Tiers ?? []).Select((t, i) => (t, i)))
        {
            if (t is null)
            {
                v.Check(false, $"tiers[{i}]", "a tier is an object");
                continue;
            }
            v.Check(t.Id is { Length: > 0 and <= 32 }, $"tiers[{i}].id", "id is 1–32 characters")
             .Check(t.Price is >= 0 and <= 1_000_000, $"tiers[{i}].price", "price is 0–1000000")
             .Check(t.Currency is { Length: 3 } && t.Currency.All(char.IsAsciiLetterUpper), $"tiers[{i}].currency", "an ISO 4217 code like EUR")
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
    private static async Task<Ok<RefundProgress>> Refunds(Guid id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var evt = await grains.Ref<IEventGrain>(id).Get();
        if (!user.ToActor().CanManage(evt.Tenant)) throw DomainException.Forbidden("Only the event's organizer or an admin sees its refunds.");
        return TypedResults.Ok(await grains.Ref<IRefundRunGrain>(id).GetProgress());
    }

    private static async Task<Ok<EventDetails>> Move(Guid id, EventStatus target, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.Ref<IEventGrain>(id).ChangeStatus(user.ToActor(), target));
}
