using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Customers;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Resale;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Api.Auth;
using TicketFlash.Api.Infrastructure;

namespace TicketFlash.Api.Endpoints;

public sealed record ListRequest(decimal? Price);

/// <summary>A listing as anyone browsing sees it: no seller or buyer identity.</summary>
public sealed record PublicListing(
    Guid ListingId, Guid TicketId, Guid EventId, string SectionId, string? SeatId, decimal Price, string Currency, decimal FaceValue,
    ListingStatus Status, DateTimeOffset ListedAt);

/// <summary>
/// The resale market's handlers: owners list (at or under the event's cap) and delist, fans browse and buy, sellers see
/// their proceeds. Mapped with their resources: <see cref="TicketsApi"/>, <see cref="EventsApi"/>, <see cref="ListingsApi"/>, <see cref="MeApi"/>.
/// </summary>
public static class ResaleHandlers
{
    internal static async Task<Results<Created<ListingDetails>, ValidationProblem>> List(Guid id, ListRequest body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var v = new Validator().Check(ResaleLimits.IsPrice(body.Price), "price", ResaleLimits.PriceMessage);
        if (!v.IsValid) return v.Problem();
        var actor = user.ToActor();
        var listed = await grains.Ref<ITicketGrain>(id).List(actor, body.Price!.Value);
        var listing = (await grains.Ref<IListingGrain>(listed.ListingId!.Value).Get(actor)).Listing;
        return TypedResults.Created($"/api/listings/{listing.Terms.ListingId}", listing);
    }

    internal static async Task<Ok<ListingDetails>> Delist(Guid id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var actor = user.ToActor();
        var listingId = await grains.Ref<ITicketGrain>(id).ListingToWithdraw(actor);
        return TypedResults.Ok(await grains.Ref<IListingGrain>(listingId).Withdraw(actor));
    }

    internal static async Task<Ok<List<PublicListing>>> Browse(Guid id, IGrainFactory grains)
    {
        await grains.Ref<IEventGrain>(id).Get(); // 404 for an unknown event
        var open = await grains.Ref<IResaleGrain>(id).List();
        return TypedResults.Ok(open.Select(Public).ToList());
    }

    /// <summary>The listing grain decides who sees everything (seller, buyer, admins); anyone else gets the public view.</summary>
    internal static async Task<Results<Ok<ListingDetails>, Ok<PublicListing>>> Get(Guid id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var view = await grains.Ref<IListingGrain>(id).Get(user.ToActor());
        return view.Full ? TypedResults.Ok(view.Listing) : TypedResults.Ok(Public(view.Listing));
    }

    internal static async Task<Results<Ok<ListingDetails>, ValidationProblem>> Buy(
        Guid id, [FromHeader(Name = OrdersApi.IdempotencyHeader)] string? idempotencyKey, ClaimsPrincipal user, IGrainFactory grains)
    {
        var v = new Validator().Check(OrderLimits.IsIdempotencyKey(idempotencyKey), OrdersApi.IdempotencyHeader, OrdersApi.IdempotencyKeyMessage);
        if (!v.IsValid) return v.Problem();
        return TypedResults.Ok(await grains.Ref<IListingGrain>(id).Buy(user.ToActor(), idempotencyKey!));
    }

    internal static async Task<Ok<IReadOnlyList<SaleProceeds>>> Proceeds(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.Ref<ICustomerGrain>(user.ToActor().UserId).GetProceeds());

    private static PublicListing Public(ListingDetails l) =>
        new(l.Terms.ListingId, l.Terms.TicketId, l.Terms.EventId, l.Terms.SectionId, l.Terms.SeatId, l.Terms.Price, l.Terms.Currency, l.Terms.FaceValue,
            l.Status, l.Terms.ListedAt);
}
