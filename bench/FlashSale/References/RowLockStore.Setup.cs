using Npgsql;
using NpgsqlTypes;

namespace TicketFlash.Bench.FlashSale.References;

/// <summary>Venue/event setup of reference (b): the same request shapes as TicketFlash's API, so the
/// driver sets up both stacks with the same code. Cold path, not measured.</summary>
public sealed partial class RowLockStore
{
    public async Task<Outcome<VenueResponse>> CreateVenueAsync(string tenant, VenueRequest req, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(req.Name) || req.Sections is not { Count: > 0 })
            return Outcome<VenueResponse>.Fail(400, Validation, "name and at least one section are required");
        var ids = new List<string>();
        var caps = new List<int>();
        foreach (var s in req.Sections)
        {
            var cap = s.Capacity ?? (s.Rows * s.SeatsPerRow);
            if (string.IsNullOrWhiteSpace(s.Id) || cap is not > 0 || ids.Contains(s.Id))
                return Outcome<VenueResponse>.Fail(400, Validation, "each section needs a unique id and a positive capacity");
            ids.Add(s.Id);
            caps.Add(cap.Value);
        }
        var id = Guid.CreateVersion7();
        await using var cmd = dataSource.CreateCommand(RowLockSql.InsertVenue);
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenant });
        cmd.Parameters.Add(new NpgsqlParameter { Value = req.Name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = caps.ToArray() });
        await cmd.ExecuteNonQueryAsync(ct);
        return Outcome<VenueResponse>.Ok(new VenueResponse(id, req.Name, ids), 201);
    }

    public async Task<Outcome<EventResponse>> CreateEventAsync(string tenant, EventRequest req, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(req.Name) || req.VenueId is null || req.Tiers is not { Count: > 0 })
            return Outcome<EventResponse>.Fail(400, Validation, "name, venueId and at least one tier are required");
        string[] venueSections;
        int[] venueCaps;
        await using (var cmd = dataSource.CreateCommand(RowLockSql.VenueSections))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = req.VenueId.Value });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) return Outcome<EventResponse>.Fail(404, NotFound, "venue not found");
            (venueSections, venueCaps) = (r.GetFieldValue<string[]>(0), r.GetFieldValue<int[]>(1));
        }
        var ids = new List<string>();
        var caps = new List<int>();
        var prices = new List<decimal>();
        var currency = req.Tiers[0].Currency ?? "EUR";
        foreach (var tier in req.Tiers)
        {
            if (tier.Price is not >= 0 || tier.Sections is not { Count: > 0 } || (tier.Currency ?? currency) != currency)
                return Outcome<EventResponse>.Fail(400, Validation, "each tier needs a price, one currency and sections");
            foreach (var s in tier.Sections)
            {
                var i = Array.IndexOf(venueSections, s);
                if (i < 0 || ids.Contains(s)) return Outcome<EventResponse>.Fail(400, Validation, $"section '{s}' unknown or in two tiers");
                ids.Add(s);
                caps.Add(venueCaps[i]);
                prices.Add(tier.Price.Value);
            }
        }
        var limit = req.PerCustomerLimit ?? 10;
        var holdMinutes = req.HoldMinutes ?? 10;
        if (limit < 1 || holdMinutes < 1) return Outcome<EventResponse>.Fail(400, Validation, "perCustomerLimit and holdMinutes must be positive");
        var id = Guid.CreateVersion7();
        await using (var cmd = dataSource.CreateCommand(RowLockSql.InsertEvent))
        {
            object?[] values = [id, req.VenueId.Value, tenant, req.Name, req.StartsAt, req.EndsAt, limit, holdMinutes, currency,
                caps.Sum(), ids.ToArray(), caps.ToArray(), prices.ToArray()];
            foreach (var v in values)
                cmd.Parameters.Add(v is null ? new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = DBNull.Value } : new NpgsqlParameter { Value = v });
            await cmd.ExecuteNonQueryAsync(ct);
        }
        return Outcome<EventResponse>.Ok(new EventResponse(id, req.Name, "Draft"), 201);
    }

    public async Task<Outcome<EventResponse>> OpenSaleAsync(Guid eventId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(RowLockSql.OpenSale);
        cmd.Parameters.Add(new NpgsqlParameter { Value = eventId });
        var status = await cmd.ExecuteScalarAsync(ct);
        return status is string s
            ? Outcome<EventResponse>.Ok(new EventResponse(eventId, "", s))
            : Outcome<EventResponse>.Fail(404, NotFound, "event not found or not in a state that can open");
    }

    /// <summary>The same event shape the driver creates: <paramref name="sections"/> GA sections A, B, … of
    /// seats/sections each, one Standard tier at 50 EUR, limit 10, holds of 10 minutes, on sale.</summary>
    public async Task<Guid> SeedAsync(int seats, int sections, CancellationToken ct)
    {
        var ids = Enumerable.Range(0, sections).Select(i => ((char)('A' + i)).ToString()).ToList();
        var venue = await CreateVenueAsync("bench", new VenueRequest("Seed arena",
            ids.Select(s => new VenueSectionRequest(s, s, seats / sections, null, null)).ToList()), ct);
        var start = DateTimeOffset.UtcNow.AddDays(30);
        var ev = await CreateEventAsync("bench", new EventRequest("Seed flash sale", venue.Value!.Id, start, start.AddHours(4),
            [new TierRequest("std", "Standard", 50m, "EUR", ids)], 10, 10), ct);
        await OpenSaleAsync(ev.Value!.Id, ct);
        return ev.Value.Id;
    }
}
