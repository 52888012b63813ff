-- 0003: Orleans grain storage (AddAdoNetGrainStorage, Invariant = "Npgsql").
--
-- What the provider sends to every query: @GrainIdHash, @GrainTypeHash (int), @GrainIdN0,
-- @GrainIdN1 (bigint; both 0 for string keys), @GrainTypeString, @GrainIdExtensionString (the
-- key extension, or the whole key for string-keyed grains; NULL when there is none), @ServiceId.
-- Write/clear/delete also get @GrainStateVersion (the grain's ETag as int; NULL for a grain with
-- no stored row) and write gets @PayloadBinary (bytea; whatever the configured
-- IGrainStorageSerializer produced, e.g. UTF-8 JSON). This provider version sends no other
-- payload column.
--
-- Optimistic concurrency: `version` is the ETag. Write, clear and delete return exactly one row
-- whose single column is the new version, or NULL when the caller's version is stale (or the row
-- is missing / already exists for a first write). The provider turns NULL into an
-- InconsistentStateException; nothing is overwritten.
-- A cleared row keeps its version with payload_binary NULL (read reports RecordExists = false).

CREATE TABLE IF NOT EXISTS orleans_storage
(
    grain_id_hash             integer      NOT NULL,
    grain_type_hash           integer      NOT NULL,
    grain_id_n0               bigint       NOT NULL,
    grain_id_n1               bigint       NOT NULL,
    grain_type_string         text         NOT NULL,
    grain_id_extension_string text         NULL,
    service_id                varchar(150) NOT NULL,
    payload_binary            bytea        NULL,
    version                   integer      NOT NULL,
    modified_at               timestamptz  NOT NULL DEFAULT now()
);

-- One row per grain. Leads with the two hashes the read/write/clear queries filter on, so it
-- also serves as the lookup index; the free-length strings enter it as md5 digests to keep index
-- entries small. NULLS NOT DISTINCT (PostgreSQL 15+): a NULL key extension is one value.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleans_storage_grain
    ON orleans_storage (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1, service_id,
                        md5(grain_type_string), md5(grain_id_extension_string))
    NULLS NOT DISTINCT;

-- For people, not for Orleans: the payload as text (the JSON written by the project's serializer).
CREATE OR REPLACE VIEW orleans_storage_text AS
SELECT service_id, grain_type_string, grain_id_n0, grain_id_n1, grain_id_extension_string,
       version, modified_at, convert_from(payload_binary, 'UTF8') AS payload_text
  FROM orleans_storage;

INSERT INTO orleansquery (querykey, querytext) VALUES

('ReadFromStorageKey', $sql$
SELECT s.payload_binary AS "PayloadBinary",
       s.version        AS "Version"
  FROM orleans_storage AS s
 WHERE s.grain_id_hash = @GrainIdHash
   AND s.grain_type_hash = @GrainTypeHash
   AND s.grain_id_n0 = @GrainIdN0
   AND s.grain_id_n1 = @GrainIdN1
   AND s.service_id = @ServiceId
   AND s.grain_type_string = @GrainTypeString
   AND s.grain_id_extension_string IS NOT DISTINCT FROM @GrainIdExtensionString;
$sql$),

-- First write (@GrainStateVersion NULL) inserts version 1; a later write must name the stored
-- version and bumps it. Exactly one row comes back: the new version, or NULL on conflict.
('WriteToStorageKey', $sql$
WITH updated AS (
    UPDATE orleans_storage AS s
       SET payload_binary = @PayloadBinary,
           version = s.version + 1,
           modified_at = now()
     WHERE @GrainStateVersion IS NOT NULL
       AND s.grain_id_hash = @GrainIdHash
       AND s.grain_type_hash = @GrainTypeHash
       AND s.grain_id_n0 = @GrainIdN0
       AND s.grain_id_n1 = @GrainIdN1
       AND s.service_id = @ServiceId
       AND s.grain_type_string = @GrainTypeString
       AND s.grain_id_extension_string IS NOT DISTINCT FROM @GrainIdExtensionString
       AND s.version = @GrainStateVersion
    RETURNING s.version
), inserted AS (
    INSERT INTO orleans_storage
           (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1, grain_type_string,
            grain_id_extension_string, service_id, payload_binary, version)
    SELECT @GrainIdHash, @GrainTypeHash, @GrainIdN0, @GrainIdN1, @GrainTypeString,
           @GrainIdExtensionString, @ServiceId, @PayloadBinary, 1
     WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version
)
SELECT (SELECT version FROM updated
        UNION ALL
        SELECT version FROM inserted
        LIMIT 1) AS "NewGrainStateVersion";
$sql$),

-- Clear (DeleteStateOnClear = false, the default): drop the payload, keep the row, bump version.
('ClearStorageKey', $sql$
WITH cleared AS (
    UPDATE orleans_storage AS s
       SET payload_binary = NULL,
           version = s.version + 1,
           modified_at = now()
     WHERE @GrainStateVersion IS NOT NULL
       AND s.grain_id_hash = @GrainIdHash
       AND s.grain_type_hash = @GrainTypeHash
       AND s.grain_id_n0 = @GrainIdN0
       AND s.grain_id_n1 = @GrainIdN1
       AND s.service_id = @ServiceId
       AND s.grain_type_string = @GrainTypeString
       AND s.grain_id_extension_string IS NOT DISTINCT FROM @GrainIdExtensionString
       AND s.version = @GrainStateVersion
    RETURNING s.version
)
SELECT (SELECT version FROM cleared) AS "NewGrainStateVersion";
$sql$),

-- Clear with DeleteStateOnClear = true: remove the row. The value returned only signals success
-- (the provider resets the ETag to null afterwards).
('DeleteStorageKey', $sql$
WITH deleted AS (
    DELETE FROM orleans_storage AS s
     WHERE @GrainStateVersion IS NOT NULL
       AND s.grain_id_hash = @GrainIdHash
       AND s.grain_type_hash = @GrainTypeHash
       AND s.grain_id_n0 = @GrainIdN0
       AND s.grain_id_n1 = @GrainIdN1
       AND s.service_id = @ServiceId
       AND s.grain_type_string = @GrainTypeString
       AND s.grain_id_extension_string IS NOT DISTINCT FROM @GrainIdExtensionString
       AND s.version = @GrainStateVersion
    RETURNING s.version
)
SELECT (SELECT version + 1 FROM deleted) AS "NewGrainStateVersion";
$sql$)

ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
