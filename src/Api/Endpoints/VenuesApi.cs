using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketFlash.Abstractions.Venues;
using TicketFlash.Api.Auth;
using TicketFlash.Api.Infrastructure;

namespace TicketFlash.Api.Endpoints;

public sealed record SectionRequest(string? Id, string? Name, int? Rows, int? SeatsPerRow, int? Capacity);

public sealed record CreateVenueRequest(string? Name, SectionRequest[]? Sections);

public static class VenuesApi
{
    public static void MapVenuesApi(this IEndpointRouteBuilder app)
    {
        var venues = app.MapGroup("/api/venues").WithTags("Venues").WithDomainProblems();
        venues.MapPost("/", Create).ProducesProblem(403); // the venue grain decides who may create (organizers with a tenant, admins)
        venues.MapGet("/{id:guid}", Get).ProducesProblem(404);
    }

    private static async Task<Results<Created<VenueDetails>, ValidationProblem>> Create(CreateVenueRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var v = new Validator()
            .Check(VenueLimits.IsName(request.Name), "name", VenueLimits.NameMessage)
            .Check(VenueLimits.IsSectionCount(request.Sections?.Length), "sections", VenueLimits.SectionsMessage);
        foreach (var (s, i) in (request.Sections ?? []).Select((s, i) => (s, i)))
        {
            if (s is null)
            {
                v.Check(false, $"sections[{i}]", "a section is an object");
                continue;
            }
            var reserved = s.Rows is not null || s.SeatsPerRow is not null;
            v.Check(VenueLimits.IsSectionId(s.Id), $"sections[{i}].id", VenueLimits.SectionIdMessage)
             .Check(reserved != (s.Capacity is not null), $"sections[{i}]", "give rows and seatsPerRow (reserved seating) or capacity (general admission)")
             .Check(!reserved || (s.Rows is >= 1 and <= 500 && s.SeatsPerRow is >= 1 and <= 500), $"sections[{i}].rows", "1–500 rows of 1–500 seats")
             .Check(s.Capacity is null or (>= 1 and <= 100_000), $"sections[{i}].capacity", "capacity is 1–100000");
        }
        if (!v.IsValid) return v.Problem();

        var sections = request.Sections!.Select(s => new SectionDefinition(s.Id!, s.Name ?? s.Id!, s.Rows, s.SeatsPerRow, s.Capacity)).ToList();
        var id = Guid.NewGuid();
        var venue = await grains.Ref<IVenueGrain>(id).Create(user.ToActor(), request.Name!, sections);
        return TypedResults.Created($"/api/venues/{id}", venue);
    }

    private static async Task<Ok<VenueDetails>> Get(Guid id, IGrainFactory grains) =>
        TypedResults.Ok(await grains.Ref<IVenueGrain>(id).Get());
}
