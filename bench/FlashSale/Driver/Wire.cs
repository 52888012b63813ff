using System.Text.Json;
using System.Text.Json.Serialization;

namespace TicketFlash.Bench.FlashSale.Driver;

/// <summary>Request bodies the driver sends (TicketFlash public API, issue 2 §5).</summary>
public sealed record TokenBody(string Sub, List<string> Roles, string? Tenant);
public sealed record SectionBody(
    string Id, string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Capacity,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Rows = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? SeatsPerRow = null);
public sealed record VenueBody(string Name, List<SectionBody> Sections);
public sealed record TierBody(string Id, string Name, decimal Price, string Currency, List<string> Sections);
public sealed record EventBody(
    string Name, string VenueId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, List<TierBody> Tiers, int PerCustomerLimit, int HoldMinutes);
public sealed record OrderBody(string EventId, int Quantity, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SectionId);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TokenBody))]
[JsonSerializable(typeof(VenueBody))]
[JsonSerializable(typeof(EventBody))]
[JsonSerializable(typeof(OrderBody))]
internal sealed partial class DriverJson : JsonSerializerContext
{
    public static byte[] Bytes<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) =>
        JsonSerializer.SerializeToUtf8Bytes(value, info);
}
