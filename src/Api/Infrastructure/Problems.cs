using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketFlash.Abstractions.Common;

namespace TicketFlash.Api.Infrastructure;

/// <summary>Every error is an RFC 9457 ProblemDetails whose <c>type</c> is one of these stable URIs.</summary>
public static class Problems
{
    public const string TypeBase = "https://ticketflash.dev/problems/";

    public static string Type(string slug) => TypeBase + slug;

    public static (int Status, string Slug, string Title) For(DomainErrorCode code) => code switch
    {
        DomainErrorCode.Validation => (400, "validation", "The request is not valid."),
        DomainErrorCode.NotFound => (404, "not-found", "Not found."),
        DomainErrorCode.Forbidden => (403, "forbidden", "Not allowed."),
        DomainErrorCode.SoldOut => (409, "sold-out", "Sold out."),
        DomainErrorCode.SeatsUnavailable => (409, "seats-unavailable", "Those places are not available."),
        DomainErrorCode.LimitExceeded => (422, "limit-exceeded", "Per-customer limit exceeded."),
        DomainErrorCode.HoldExpired => (409, "hold-expired", "The hold expired."),
        DomainErrorCode.InvalidState => (409, "invalid-state", "Not possible in the current state."),
        DomainErrorCode.NotOnSale => (409, "not-on-sale", "The event is not on sale."),
        DomainErrorCode.IdempotencyKeyReused => (422, "idempotency-key-reused", "Idempotency-Key reused for a different request."),
        DomainErrorCode.PaymentDeclined => (402, "payment-declined", "The payment was declined."),
        DomainErrorCode.Unavailable => (503, "unavailable", "Temporarily unavailable; retry."),
        DomainErrorCode.PriceAboveCap => (422, "resale-price-above-cap", "The resale price is above the event's cap."),
        DomainErrorCode.ListingUnavailable => (409, "listing-unavailable", "The listing is no longer for sale."),
        DomainErrorCode.WebhookSignature => (400, "webhook-signature", "The webhook signature does not verify."),
        _ => (500, "internal", "Unexpected error."),
    };

    public static IResult FromDomain(DomainException error)
    {
        var (status, slug, title) = For(error.Code);
        return TypedResults.Problem(error.Message, statusCode: status, title: title, type: Type(slug));
    }

    public static IResult Edge(int status, string slug, string title, string? detail = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: Type(slug));

    public static IResult ForStatus(int status) => status switch
    {
        401 => Edge(401, "unauthorized", "A valid bearer token is required."),
        403 => Edge(403, "forbidden", "Not allowed."),
        404 => Edge(404, "not-found", "Not found."),
        405 => Edge(405, "method-not-allowed", "Method not allowed."),
        413 => Edge(413, "payload-too-large", "The request body is too large."),
        415 => Edge(415, "unsupported-media-type", "Send application/json."),
        >= 500 => Edge(status, "internal", "Unexpected error."),
        _ => Edge(status, "malformed-request", "The request could not be handled."),
    };

    /// <summary>Maps what escapes the handlers: domain refusals, unreadable bodies, cluster outages. Only a bug is a 500.</summary>
    public static async Task HandleException(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var result = error switch
        {
            DomainException domain => FromDomain(domain),
            BadHttpRequestException { StatusCode: 413 } => Edge(413, "payload-too-large", "The request body is too large."),
            BadHttpRequestException { StatusCode: 415 } bad => Edge(415, "unsupported-media-type", "Send application/json.", bad.Message),
            BadHttpRequestException bad => Edge(400, "malformed-request", "The request could not be read.", bad.InnerException?.Message ?? bad.Message),
            TimeoutException or OrleansException or OperationCanceledException =>
                Edge(503, "unavailable", "Temporarily unavailable; retry.", "The cluster did not answer in time."),
            _ => Edge(500, "internal", "Unexpected error."),
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
        TypedResults.ValidationProblem(errors, title: "The request is not valid.", type: Type("validation"));
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
