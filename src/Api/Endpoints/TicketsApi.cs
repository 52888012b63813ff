using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Api.Auth;
using TicketFlash.Api.Infrastructure;

namespace TicketFlash.Api.Endpoints;

public sealed record ReasonRequest(string? Reason);

public sealed record TransferRequest(string? To);

/// <summary>An online scan. No client time: the server's clock decides online (a scanner's clock is trusted only for offline scans, see sync).</summary>
public sealed record CheckInRequest(Guid? EventId, string? Code, string? Gate, string? DeviceId);

/// <summary>A ticket's life after sale (history, refunds, revocation) and the gate.</summary>
public static class TicketsApi
{
    public static void MapTicketsApi(this IEndpointRouteBuilder app)
    {
        var tickets = app.MapGroup("/api/tickets").WithTags("Tickets").WithDomainProblems();
        tickets.MapGet("/{id:guid}", Get).ProducesProblem(403).ProducesProblem(404);
        tickets.MapGet("/{id:guid}/history", History).ProducesProblem(403).ProducesProblem(404);
        tickets.MapPost("/{id:guid}/transfer", Transfer).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        tickets.MapPost("/{id:guid}/refund", (Guid id, ReasonRequest body, ClaimsPrincipal user, IGrainFactory grains) =>
            Privileged(body, () => grains.Ref<ITicketGrain>(id).Refund(user.ToActor(), body.Reason!)))
            .RequireAuthorization(AuthSetup.OrganizerPolicy).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        tickets.MapPost("/{id:guid}/revoke", (Guid id, ReasonRequest body, ClaimsPrincipal user, IGrainFactory grains) =>
            Privileged(body, () => grains.Ref<ITicketGrain>(id).Revoke(user.ToActor(), body.Reason!)))
            .RequireAuthorization(AuthSetup.OrganizerPolicy).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        var gate = app.MapGroup("/api").WithTags("Check-in").WithDomainProblems().RequireAuthorization(AuthSetup.OrganizerPolicy);
        gate.MapPost("/checkin", CheckIn).ProducesProblem(403);
        gate.MapGet("/events/{id:guid}/checkin/stats", async Task<Ok<CheckInStats>> (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await grains.Ref<ICheckInGrain>(id).GetStats(user.ToActor()))).ProducesProblem(403).ProducesProblem(404);
    }

    private static async Task<Ok<TicketDetails>> Get(Guid id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var actor = user.ToActor();
        var ticket = await grains.Ref<ITicketGrain>(id).Get();
        if (ticket.OwnerId != actor.UserId && !actor.IsAdmin) throw DomainException.Forbidden("This ticket belongs to someone else.");
        return TypedResults.Ok(ticket);
    }

    /// <summary>To a user id (token subject) or an e-mail address used as one.</summary>
    private static async Task<Results<Ok<TicketDetails>, ValidationProblem>> Transfer(Guid id, TransferRequest body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var v = new Validator().Check(body.To is { Length: > 0 and <= 128 } && body.To.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@' or '+'),
            "to", "the recipient's user id or e-mail (1–128 characters)");
        if (!v.IsValid) return v.Problem();
        return TypedResults.Ok(await grains.Ref<ITicketGrain>(id).Transfer(user.ToActor(), body.To!));
    }

    /// <summary>Tickets the caller owns now: bought (and not passed on) or received.</summary>
    internal static async Task<List<TicketDetails>> OwnedBy(Actor actor, IGrainFactory grains)
    {
        var orders = await OrdersApi.OrdersOf(actor.UserId, actor, grains);
        var received = await grains.Ref<Abstractions.Customers.ICustomerGrain>(actor.UserId).GetReceivedTickets();
        var ids = orders.SelectMany(o => o.Tickets).Select(t => t.TicketId).Concat(received).Distinct();
        var tickets = await Task.WhenAll(ids.Select(id => grains.Ref<ITicketGrain>(id).Get()));
        return [.. tickets.Where(t => t.OwnerId == actor.UserId)];
    }

    private static async Task<Ok<IReadOnlyList<TicketTransition>>> History(Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.Ref<ITicketGrain>(id).GetHistory(user.ToActor()));

    private static async Task<Results<Ok<TicketDetails>, ValidationProblem>> Privileged(ReasonRequest body, Func<Task<TicketDetails>> act)
    {
        var v = new Validator().Check(body.Reason is { Length: > 0 and <= 500 } && !string.IsNullOrWhiteSpace(body.Reason), "reason", "a reason of 1–500 characters is required");
        if (!v.IsValid) return v.Problem();
        return TypedResults.Ok(await act());
    }

    private static async Task<Results<Ok<CheckInOutcome>, ValidationProblem>> CheckIn(CheckInRequest r, ClaimsPrincipal user, IGrainFactory grains)
    {
        var v = new Validator()
            .Check(r.EventId is not null && r.EventId != Guid.Empty, "eventId", "the event this gate admits to is required")
            .Check(r.Code is { Length: > 0 and <= 512 }, "code", "the scanned code (1–512 characters) is required")
            .Check(r.Gate is { Length: > 0 and <= 64 }, "gate", "gate is 1–64 characters")
            .Check(r.DeviceId is { Length: > 0 and <= 64 }, "deviceId", "deviceId is 1–64 characters");
        if (!v.IsValid) return v.Problem();
        return TypedResults.Ok(await grains.Ref<ICheckInGrain>(r.EventId!.Value).Scan(user.ToActor(), r.Code!, r.Gate!, r.DeviceId!, scannedAt: null));
    }
}
