namespace TicketFlash.Abstractions.Events;

/// <summary>
/// Field rules of creating an event, defined once with one message each: the API checks them for a field-level 400, the
/// event grain again for callers that skip the API. Rules that need the venue (its sections) are the grain's alone.
/// </summary>
public static class EventLimits
{
    public const int MaxNameLength = 200;
    public const int MaxPerCustomerLimit = 100;
    public const double MinHoldMinutes = 0.05;
    public const double MaxHoldMinutes = 60;
    public const double MaxTransferFreezeHours = 720;
    public const decimal MaxTierPrice = 1_000_000m;

    public const string NameMessage = "name is 1–200 characters";
    public const string EndsAtMessage = "endsAt is required and after startsAt";
    public static readonly string PerCustomerLimitMessage = $"perCustomerLimit is 1–{MaxPerCustomerLimit}";
    public static readonly string HoldMinutesMessage = $"holdMinutes is {MinHoldMinutes}–{MaxHoldMinutes}";
    public static readonly string TransferFreezeHoursMessage = $"transferFreezeHours is 0–{MaxTransferFreezeHours}";
    public static readonly string ResaleCapPercentMessage =
        $"resaleCapPercent (resale price cap, percent of face value) is 0–{EventDefaults.MaxResaleCapPercent}";
    public static readonly string TierPriceMessage = $"price is 0–{MaxTierPrice}";
    public const string CurrencyMessage = "an ISO 4217 code like EUR";

    public static bool IsName(string? name) => name is { Length: > 0 and <= MaxNameLength } && !string.IsNullOrWhiteSpace(name);

    public static bool EndsAfterStart(DateTimeOffset? startsAt, DateTimeOffset? endsAt) => endsAt is not null && endsAt > startsAt;

    public static bool IsPerCustomerLimit(int? limit) => limit is >= 1 and <= MaxPerCustomerLimit;

    public static bool IsHoldMinutes(double? minutes) => minutes is >= MinHoldMinutes and <= MaxHoldMinutes;

    public static bool IsTransferFreezeHours(double? hours) => hours is >= 0 and <= MaxTransferFreezeHours;

    public static bool IsResaleCapPercent(int? percent) => percent is >= 0 and <= EventDefaults.MaxResaleCapPercent;

    public static bool IsTierPrice(decimal? price) => price is >= 0 and <= MaxTierPrice;

    public static bool IsCurrency(string? currency) => currency is { Length: 3 } && currency.All(char.IsAsciiLetterUpper);
}
