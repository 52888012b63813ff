using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Api.Auth;
using TicketFlash.Api.Infrastructure;

namespace TicketFlash.Api.Endpoints;

/// <summary>Every route under /api/me: the caller's own orders, tickets and resale proceeds (the user id is the token's subject).</summary>
public static class MeApi
{
    public static void MapMeApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/me").WithTags("Me").WithDomainProblems();
        me.MapGet("/orders", async Task<Ok<IReadOnlyList<OrderDetails>>> (ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var actor = user.ToActor();
            return TypedResults.Ok(await OrdersApi.OrdersOf(actor.UserId, actor, grains));
        });
        me.MapGet("/tickets", async Task<Ok<List<TicketDetails>>> (ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await TicketsApi.OwnedBy(user.ToActor(), grains)));
        me.MapGet("/proceeds", ResaleHandlers.Proceeds);
    }
}
