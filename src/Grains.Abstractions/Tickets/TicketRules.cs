namespace TicketFlash.Abstractions.Tickets;

/// <summary>
/// Field rules of the ticket's commands, defined once: the API checks them for a field-level 400 and the ticket grain
/// again (same predicate, same message) for callers that skip the API.
/// </summary>
public static class TicketRules
{
    public const int MaxReasonLength = 500;
    public const int MaxRecipientLength = 128;

    public const string ReasonMessage = "a reason of 1–500 characters is required";
    public const string RecipientMessage = "the recipient's user id or e-mail (1–128 characters)";

    public static bool IsReason(string? reason) => reason is { Length: > 0 and <= MaxReasonLength } && !string.IsNullOrWhiteSpace(reason);

    /// <summary>A user id (token subject) or an e-mail address used as one.</summary>
    public static bool IsRecipient(string? to) =>
        to is { Length: > 0 and <= MaxRecipientLength } && to.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@' or '+');
}
