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

/// <summary>The resale market: owners list (at or under the event's cap), delist, fans buy; sellers see their proceeds.</summary>
public static class ResaleApi
{
    public static void MapResaleApi(this IEndpointRouteBuilder app)
    {
        var tickets = app.MapGroup("/api/tickets/{id:guid}/listings").WithTags("Resale").WithDomainProblems();
        tickets.MapPost("/", List).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        tickets.MapDelete("/", Delist).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        app.MapGroup("/api/events").WithTags("Resale").WithDomainProblems()
            .MapGet("/{id:guid}/listings", Browse).AllowAnonymous().ProducesProblem(404);

        var listings = app.MapGroup("/api/listings").WithTags("Resale").WithDomainProblems();
        listings.MapGet("/{id:guid}", Get).ProducesProblem(404);
        listings.MapPost("/{id:guid}/buy", Buy).ProducesProblem(400).ProducesProblem(402).ProducesProblem(404).ProducesProblem(409);

        app.MapGroup("/api/me").WithTags("Me").WithDomainProblems().MapGet("/proceeds", async Task<Ok<IReadOnlyList<SaleProceeds>>> (ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await grains.Ref<ICustomerGrain>(user.ToActor().UserId).GetProceeds()));
    }

    private static async Task<Results<Created<ListingDetails>, ValidationProblem>> List(Guid id, ListRequest body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var v = new Validator().Check(body.Price is > 0 and <= ResaleLimits.MaxPrice && decimal.Round(body.Price.Value, 2) == body.Price,
            "price", $"price is above 0, at most {ResaleLimits.MaxPrice}, with at most 2 decimals");
        if (!v.IsValid) return v.Problem();
        var listed = await grains.Ref<ITicketGrain>(id).List(user.ToActor(), body.Price!.Value);
        var listing = await grains.Ref<IListingGrain>(listed.ListingId!.Value).Get();
        return TypedResults.Created($"/api/listings/{listing.Terms.ListingId}", listing);
    }

    private static async Task<Ok<ListingDetails>> Delist(Guid id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var actor = user.ToActor();
        var ticket = await grains.Ref<ITicketGrain>(id).Get();
        if (ticket.OwnerId != actor.UserId && !actor.IsAdmin) throw DomainException.Forbidden("Only the ticket's owner may delist it.");
        if (ticket.ListingId is not { } listingId) throw DomainException.State($"The ticket is {ticket.Status}, not listed.");
        return TypedResults.Ok(await grains.Ref<IListingGrain>(listingId).Withdraw(actor));
    }

    private static async Task<Ok<List<PublicListing>>> Browse(Guid id, IGrainFactory grains)
    {
        await grains.Ref<IEventGrain>(id).Get(); // 404 for an unknown event
        var open = await grains.Ref<IResaleGrain>(id).List();
        return TypedResults.Ok(open.Select(Public).ToList());
    }

    /// <summary>The seller, the buyer and admins see everything; anyone else the public view.</summary>
    private static async Task<Results<Ok<ListingDetails>, Ok<PublicListing>>> Get(Guid id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var actor = user.ToActor();
        var listing = await grains.Ref<IListingGrain>(id).Get();
        if (actor.IsAdmin || actor.UserId == listing.Terms.SellerId || actor.UserId == listing.BuyerId) return TypedResults.Ok(listing);
        return TypedResults.Ok(Public(listing));
    }

    private static async Task<Results<Ok<ListingDetails>, ValidationProblem>> Buy(
        Guid id, [FromHeader(Name = OrdersApi.IdempotencyHeader)] string? idempotencyKey, ClaimsPrincipal user, IGrainFactory grains)
    {
        var v = new Validator().Check(idempotencyKey is { Length: > 0 and <= OrderLimits.MaxIdempotencyKeyLength }, OrdersApi.IdempotencyHeader,
            $"the {OrdersApi.IdempotencyHeader} header (1–{OrderLimits.MaxIdempotencyKeyLength} characters) is required");
        if (!v.IsValid) return v.Problem();
        return TypedResults.Ok(await grains.Ref<IListingGrain>(id).Buy(user.ToActor(), idempotencyKey!));
    }

    private static PublicListing Public(ListingDetails l) =>
        new(l.Terms.ListingId, l.Terms.TicketId, l.Terms.EventId, l.Terms.SectionId, l.Terms.SeatId, l.Terms.Price, l.Terms.Currency, l.Terms.FaceValue,
            l.Status, l.Terms.ListedAt);
}
