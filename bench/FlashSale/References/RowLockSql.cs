namespace TicketFlash.Bench.FlashSale.References;

/// <summary>
/// The SQL of reference (b). Everything lives in its own schema (<see cref="Schema"/>), dropped and
/// recreated on every start, so pointing it at a database that holds other tables is harmless.
/// The hot row is the event's row: every hold locks it with one UPDATE … RETURNING.
/// The per-section GA counters are arrays on that same row, so a single UPDATE picks the section,
/// decrements both the event and the section, and hands out seat numbers atomically.
/// </summary>
public static class RowLockSql
{
    public const string Schema = "flashsale_rowlock";

    public const string CreateSchema = $"""
        DROP SCHEMA IF EXISTS {Schema} CASCADE;
        CREATE SCHEMA {Schema};
        SET search_path = {Schema};
        CREATE TABLE venues (
            id uuid PRIMARY KEY, tenant text NOT NULL, name text NOT NULL,
            section_ids text[] NOT NULL, section_capacity int[] NOT NULL);
        CREATE TABLE events (
            id uuid PRIMARY KEY, venue_id uuid NOT NULL REFERENCES venues(id), tenant text NOT NULL,
            name text NOT NULL, status text NOT NULL, starts_at timestamptz, ends_at timestamptz,
            per_customer_limit int NOT NULL, hold_minutes int NOT NULL, currency text NOT NULL,
            capacity int NOT NULL, available int NOT NULL,
            section_ids text[] NOT NULL, section_capacity int[] NOT NULL, section_price numeric(12,2)[] NOT NULL,
            section_available int[] NOT NULL, section_next int[] NOT NULL, last_pick int NOT NULL DEFAULT 0);
        CREATE TABLE customer_limits (
            event_id uuid NOT NULL, customer text NOT NULL, quantity int NOT NULL,
            PRIMARY KEY (event_id, customer));
        CREATE TABLE orders (
            id uuid PRIMARY KEY, event_id uuid NOT NULL, customer text NOT NULL, idempotency_key text NOT NULL,
            section_id text NOT NULL, first_seat int NOT NULL, quantity int NOT NULL, status text NOT NULL,
            total numeric(12,2) NOT NULL, currency text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL, confirmed_at timestamptz);
        CREATE UNIQUE INDEX orders_idempotency ON orders (customer, idempotency_key);
        CREATE INDEX orders_held_expiry ON orders (expires_at) WHERE status = 'Held';
        CREATE TABLE tickets (
            id uuid PRIMARY KEY, order_id uuid NOT NULL, event_id uuid NOT NULL, section_id text NOT NULL,
            seat_id text NOT NULL, owner text NOT NULL, status text NOT NULL, issued_at timestamptz NOT NULL DEFAULT now());
        CREATE INDEX tickets_order ON tickets (order_id);
        -- Index (1-based) of the section to hold n seats in: the named one if it has n left,
        -- else (no name) the section with the most seats left; NULL when none fits.
        CREATE FUNCTION tf_pick(ids text[], avail int[], want text, n int) RETURNS int
        LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
        DECLARE best int;
        BEGIN
            FOR i IN 1 .. coalesce(cardinality(avail), 0) LOOP
                IF want IS NOT NULL THEN
                    IF ids[i] = want THEN
                        IF avail[i] >= n THEN RETURN i; END IF;
                        RETURN NULL;
                    END IF;
                ELSIF avail[i] >= n AND (best IS NULL OR avail[i] > avail[best]) THEN
                    best := i;
                END IF;
            END LOOP;
            RETURN best;
        END $$;
        """;

    /// <summary>Round trip 1 of a hold (no hot lock): open the transaction, look for an idempotent
    /// replay, and lock this customer's per-event counter (serializes one customer's concurrent orders).</summary>
    public const string HoldBegin = "BEGIN";

    public const string FindByKey = """
        SELECT id, section_id, first_seat, quantity, status, total, currency, expires_at
        FROM orders WHERE customer = $1 AND idempotency_key = $2
        """;

    public const string EnsureCustomer = """
        INSERT INTO customer_limits (event_id, customer, quantity) VALUES ($1, $2, 0)
        ON CONFLICT (event_id, customer) DO NOTHING
        """;

    public const string LockCustomer = """
        SELECT c.quantity, e.per_customer_limit FROM customer_limits c JOIN events e ON e.id = c.event_id
        WHERE c.event_id = $1 AND c.customer = $2 FOR UPDATE OF c
        """;

