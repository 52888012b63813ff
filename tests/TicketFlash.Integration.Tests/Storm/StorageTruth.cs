using System.Text.Json;
using TicketFlash.Integration.Tests.Infrastructure;

namespace TicketFlash.Integration.Tests.Storm;

/// <summary>What PostgreSQL says, read straight from the grain state rows (System.Text.Json, camelCase).</summary>
public sealed record StoredOrder(Guid EventId, string CustomerId, string SectionId, int Status, int Quantity, List<string> Seats);

public sealed record StoredInventory(Guid EventId, string SectionId, int Capacity, int Sold, Dictionary<Guid, JsonElement> Holds);

public static class StorageTruth
{
    public const int ConfirmedStatus = 2;

    public static async Task<List<StoredOrder>> OrdersAsync(TestDatabase db, Guid eventId) =>
        [.. (await db.JsonStatesAsync("order")).Select(j => JsonSerializer.Deserialize<StoredOrder>(j, TicketFlashClient.Json)!).Where(o => o.EventId == eventId)];

    public static async Task<List<StoredInventory>> InventoriesAsync(TestDatabase db, Guid eventId) =>
        [.. (await db.JsonStatesAsync("inventory")).Select(j => JsonSerializer.Deserialize<StoredInventory>(j, TicketFlashClient.Json)!).Where(i => i.EventId == eventId)];
}
