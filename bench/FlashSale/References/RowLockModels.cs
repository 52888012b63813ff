using System.Text.Json;
using System.Text.Json.Serialization;

namespace TicketFlash.Bench.FlashSale.References;

public sealed record DevTokenRequest(string? Sub, List<string>? Roles, string? Tenant);
public sealed record DevTokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

public sealed record VenueSectionRequest(string? Id, string? Name, int? Capacity, int? Rows, int? SeatsPerRow);
public sealed record VenueRequest(string? Name, List<VenueSectionRequest>? Sections);
public sealed record VenueResponse(Guid Id, string Name, List<string> Sections);

public sealed record TierRequest(string? Id, string? Name, decimal? Price, string? Currency, List<string>? Sections);
public sealed record EventRequest(
    string? Name, Guid? VenueId, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt,
    List<TierRequest>? Tiers, int? PerCustomerLimit, int? HoldMinutes);
public sealed record EventResponse(Guid Id, string Name, string Status);

public sealed record OrderRequest(Guid? EventId, int? Quantity, string? SectionId);
public sealed record HoldResponse(Guid OrderId, string Status, List<string> Seats, decimal Total, string Currency, DateTimeOffset ExpiresAt);
public sealed record TicketDto(Guid TicketId, string SectionId, string SeatId);
public sealed record PayResponse(Guid OrderId, string Status, List<TicketDto> Tickets);

public sealed record SectionAvailability(string SectionId, int Capacity, int Available, int Held, int Sold);
public sealed record AvailabilityResponse(Guid EventId, List<SectionAvailability> Sections);

/// <summary>A store answer: either a value, or a refusal that maps to one ProblemDetails.</summary>
public sealed record Outcome<T>(T? Value, int Status, string? Problem = null, string? Detail = null)
{
    public static Outcome<T> Ok(T value, int status = 200) => new(value, status);
    public static Outcome<T> Fail(int status, string problem, string detail) => new(default, status, problem, detail);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DevTokenRequest))]
[JsonSerializable(typeof(DevTokenResponse))]
[JsonSerializable(typeof(VenueRequest))]
[JsonSerializable(typeof(VenueResponse))]
[JsonSerializable(typeof(EventRequest))]
[JsonSerializable(typeof(EventResponse))]
[JsonSerializable(typeof(OrderRequest))]
[JsonSerializable(typeof(HoldResponse))]
[JsonSerializable(typeof(PayResponse))]
[JsonSerializable(typeof(AvailabilityResponse))]
internal sealed partial class RowLockJson : JsonSerializerContext;
