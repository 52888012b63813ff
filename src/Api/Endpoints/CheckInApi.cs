using TicketFlash.Api.Infrastructure;

namespace TicketFlash.Api.Endpoints;

/// <summary>Every route under /api/checkin (handlers in <see cref="CheckInHandlers"/>; an event's gate reads are under /api/events).</summary>
public static class CheckInApi
{
    public static void MapCheckInApi(this IEndpointRouteBuilder app)
    {
        var gate = app.MapGroup("/api/checkin").WithTags("Check-in").WithDomainProblems();
        gate.MapPost("/", CheckInHandlers.CheckIn).ProducesProblem(403);
        gate.MapPost("/sync", CheckInHandlers.Sync).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
    }
}