    /// <summary>Round trip 2, sent together with COMMIT: the one statement that takes the hot row lock.
    /// $1 event, $2 quantity, $3 section or NULL, $4 order id, $5 customer, $6 idempotency key.</summary>
    public const string HoldHot = """
        WITH ev AS (
            UPDATE events SET
                available = available - $2,
                last_pick = tf_pick(section_ids, section_available, $3, $2),
                section_available[tf_pick(section_ids, section_available, $3, $2)]
                    = section_available[tf_pick(section_ids, section_available, $3, $2)] - $2,
                section_next[tf_pick(section_ids, section_available, $3, $2)]
                    = section_next[tf_pick(section_ids, section_available, $3, $2)] + $2
            WHERE id = $1 AND status = 'OnSale' AND available >= $2
              AND tf_pick(section_ids, section_available, $3, $2) IS NOT NULL
            RETURNING section_ids[last_pick] AS section_id, section_next[last_pick] - $2 AS first_seat,
                      section_price[last_pick] * $2 AS total, currency,
                      now() + make_interval(mins => hold_minutes) AS expires_at
        ), o AS (
            INSERT INTO orders (id, event_id, customer, idempotency_key, section_id, first_seat, quantity, status, total, currency, expires_at)
            SELECT $4, $1, $5, $6, section_id, first_seat, $2, 'Held', total, currency, expires_at FROM ev
            RETURNING section_id, first_seat, total, currency, expires_at
        ), c AS (
            UPDATE customer_limits SET quantity = quantity + $2
            WHERE event_id = $1 AND customer = $5 AND EXISTS (SELECT 1 FROM o)
        )
        SELECT section_id, first_seat, total, currency, expires_at FROM o
        """;

    public const string Commit = "COMMIT";
    public const string Rollback = "ROLLBACK";

    /// <summary>Why a hold found nothing (cold path, only after a refusal).</summary>
    public const string HoldRefusal = "SELECT status, available, section_ids FROM events WHERE id = $1";

    /// <summary>Pay: one statement, one implicit transaction. Confirms the hold and writes one tickets
    /// row per seat (TicketFlash persists one Ticket grain per seat at confirmation).</summary>
    public const string Pay = """
        WITH o AS (
            UPDATE orders SET status = 'Confirmed', confirmed_at = now()
            WHERE id = $1 AND customer = $2 AND status = 'Held' AND expires_at > now()
            RETURNING id, event_id, section_id, first_seat, quantity, customer
        ), t AS (
            INSERT INTO tickets (id, order_id, event_id, section_id, seat_id, owner, status)
            SELECT gen_random_uuid(), o.id, o.event_id, o.section_id, o.section_id || '-' || (o.first_seat + g), o.customer, 'Sold'
            FROM o CROSS JOIN LATERAL generate_series(0, o.quantity - 1) AS g
            RETURNING id, section_id, seat_id
        )
        SELECT id, section_id, seat_id FROM t
        """;

    public const string OrderForPay = "SELECT customer, status, expires_at > now() FROM orders WHERE id = $1";

    public const string TicketsOfOrder = "SELECT id, section_id, seat_id FROM tickets WHERE order_id = $1";

    public const string AvailabilityEvent = "SELECT section_ids, section_capacity, section_available FROM events WHERE id = $1";

    public const string AvailabilityOrders = """
        SELECT section_id,
               coalesce(sum(quantity) FILTER (WHERE status = 'Held'), 0)::int,
               coalesce(sum(quantity) FILTER (WHERE status = 'Confirmed'), 0)::int
        FROM orders WHERE event_id = $1 GROUP BY section_id
        """;

    /// <summary>Expiry sweeper (a peer's cron job): flips overdue holds and returns their seats and
    /// the customer's allowance, all in one transaction. Idle during a bench (holds last minutes).</summary>
    public const string ExpireHolds = """
        WITH x AS (
            UPDATE orders SET status = 'Expired' WHERE id IN (
                SELECT id FROM orders WHERE status = 'Held' AND expires_at < now() LIMIT 500 FOR UPDATE SKIP LOCKED)
            RETURNING event_id, section_id, quantity, customer
        ), per_section AS (
            SELECT event_id, section_id, sum(quantity)::int AS q FROM x GROUP BY 1, 2
        ), c AS (
            UPDATE customer_limits cl SET quantity = cl.quantity - y.q
            FROM (SELECT event_id, customer, sum(quantity)::int AS q FROM x GROUP BY 1, 2) y
            WHERE cl.event_id = y.event_id AND cl.customer = y.customer
        )
        SELECT event_id, section_id, q FROM per_section
        """;

    public const string ReturnSeats = """
        UPDATE events SET available = available + $3,
            section_available[array_position(section_ids, $2)] = section_available[array_position(section_ids, $2)] + $3
        WHERE id = $1
        """;

    public const string InsertVenue = "INSERT INTO venues (id, tenant, name, section_ids, section_capacity) VALUES ($1, $2, $3, $4, $5)";

    public const string VenueSections = "SELECT section_ids, section_capacity FROM venues WHERE id = $1";

    public const string InsertEvent = """
        INSERT INTO events (id, venue_id, tenant, name, status, starts_at, ends_at, per_customer_limit, hold_minutes, currency,
                            capacity, available, section_ids, section_capacity, section_price, section_available, section_next)
        VALUES ($1, $2, $3, $4, 'Draft', $5, $6, $7, $8, $9, $10, $10, $11, $12, $13, $12, array_fill(1, ARRAY[cardinality($11)]))
        """;

    public const string OpenSale = "UPDATE events SET status = 'OnSale' WHERE id = $1 AND status IN ('Draft', 'Paused', 'OnSale') RETURNING status";
}
