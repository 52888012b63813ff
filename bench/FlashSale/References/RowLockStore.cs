using Npgsql;
using NpgsqlTypes;

namespace TicketFlash.Bench.FlashSale.References;

/// <summary>
/// Data access of reference (b), tuned the way a careful team would: pooled NpgsqlDataSources (holds
/// in their own pool, a bulkhead), auto-prepared statements, batched round trips, and the hot row lock
/// held for exactly one statement plus its COMMIT (sent in the same round trip). A hold costs 2 round
/// trips, a pay 1.
/// </summary>
public sealed partial class RowLockStore(RowLockDataSources sources, ILogger<RowLockStore> logger)
{
    private readonly NpgsqlDataSource dataSource = sources.Main;

    public const string SoldOut = "sold-out";
    public const string SeatsUnavailable = "seats-unavailable";
    public const string LimitExceeded = "limit-exceeded";
    public const string NotFound = "not-found";
    public const string HoldExpired = "hold-expired";
    public const string InvalidState = "invalid-state";
    public const string NotOnSale = "not-on-sale";
    public const string Validation = "validation";

    public static RowLockDataSources CreateDataSources(string connectionString, int poolSize, int holdPoolSize) =>
        new(CreateDataSource(connectionString, holdPoolSize, "rowlock-holds"), CreateDataSource(connectionString, poolSize, "rowlock"));

