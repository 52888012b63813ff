using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketFlash.Abstractions.Common;

namespace TicketFlash.Api.Infrastructure;

/// <summary>One kind of error: its HTTP status, the stable slug of its <c>type</c> URI, and its title.</summary>
public sealed record ProblemKind(int Status, string Slug, string Title);

/// <summary>
/// Every error is an RFC 9457 ProblemDetails whose <c>type</c> is one of the stable URIs in <see cref="Kinds"/>: the one
/// table that the exception handler, the status-code pages (401, 403, 404, 405 from the pipeline itself) and the
/// framework's own problems (<see cref="Customize"/>) all read. A new kind of error is one line among the rows.
/// </summary>
public static class Problems
{
    public const string TypeBase = "https://ticketflash.dev/problems/";

    // Declared before the rows: each row registers itself as it is initialized (in textual order).
    private static readonly List<ProblemKind> AllKinds = [];
    private static readonly Dictionary<int, ProblemKind> ByStatus = [];

    // The rows. A row made with Status(...) is also what that bare status means (401 from the pipeline, 429 from the rate
    // limiter); one made with Kind(...) is a more specific problem of a status. Adding a kind of error is one line here.
    public static readonly ProblemKind MalformedRequest = Status(400, "malformed-request", "The request could not be read.");
    public static readonly ProblemKind Validation = Kind(400, "validation", "The request is not valid.");
    public static readonly ProblemKind Unauthorized = Status(401, "unauthorized", "A valid bearer token is required.");
    public static readonly ProblemKind PaymentDeclined = Status(402, "payment-declined", "The payment was declined.");
    public static readonly ProblemKind Forbidden = Status(403, "forbidden", "Not allowed.");
    public static readonly ProblemKind NotFound = Status(404, "not-found", "Not found.");
    public static readonly ProblemKind MethodNotAllowed = Status(405, "method-not-allowed", "Method not allowed.");
    public static readonly ProblemKind PayloadTooLarge = Status(413, "payload-too-large", "The request body is too large.");
    public static readonly ProblemKind UnsupportedMediaType = Status(415, "unsupported-media-type", "Send application/json.");
    public static readonly ProblemKind TooManyRequests = Status(429, "too-many-requests", "Too many requests; retry later.");
    public static readonly ProblemKind Internal = Status(500, "internal", "Unexpected error.");
    public static readonly ProblemKind Unavailable = Status(503, "unavailable", "Temporarily unavailable; retry.");

    /// <summary>Every row above, in order.</summary>
    public static IReadOnlyList<ProblemKind> Kinds => AllKinds;

    /// <summary>Each domain refusal's kind. A new <see cref="DomainErrorCode"/> without a row here answers 500 (and fails ProblemsTableTests).</summary>
    public static readonly IReadOnlyDictionary<DomainErrorCode, ProblemKind> Domain = new Dictionary<DomainErrorCode, ProblemKind>
    {
        [DomainErrorCode.Validation] = Validation,
        [DomainErrorCode.NotFound] = NotFound,
        [DomainErrorCode.Forbidden] = Forbidden,
        [DomainErrorCode.SoldOut] = Kind(409, "sold-out", "Sold out."),
        [DomainErrorCode.SeatsUnavailable] = Kind(409, "seats-unavailable", "Those places are not available."),
        [DomainErrorCode.LimitExceeded] = Kind(422, "limit-exceeded", "Per-customer limit exceeded."),
        [DomainErrorCode.HoldExpired] = Kind(409, "hold-expired", "The hold expired."),
        [DomainErrorCode.InvalidState] = Kind(409, "invalid-state", "Not possible in the current state."),
        [DomainErrorCode.NotOnSale] = Kind(409, "not-on-sale", "The event is not on sale."),
        [DomainErrorCode.IdempotencyKeyReused] = Kind(422, "idempotency-key-reused", "Idempotency-Key reused for a different request."),
        [DomainErrorCode.PaymentDeclined] = PaymentDeclined,
        [DomainErrorCode.Unavailable] = Unavailable,
        [DomainErrorCode.PriceAboveCap] = Kind(422, "resale-price-above-cap", "The resale price is above the event's cap."),
        [DomainErrorCode.ListingUnavailable] = Kind(409, "listing-unavailable", "The listing is no longer for sale."),
        [DomainErrorCode.WebhookSignature] = Kind(400, "webhook-signature", "The webhook signature does not verify."),
    };

