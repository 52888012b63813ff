namespace TicketFlash.Abstractions.Common;

/// <summary>
/// Why the domain refused a request. Each code maps to one stable ProblemDetails type and HTTP status at the API edge.
/// Never renumber: the values travel between silos and clients of different versions.
/// </summary>
public enum DomainErrorCode
{
    Validation = 0,
    NotFound = 1,
    Forbidden = 2,
    SoldOut = 3,
    SeatsUnavailable = 4,
    LimitExceeded = 5,
    HoldExpired = 6,
    InvalidState = 7,
    NotOnSale = 8,
    IdempotencyKeyReused = 9,
    PaymentDeclined = 10,
    Unavailable = 11,
    PriceAboveCap = 12,
    ListingUnavailable = 13,

    /// <summary>A payment webhook whose signature (or timestamp) does not verify.</summary>
    WebhookSignature = 14,
}

/// <summary>A refusal by the domain: expected, explained, and never a 500.</summary>
[GenerateSerializer, Alias("tf.DomainException")]
public sealed class DomainException : Exception
{
    public DomainException() { }

    public DomainException(string message) : base(message) { }

    public DomainException(string message, Exception inner) : base(message, inner) { }

    public DomainException(DomainErrorCode code, string message) : base(message) => Code = code;

    [Id(0)]
    public DomainErrorCode Code { get; init; }

    public static DomainException NotFound(string what) => new(DomainErrorCode.NotFound, $"{what} was not found.");

    public static DomainException Forbidden(string why) => new(DomainErrorCode.Forbidden, why);

    public static DomainException Invalid(string why) => new(DomainErrorCode.Validation, why);

    public static DomainException State(string why) => new(DomainErrorCode.InvalidState, why);
}
