using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Api.Authorization;

/// <summary>One endpoint's row: how to call it, and the status each <see cref="Caller"/> gets, in column order.</summary>
/// <param name="Operation">"METHOD /path/{template}" exactly as the OpenAPI document names it.</param>
/// <param name="Expected">Nine statuses: anonymous, fan (owner), other fan, organizer A, organizer B, venue A, venue B, artist A, admin.</param>
/// <param name="Call">Sends one request as the given token; rows whose write succeeds make fresh fixtures inside.</param>
/// <param name="SeesParties">Why a caller outside the fan's circle may legitimately see the fan's id in this answer (else none may).</param>
public sealed record MatrixRow(string Operation, string Expected, Func<AuthorizationWorld, string?, Task<HttpResponseMessage>> Call, string? SeesParties = null)
{
    public int ExpectedFor(Caller caller) => int.Parse(Expected.Split(' ', StringSplitOptions.RemoveEmptyEntries)[(int)caller], System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Every endpoint of the API × every kind of caller. The rules behind the columns (docs/decisions/0003-where-rules-live.md):
/// reading the catalog is public; a fan's order, ticket and codes are the fan's (admins too); an event's staff
/// (organizer, artist, venue staff of its tenant) run its gate, keys and refunds; money and revocation are for its
/// organizer and artist (not venue staff); nobody acts across tenants. A new endpoint without a row fails
/// <see cref="AuthorizationMatrixTests.Every_documented_endpoint_has_a_row_and_every_row_an_endpoint"/>.
/// </summary>
public static class AuthorizationMatrix
{
    //                                     anon fan  fan2 orgA orgB venA venB artA admin
    private const string Public = /*   */ "200  200  200  200  200  200  200  200  200";
    private const string Authenticated = "401  200  200  200  200  200  200  200  200";
    private const string FansOwn = /*  */ "401  200  403  403  403  403  403  403  200";
    private const string OwnerOnly = /**/ "401  200  403  403  403  403  403  403  403";
    private const string EventStaff = /**/"401  403  403  200  403  200  403  200  200";
    private const string Money = /*    */ "401  403  403  200  403  403  403  200  200";

    private static readonly HttpMethod Get = HttpMethod.Get, Post = HttpMethod.Post, Delete = HttpMethod.Delete;

    public static readonly IReadOnlyList<MatrixRow> Rows =
    [
        new("GET /api/config", Public, (w, t) => w.Send(Get, "/api/config", t)),
        new("GET /health/live", Public, (w, t) => w.Send(Get, "/health/live", t)),
        new("GET /health/ready", Public, (w, t) => w.Send(Get, "/health/ready", t)),
        new("POST /api/dev/token", Public, (w, t) => w.Send(Post, "/api/dev/token", t, new { sub = Unique("someone"), roles = new[] { "fan" } })),

        // Organizers create venues in their own tenant (the token's); an admin token carries no tenant to put one in.
        new("POST /api/venues", "401 403 403 201 201 201 201 201 403",
            (w, t) => w.Send(Post, "/api/venues", t, new { name = "Matrix Hall", sections = new[] { new { id = "floor", capacity = 10 } } })),
        new("GET /api/venues/{id}", Authenticated, (w, t) => w.Send(Get, $"/api/venues/{w.VenueId}", t)),

        new("GET /api/events", Public, (w, t) => w.Send(Get, "/api/events", t)),
        new("GET /api/events/{id}", Public, (w, t) => w.Send(Get, $"/api/events/{w.EventId}", t)),
        new("GET /api/events/{id}/availability", Public, (w, t) => w.Send(Get, $"/api/events/{w.EventId}/availability", t)),
        new("GET /api/events/{id}/listings", Public, (w, t) => w.Send(Get, $"/api/events/{w.EventId}/listings", t)),
        // Events only in a venue of one's own tenant.
        new("POST /api/events", "401 403 403 201 403 201 403 201 201", (w, t) =>
        {
            var starts = DateTimeOffset.UtcNow.AddDays(20);
            return w.Send(Post, "/api/events", t, new
            {
                name = "Matrix Night", venueId = w.VenueId, startsAt = starts, endsAt = starts.AddHours(2),
                tiers = new[] { new { id = "std", price = 10m, currency = "EUR", sections = new[] { "lawn" } } },
            });
        }),
        new("POST /api/events/{id}/open-sale", EventStaff, async (w, t) => await w.Send(Post, $"/api/events/{await w.NewEventAsync(open: false)}/open-sale", t)),
        new("POST /api/events/{id}/pause", EventStaff, async (w, t) => await w.Send(Post, $"/api/events/{await w.NewEventAsync(open: true)}/pause", t)),
        new("POST /api/events/{id}/cancel", EventStaff, async (w, t) => await w.Send(Post, $"/api/events/{await w.NewEventAsync(open: true)}/cancel", t)),
        new("GET /api/events/{id}/refunds", EventStaff, (w, t) => w.Send(Get, $"/api/events/{w.EventId}/refunds", t)),
        new("GET /api/events/{id}/keys", EventStaff, (w, t) => w.Send(Get, $"/api/events/{w.EventId}/keys", t)),
        // A rotation keeps the older keys verifying, so the shared event's codes stay good for later rows.
        new("POST /api/events/{id}/keys/rotate", EventStaff, (w, t) => w.Send(Post, $"/api/events/{w.EventId}/keys/rotate", t)),
        new("GET /api/events/{id}/checkin/stats", EventStaff, (w, t) => w.Send(Get, $"/api/events/{w.EventId}/checkin/stats", t)),
        new("GET /api/events/{id}/checkin/bundle", EventStaff, (w, t) => w.Send(Get, $"/api/events/{w.EventId}/checkin/bundle", t)),
        new("GET /api/events/{id}/checkin/conflicts", EventStaff, (w, t) => w.Send(Get, $"/api/events/{w.EventId}/checkin/conflicts", t)),
        // An unreadable code is refused (200 with result Invalid) for staff; nobody else may even ask.
        new("POST /api/checkin", EventStaff, (w, t) => w.Send(Post, "/api/checkin", t, new { eventId = w.EventId, code = "NOT-A-CODE", gate = "A", deviceId = "matrix" })),
        new("POST /api/checkin/sync", EventStaff, (w, t) => w.Send(Post, "/api/checkin/sync", t, new
        {
            eventId = w.EventId, deviceId = "matrix", gate = "A", scans = new[] { new { code = "NOT-A-CODE", scannedAt = DateTimeOffset.UtcNow } },
        })),

        // Anyone signed in may hold places (their own order).
        new("POST /api/orders", "401 201 201 201 201 201 201 201 201",
            (w, t) => w.Send(Post, "/api/orders", t, new { eventId = w.EventId, quantity = 1 }, idempotencyKey: Guid.NewGuid().ToString("N"))),
        new("GET /api/orders/{id}", FansOwn, (w, t) => w.Send(Get, $"/api/orders/{w.OrderId}", t)),
        new("POST /api/orders/{id}/pay", FansOwn, async (w, t) => await w.Send(Post, $"/api/orders/{await w.FreshHeldOrderAsync()}/pay", t)),
        new("DELETE /api/orders/{id}", FansOwn, async (w, t) => await w.Send(Delete, $"/api/orders/{await w.FreshHeldOrderAsync()}", t)),
        new("GET /api/orders/user/{userId}", FansOwn, (w, t) => w.Send(Get, $"/api/orders/user/{w.FanId}", t)),
        new("GET /api/me/orders", Authenticated, (w, t) => w.Send(Get, "/api/me/orders", t)),
        new("GET /api/me/tickets", Authenticated, (w, t) => w.Send(Get, "/api/me/tickets", t)),
        new("GET /api/me/proceeds", Authenticated, (w, t) => w.Send(Get, "/api/me/proceeds", t)),

        new("GET /api/tickets/{id}", FansOwn, (w, t) => w.Send(Get, $"/api/tickets/{w.TicketId}", t)),
        // The history names who moved the ticket: its owner, the event's organizer and artist, admins.
        new("GET /api/tickets/{id}/history", "401 200 403 200 403 403 403 200 200", (w, t) => w.Send(Get, $"/api/tickets/{w.TicketId}/history", t)),
        new("POST /api/tickets/{id}/transfer", OwnerOnly, async (w, t) => await w.Send(Post, $"/api/tickets/{await w.FreshTicketAsync()}/transfer", t, new { to = Unique("friend") })),
        new("POST /api/tickets/{id}/refund", Money, async (w, t) => await w.Send(Post, $"/api/tickets/{await w.FreshTicketAsync()}/refund", t, new { reason = "matrix" })),
        new("POST /api/tickets/{id}/revoke", Money, async (w, t) => await w.Send(Post, $"/api/tickets/{await w.FreshTicketAsync()}/revoke", t, new { reason = "matrix" })),
        new("GET /api/tickets/{id}/code", FansOwn, (w, t) => w.Send(Get, $"/api/tickets/{w.TicketId}/code", t)),
        new("GET /api/tickets/{id}/qr", FansOwn, (w, t) => w.Send(Get, $"/api/tickets/{w.TicketId}/qr", t)),
        new("POST /api/tickets/{id}/devices", OwnerOnly,
            async (w, t) => await w.Send(Post, $"/api/tickets/{await w.FreshTicketAsync()}/devices", t, new { publicKey = AuthorizationWorld.DeviceKey() })),
        new("POST /api/tickets/{id}/listings", "401 201 403 403 403 403 403 403 403",
            async (w, t) => await w.Send(Post, $"/api/tickets/{await w.FreshTicketAsync()}/listings", t, new { price = 10m })),
        new("DELETE /api/tickets/{id}/listings", FansOwn, async (w, t) => await w.Send(Delete, $"/api/tickets/{await w.FreshListedTicketAsync()}/listings", t)),

        // Everyone signed in sees a listing; only its seller, its buyer and admins see who they are.
        new("GET /api/listings/{id}", Authenticated, (w, t) => w.Send(Get, $"/api/listings/{w.ListingId}", t)),
        // The seller can't buy their own listing (400); any other signed-in caller can.
        new("POST /api/listings/{id}/buy", "401 400 200 200 200 200 200 200 200",
            async (w, t) => await w.Send(Post, $"/api/listings/{await w.FreshListingAsync()}/buy", t, idempotencyKey: Guid.NewGuid().ToString("N")),
            SeesParties: "the buyer becomes a party of the listing and sees its seller"),

        // Stripe's webhook is authenticated by its Stripe-Signature, never by a token (StripeOrderPaymentTests: 400 unsigned,
        // 200 signed); on this cluster's simulated gateway it does not exist for anyone.
        new("POST /api/payments/stripe/webhook", "404 404 404 404 404 404 404 404 404",
            (w, t) => w.Send(Post, "/api/payments/stripe/webhook", t, new { id = "evt_matrix", type = "payment_intent.succeeded" })),
    ];
}
