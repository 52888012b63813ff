-- 0001: the table the Orleans ADO.NET providers (invariant "Npgsql") read their SQL from.
--
-- Applied by TicketFlash.Silo.Migrations.SchemaMigrator, one transaction per file, recorded in
-- tf_schema_migrations. Files must not contain BEGIN/COMMIT of their own.
--
-- The providers run `SELECT QueryKey, QueryText FROM OrleansQuery` with unquoted identifiers,
-- which PostgreSQL folds to lower case, so the table and its columns are lower case here.
-- Later files store their queries with INSERT ... ON CONFLICT DO UPDATE, so the query text in
-- this table always matches the newest applied file.
-- In query texts, @Name placeholders are bound by the provider through Npgsql.

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64) NOT NULL,
    querytext text        NOT NULL,
    CONSTRAINT pk_orleansquery PRIMARY KEY (querykey)
);
