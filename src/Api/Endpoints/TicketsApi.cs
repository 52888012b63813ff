using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Customers;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Api.Auth;
using TicketFlash.Api.Infrastructure;

namespace TicketFlash.Api.Endpoints;

public sealed record ReasonRequest(string? Reason);

public sealed record TransferRequest(string? To);

/// <summary>
/// Every route under /api/tickets: a ticket's life after sale (history, transfer, refunds, revocation), its codes and
/// device binding (handlers in <see cref="TicketCodeHandlers"/>) and its resale listing (<see cref="ResaleHandlers"/>).
/// The ticket grain decides who may do what; this file checks shapes.
/// </summary>
public static class TicketsApi
{
    public static void MapTicketsApi(this IEndpointRouteBuilder app)
    {
        var root = app.MapGroup("/api/tickets").WithDomainProblems();

        var tickets = root.MapGroup("").WithTags("Tickets");
        tickets.MapGet("/{id:guid}", Get).ProducesProblem(403).ProducesProblem(404);
        tickets.MapGet("/{id:guid}/history", History).ProducesProblem(403).ProducesProblem(404);
        tickets.MapPost("/{id:guid}/transfer", Transfer).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        tickets.MapPost("/{id:guid}/refund", (Guid id, ReasonRequest body, ClaimsPrincipal user, IGrainFactory grains) =>
            Privileged(body, () => grains.Ref<ITicketGrain>(id).Refund(user.ToActor(), body.Reason!)))
            .ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        tickets.MapPost("/{id:guid}/revoke", (Guid id, ReasonRequest body, ClaimsPrincipal user, IGrainFactory grains) =>
            Privileged(body, () => grains.Ref<ITicketGrain>(id).Revoke(user.ToActor(), body.Reason!)))
            .ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        var codes = root.MapGroup("").WithTags("Ticket codes");
        codes.MapGet("/{id:guid}/code", TicketCodeHandlers.GetCode).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        codes.MapGet("/{id:guid}/qr", TicketCodeHandlers.GetQr)
            .Produces(200, contentType: "image/png").Produces(200, contentType: TicketQr.SvgContentType)
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        codes.MapPost("/{id:guid}/devices", TicketCodeHandlers.BindDevice).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        var listings = root.MapGroup("/{id:guid}/listings").WithTags("Resale");
        listings.MapPost("/", ResaleHandlers.List).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        listings.MapDelete("/", ResaleHandlers.Delist).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
    }

    private static async Task<Ok<TicketDetails>> Get(Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.Ref<ITicketGrain>(id).Get(user.ToActor()));

    /// <summary>To a user id (token subject) or an e-mail address used as one.</summary>
    private static async Task<Results<Ok<TicketDetails>, ValidationProblem>> Transfer(Guid id, TransferRequest body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var v = new Validator().Check(TicketRules.IsRecipient(body.To), "to", TicketRules.RecipientMessage);
        if (!v.IsValid) return v.Problem();
        return TypedResults.Ok(await grains.Ref<ITicketGrain>(id).Transfer(user.ToActor(), body.To!));
    }

    /// <summary>Tickets the caller owns now: bought (and not passed on) or received. Each ticket answers whether the caller owns it.</summary>
    internal static async Task<List<TicketDetails>> OwnedBy(Actor actor, IGrainFactory grains)
    {
        var orders = await OrdersApi.OrdersOf(actor.UserId, actor, grains);
        var received = await grains.Ref<ICustomerGrain>(actor.UserId).GetReceivedTickets();
        var ids = orders.SelectMany(o => o.Tickets).Select(t => t.TicketId).Concat(received).Distinct();
        var tickets = await Task.WhenAll(ids.Select(id => grains.Ref<ITicketGrain>(id).GetIfOwnedBy(actor)));
        return [.. tickets.OfType<TicketDetails>()];
    }

    private static async Task<Ok<IReadOnlyList<TicketTransition>>> History(Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.Ref<ITicketGrain>(id).GetHistory(user.ToActor()));

    private static async Task<Results<Ok<TicketDetails>, ValidationProblem>> Privileged(ReasonRequest body, Func<Task<TicketDetails>> act)
    {
        var v = new Validator().Check(TicketRules.IsReason(body.Reason), "reason", TicketRules.ReasonMessage);
        if (!v.IsValid) return v.Problem();
        return TypedResults.Ok(await act());
    }
}
