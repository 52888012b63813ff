using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Customers;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Api.Auth;
using TicketFlash.Api.Infrastructure;

namespace TicketFlash.Api.Endpoints;

public sealed record PlaceOrderRequest(Guid? EventId, int? Quantity, string? SectionId, string[]? Seats);

public static class OrdersApi
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static readonly string IdempotencyKeyMessage = $"the {IdempotencyHeader} header (1–{OrderLimits.MaxIdempotencyKeyLength} characters) is required";

    public static void MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/orders").WithTags("Orders").WithDomainProblems();
        orders.MapPost("/", Place)
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422).ProducesProblem(503);
        orders.MapGet("/{id:guid}", Get).ProducesProblem(403).ProducesProblem(404);
        orders.MapPost("/{id:guid}/pay", Pay).ProducesProblem(402).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(503);
        orders.MapDelete("/{id:guid}", Cancel).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        orders.MapGet("/user/{userId}", ListForUser).ProducesProblem(403);
    }

    private static async Task<Results<Created<OrderDetails>, ValidationProblem>> Place(
        PlaceOrderRequest request, [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey, ClaimsPrincipal user, IGrainFactory grains)
    {
        var seats = request.Seats ?? [];
        var quantity = request.Quantity ?? (seats.Length > 0 ? seats.Length : null);
        var v = new Validator()
            .Check(OrderLimits.IsIdempotencyKey(idempotencyKey), IdempotencyHeader, IdempotencyKeyMessage)
            .Check(request.EventId is not null && request.EventId != Guid.Empty, "eventId", "eventId is required")
            .Check(OrderLimits.IsQuantity(quantity), "quantity", OrderLimits.QuantityMessage)
            .Check(OrderLimits.SeatsMatchQuantity(seats.Length, quantity), "seats", OrderLimits.SeatsMatchQuantityMessage)
            .Check(OrderLimits.SeatsHaveSection(seats.Length, request.SectionId), "sectionId", OrderLimits.SeatsHaveSectionMessage)
            .Check(seats.All(s => s is { Length: > 0 and <= 16 }), "seats", "seat ids look like A-12")
            .Check(request.SectionId is null or { Length: > 0 and <= 32 }, "sectionId", "sectionId is 1–32 characters");
        if (!v.IsValid) return v.Problem();

        var actor = user.ToActor();
        var orderId = OrderIds.Derive(actor.UserId, idempotencyKey!);
        var command = new PlaceOrderCommand(request.EventId!.Value, quantity!.Value, request.SectionId, seats.Length > 0 ? seats : null);
        var order = await grains.Ref<IOrderGrain>(orderId).Place(actor, command);
        return TypedResults.Created($"/api/orders/{orderId}", order);
    }

    private static async Task<Ok<OrderDetails>> Get(Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.Ref<IOrderGrain>(id).Get(user.ToActor()));

    private static async Task<Ok<OrderDetails>> Pay(Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.Ref<IOrderGrain>(id).Pay(user.ToActor()));

    private static async Task<Ok<OrderDetails>> Cancel(Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.Ref<IOrderGrain>(id).Cancel(user.ToActor()));

    /// <summary>The seed's route: a user's orders (the customer grain lets that user or an admin list them).</summary>
    private static async Task<Ok<IReadOnlyList<OrderDetails>>> ListForUser(string userId, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await OrdersOf(userId, user.ToActor(), grains));

    /// <summary>The customer grain decides who may list; each order again who may read it.</summary>
    internal static async Task<IReadOnlyList<OrderDetails>> OrdersOf(string userId, Actor actor, IGrainFactory grains)
    {
        var ids = await grains.Ref<ICustomerGrain>(userId).GetOrderIds(actor);
        var orders = await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                return await grains.Ref<IOrderGrain>(id).Get(actor);
            }
            catch (DomainException e) when (e.Code == DomainErrorCode.NotFound)
            {
                return null; // reserved, but the order never reached storage (a failed placement)
            }
        }));
        return [.. orders.OfType<OrderDetails>().OrderByDescending(o => o.CreatedAt)];
    }
}
