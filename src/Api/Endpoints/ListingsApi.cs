using TicketFlash.Api.Infrastructure;

namespace TicketFlash.Api.Endpoints;

/// <summary>Every route under /api/listings (handlers in <see cref="ResaleHandlers"/>).</summary>
public static class ListingsApi
{
    public static void MapListingsApi(this IEndpointRouteBuilder app)
    {
        var listings = app.MapGroup("/api/listings").WithTags("Resale").WithDomainProblems();
        listings.MapGet("/{id:guid}", ResaleHandlers.Get).ProducesProblem(404);
        listings.MapPost("/{id:guid}/buy", ResaleHandlers.Buy).ProducesProblem(400).ProducesProblem(402).ProducesProblem(404).ProducesProblem(409);
    }
}