    private static NpgsqlDataSource CreateDataSource(string connectionString, int poolSize, string name)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString)
        {
            SearchPath = RowLockSql.Schema,
            MaxPoolSize = poolSize,
            MinPoolSize = Math.Min(poolSize, 8),
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
            NoResetOnClose = true,
            Enlist = false,
            ApplicationName = name,
        };
        return new NpgsqlDataSourceBuilder(csb.ConnectionString).Build();
    }

    public async Task CreateSchemaAsync(CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(RowLockSql.CreateSchema);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<Outcome<HoldResponse>> HoldAsync(string customer, string key, Guid eventId, int quantity, string? sectionId, CancellationToken ct)
    {
        await using var conn = await sources.Holds.OpenConnectionAsync(ct);
        var inTx = false;
        try
        {
            // Round trip 1 (no hot lock): BEGIN, idempotent replay lookup, lock this customer's counter.
            int held, limit;
            await using (var batch = new NpgsqlBatch(conn))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(RowLockSql.HoldBegin));
                batch.BatchCommands.Add(Cmd(RowLockSql.FindByKey, Text(customer), Text(key)));
                batch.BatchCommands.Add(Cmd(RowLockSql.EnsureCustomer, Uuid(eventId), Text(customer)));
                batch.BatchCommands.Add(Cmd(RowLockSql.LockCustomer, Uuid(eventId), Text(customer)));
                inTx = true;
                await using var r = await batch.ExecuteReaderAsync(ct);
                var replay = await r.ReadAsync(ct) ? ReadOrder(r) : null;
                if (replay is not null)
                {
                    await r.DisposeAsync();
                    await ExecAsync(conn, RowLockSql.Rollback, ct);
                    inTx = false;
                    return Outcome<HoldResponse>.Ok(replay, 200);
                }
                await r.NextResultAsync(ct);
                if (!await r.ReadAsync(ct))
                {
                    await r.DisposeAsync();
                    await ExecAsync(conn, RowLockSql.Rollback, ct);
                    inTx = false;
                    return Outcome<HoldResponse>.Fail(404, NotFound, $"event {eventId} was not found");
                }
                held = r.GetInt32(0);
                limit = r.GetInt32(1);
            }
            if (held + quantity > limit)
            {
                await ExecAsync(conn, RowLockSql.Rollback, ct);
                inTx = false;
                return Outcome<HoldResponse>.Fail(422, LimitExceeded, $"limit {limit} per customer: already {held}, asked {quantity}");
            }

            // Round trip 2: the hot statement (locks the event row) and COMMIT together.
            var orderId = Guid.CreateVersion7();
            HoldResponse? created = null;
            await using (var batch = new NpgsqlBatch(conn))
            {
                batch.BatchCommands.Add(Cmd(RowLockSql.HoldHot, Uuid(eventId), Int(quantity), Text(sectionId), Uuid(orderId), Text(customer), Text(key)));
                batch.BatchCommands.Add(new NpgsqlBatchCommand(RowLockSql.Commit));
                await using var r = await batch.ExecuteReaderAsync(ct);
                if (await r.ReadAsync(ct))
                {
                    var section = r.GetString(0);
                    created = new HoldResponse(orderId, "Held", Seats(section, r.GetInt32(1), quantity),
                        r.GetDecimal(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4));
                }
            }
            inTx = false;
            return created is not null ? Outcome<HoldResponse>.Ok(created, 201) : await RefusalAsync(conn, eventId, sectionId, quantity, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The same (customer, key) raced in concurrently: the other request won; replay its order.
            await TryRollbackAsync(conn);
            await using var cmd = new NpgsqlCommand(RowLockSql.FindByKey, conn) { Parameters = { Text(customer), Text(key) } };
            await using var r = await cmd.ExecuteReaderAsync(ct);
            return await r.ReadAsync(ct) ? Outcome<HoldResponse>.Ok(ReadOrder(r)!, 200)
                : Outcome<HoldResponse>.Fail(409, InvalidState, "concurrent request with the same idempotency key");
        }
        catch when (inTx)
        {
            await TryRollbackAsync(conn);
            throw;
        }
    }

    private static async Task<Outcome<HoldResponse>> RefusalAsync(NpgsqlConnection conn, Guid eventId, string? sectionId, int quantity, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(RowLockSql.HoldRefusal, conn) { Parameters = { Uuid(eventId) } };
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return Outcome<HoldResponse>.Fail(404, NotFound, $"event {eventId} was not found");
        var status = r.GetString(0);
        var available = r.GetInt32(1);
        var sections = r.GetFieldValue<string[]>(2);
        if (status != "OnSale") return Outcome<HoldResponse>.Fail(409, NotOnSale, $"event is {status}");
        if (available == 0) return Outcome<HoldResponse>.Fail(409, SoldOut, "the event is sold out");
        if (sectionId is not null && !sections.Contains(sectionId))
            return Outcome<HoldResponse>.Fail(400, Validation, $"section '{sectionId}' is not part of this event");
        return Outcome<HoldResponse>.Fail(409, SeatsUnavailable,
            sectionId is null ? $"no section has {quantity} seats left" : $"section {sectionId} has fewer than {quantity} seats left");
    }

    public async Task<Outcome<PayResponse>> PayAsync(string customer, Guid orderId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var tickets = new List<TicketDto>(4);
        await using (var cmd = new NpgsqlCommand(RowLockSql.Pay, conn) { Parameters = { Uuid(orderId), Text(customer) } })
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct)) tickets.Add(new TicketDto(r.GetGuid(0), r.GetString(1), r.GetString(2)));
        }
        if (tickets.Count > 0) return Outcome<PayResponse>.Ok(new PayResponse(orderId, "Confirmed", tickets));

        string owner, status;
        bool live;
        await using (var cmd = new NpgsqlCommand(RowLockSql.OrderForPay, conn) { Parameters = { Uuid(orderId) } })
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (!await r.ReadAsync(ct)) return Outcome<PayResponse>.Fail(404, NotFound, $"order {orderId} was not found");
            (owner, status, live) = (r.GetString(0), r.GetString(1), r.GetBoolean(2));
        }
        if (owner != customer) return Outcome<PayResponse>.Fail(404, NotFound, $"order {orderId} was not found");
        if (status == "Confirmed")
        {
            await using var cmd = new NpgsqlCommand(RowLockSql.TicketsOfOrder, conn) { Parameters = { Uuid(orderId) } };
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) tickets.Add(new TicketDto(r.GetGuid(0), r.GetString(1), r.GetString(2)));
            return Outcome<PayResponse>.Ok(new PayResponse(orderId, "Confirmed", tickets));
        }
        if (status == "Expired" || (status == "Held" && !live))
            return Outcome<PayResponse>.Fail(409, HoldExpired, "the hold expired before payment");
        return Outcome<PayResponse>.Fail(409, InvalidState, $"order is {status}");
    }

    public async Task<Outcome<AvailabilityResponse>> AvailabilityAsync(Guid eventId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        string[] ids;
        int[] capacity, available;
        await using (var cmd = new NpgsqlCommand(RowLockSql.AvailabilityEvent, conn) { Parameters = { Uuid(eventId) } })
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (!await r.ReadAsync(ct)) return Outcome<AvailabilityResponse>.Fail(404, NotFound, $"event {eventId} was not found");
            (ids, capacity, available) = (r.GetFieldValue<string[]>(0), r.GetFieldValue<int[]>(1), r.GetFieldValue<int[]>(2));
        }
        var counts = new Dictionary<string, (int Held, int Sold)>();
        await using (var cmd = new NpgsqlCommand(RowLockSql.AvailabilityOrders, conn) { Parameters = { Uuid(eventId) } })
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct)) counts[r.GetString(0)] = (r.GetInt32(1), r.GetInt32(2));
        }
        var sections = ids.Select((id, i) =>
        {
            var (held, sold) = counts.GetValueOrDefault(id);
            return new SectionAvailability(id, capacity[i], available[i], held, sold);
        }).ToList();
        return Outcome<AvailabilityResponse>.Ok(new AvailabilityResponse(eventId, sections));
    }

    /// <summary>One sweep of overdue holds; returns how many (event, section) groups were released.</summary>
    public async Task<int> ExpireHoldsAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var released = new List<(Guid Event, string Section, int Quantity)>();
        await using (var cmd = new NpgsqlCommand(RowLockSql.ExpireHolds, conn, tx))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct)) released.Add((r.GetGuid(0), r.GetString(1), r.GetInt32(2)));
        }
        foreach (var (ev, section, q) in released)
        {
            await using var cmd = new NpgsqlCommand(RowLockSql.ReturnSeats, conn, tx) { Parameters = { Uuid(ev), Text(section), Int(q) } };
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        if (released.Count > 0) logger.LogInformation("expired holds released in {Groups} section(s)", released.Count);
        return released.Count;
    }

    private static HoldResponse? ReadOrder(NpgsqlDataReader r)
    {
        // id, section_id, first_seat, quantity, status, total, currency, expires_at
        var section = r.GetString(1);
        return new HoldResponse(r.GetGuid(0), r.GetString(4), Seats(section, r.GetInt32(2), r.GetInt32(3)),
            r.GetDecimal(5), r.GetString(6), r.GetFieldValue<DateTimeOffset>(7));
    }

    private static List<string> Seats(string section, int first, int quantity)
    {
        var seats = new List<string>(quantity);
        for (var i = 0; i < quantity; i++) seats.Add($"{section}-{first + i}");
        return seats;
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task TryRollbackAsync(NpgsqlConnection conn)
    {
        try
        {
            if (conn.State == System.Data.ConnectionState.Open) await ExecAsync(conn, RowLockSql.Rollback, CancellationToken.None);
        }
        catch (NpgsqlException) { }
    }

    private static NpgsqlBatchCommand Cmd(string sql, params NpgsqlParameter[] ps)
    {
        var c = new NpgsqlBatchCommand(sql);
        foreach (var p in ps) c.Parameters.Add(p);
        return c;
    }

    private static NpgsqlParameter Text(string? v) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)v ?? DBNull.Value };
    private static NpgsqlParameter Uuid(Guid v) => new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = v };
    private static NpgsqlParameter Int(int v) => new() { NpgsqlDbType = NpgsqlDbType.Integer, Value = v };
}

/// <summary>Two pools (a bulkhead): holds queue on the hot row lock, so they get their own small pool and
/// never starve pays and reads, which touch independent rows and can run in parallel.</summary>
public sealed record RowLockDataSources(NpgsqlDataSource Holds, NpgsqlDataSource Main) : IDisposable
{
    public void Dispose()
    {
        Holds.Dispose();
        Main.Dispose();
    }
}