    private static ProblemKind Kind(int status, string slug, string title)
    {
        var kind = new ProblemKind(status, slug, title);
        AllKinds.Add(kind);
        return kind;
    }

    private static ProblemKind Status(int status, string slug, string title)
    {
        var kind = Kind(status, slug, title);
        if (!ByStatus.TryAdd(status, kind)) throw new InvalidOperationException($"Two rows claim the bare status {status}.");
        return kind;
    }

    public static string Type(string slug) => TypeBase + slug;

    public static ProblemKind For(DomainErrorCode code) => Domain.GetValueOrDefault(code, Internal);

    /// <summary>The kind of a bare status: its row, else 500-and-up is internal and any other 4xx a malformed request.</summary>
    public static ProblemKind KindOf(int status) =>
        ByStatus.TryGetValue(status, out var kind) ? kind : status >= 500 ? Internal with { Status = status } : MalformedRequest with { Status = status };

    public static IResult Of(ProblemKind kind, string? detail = null) =>
        TypedResults.Problem(detail, statusCode: kind.Status, title: kind.Title, type: Type(kind.Slug));

    public static IResult FromDomain(DomainException error) => Of(For(error.Code), error.Message);

    public static IResult ForStatus(int status) => Of(KindOf(status));

    /// <summary>
    /// For ASP.NET's own problems (<c>AddProblemDetails</c>): a problem without one of our types gets the table's type, and
    /// every problem carries the trace id.
    /// </summary>
    public static void Customize(ProblemDetailsContext ctx)
    {
        var problem = ctx.ProblemDetails;
        if (problem.Type is null || !problem.Type.StartsWith(TypeBase, StringComparison.Ordinal))
        {
            var kind = KindOf(problem.Status ?? 500);
            problem.Type = Type(kind.Slug);
            problem.Title ??= kind.Title;
        }
        problem.Extensions.Remove("traceId");
        problem.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier;
    }

    /// <summary>Maps what escapes the handlers: domain refusals, unreadable bodies, cluster outages. Only a bug is a 500.</summary>
    public static async Task HandleException(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var result = error switch
        {
            DomainException domain => FromDomain(domain),
            BadHttpRequestException { StatusCode: 413 } => Of(PayloadTooLarge),
            BadHttpRequestException { StatusCode: 415 } bad => Of(UnsupportedMediaType, bad.Message),
            BadHttpRequestException bad => Of(KindOf(bad.StatusCode), bad.InnerException?.Message ?? bad.Message),
            TimeoutException or OrleansException or OperationCanceledException => Of(Unavailable, "The cluster did not answer in time."),
            _ => Of(Internal),
        };
        if (result is IStatusCodeHttpResult { StatusCode: 503 }) context.Response.Headers.RetryAfter = "1";
        await result.ExecuteAsync(context);
    }

    /// <summary>Domain refusals thrown by grains become typed problems before the response starts.</summary>
    public static RouteGroupBuilder WithDomainProblems(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (ctx, next) =>
        {
            try
            {
                return await next(ctx);
            }
            catch (DomainException error)
            {
                return FromDomain(error);
            }
        });
        return group;
    }

    /// <summary>A 400 validation problem with per-field errors.</summary>
    public static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: Validation.Title, type: Type(Validation.Slug));
}

/// <summary>Collects field errors at the edge.</summary>
public sealed class Validator
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public Validator Check(bool ok, string field, string message)
    {
        if (!ok)
        {
            if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
            list.Add(message);
        }
        return this;
    }

    public ValidationProblem Problem() => Problems.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
