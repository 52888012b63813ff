using Orleans.Concurrency;
using TicketFlash.Abstractions.Tickets;

namespace TicketFlash.Abstractions.CheckIn;

/// <summary>
/// One ticket as an offline scanner must know it. The roster lists only tickets that left their first state: a ticket
/// whose authentic code is not listed is Active with serial 1 (codes are only ever signed for issued tickets).
/// <see cref="DeviceKey"/> is the fingerprint (first 16 bytes of SHA-256 of the 65-byte P-256 key) of the device bound
/// now: a device code naming another device is void. Null when no device is bound or the entry predates the binding; a
/// first binding is not reported (so a sale's first binding costs the roster nothing), a replacement always is, so a null
/// means at most one device was ever certified for this serial.
/// </summary>
[GenerateSerializer, Immutable, Alias("tf.RosterEntry")]
public sealed record RosterEntry(
    [property: Id(0)] Guid TicketId,
    [property: Id(1)] int Serial,
    [property: Id(2)] TicketStatus Status,
    [property: Id(3)] int Version,
    [property: Id(4)] byte[]? DeviceKey = null);

[GenerateSerializer, Immutable, Alias("tf.RosterChanges")]
public sealed record RosterChanges([property: Id(0)] IReadOnlyList<RosterEntry> Entries, [property: Id(1)] long Next);

/// <summary>Everything an offline scanner needs; no secret (keys are public, Ed25519 32 bytes).</summary>
[GenerateSerializer, Immutable, Alias("tf.OfflineBundle")]
public sealed record OfflineBundle(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] IReadOnlyList<TicketPublicKey> Keys,
    [property: Id(2)] DateTimeOffset CheckInOpens,
    [property: Id(3)] DateTimeOffset CheckInCloses,
    [property: Id(4)] IReadOnlyList<RosterEntry> Tickets,
    [property: Id(5)] long Since,
    [property: Id(6)] long Next,
    [property: Id(7)] DateTimeOffset GeneratedAt);

[GenerateSerializer, Immutable, Alias("tf.OfflineScan")]
public sealed record OfflineScan([property: Id(0)] string Code, [property: Id(1)] DateTimeOffset ScannedAt);

[GenerateSerializer, Immutable, Alias("tf.SyncedScanResult")]
public sealed record SyncedScanResult(
    [property: Id(0)] string Code,
    [property: Id(1)] DateTimeOffset ScannedAt,
    [property: Id(2)] CheckInResult Result,
    [property: Id(3)] Guid? TicketId,
    [property: Id(4)] bool Conflict,
    [property: Id(5)] string Detail);

/// <summary>The same ticket admitted twice, at least once by a scanner that was offline: the first scan won.</summary>
[GenerateSerializer, Immutable, Alias("tf.CheckInConflict")]
public sealed record CheckInConflict(
    [property: Id(0)] Guid TicketId,
    [property: Id(1)] string FirstGate,
    [property: Id(2)] DateTimeOffset FirstAt,
    [property: Id(3)] string SecondGate,
    [property: Id(4)] DateTimeOffset SecondAt,
    [property: Id(5)] string ReportedBy,
    [property: Id(6)] DateTimeOffset DetectedAt);

/// <summary>
/// One shard of an event's ticket serials and states (key: event id + <see cref="RosterShards.Of"/>), fed by each ticket
/// after its own write. Sharded so that a busy gate's writes stay small: every admission changes the roster.
/// </summary>
[Alias("tf.ICheckInRosterGrain")]
public interface ICheckInRosterGrain : IGrainWithGuidCompoundKey
{
    /// <summary>Idempotent: an entry older than (or as old as) the one held is ignored.</summary>
    [Alias("Upsert")]
    Task Upsert(RosterEntry entry);

    /// <summary>
    /// As <see cref="Upsert"/>, for admissions: applied at once and stored within a second, without the gate waiting
    /// for it. A crash can lose the last second's admissions from the roster (never from the tickets): an offline gate
    /// may then admit such a ticket again, and the sync reports it as a conflict.
    /// </summary>
    [OneWay, Alias("Note")]
    Task Note(RosterEntry entry);

    /// <summary>
    /// Entries changed after <paramref name="since"/> (0: all), and a stored watermark every later change of this shard
    /// will exceed; the lowest watermark of all shards is the token for the next call (a change may then come twice,
    /// which is harmless: entries are idempotent by version).
    /// </summary>
    [Alias("GetChanges")]
    Task<RosterChanges> GetChanges(long since);
}

public static class RosterShards
{
    public const int Count = 32;

    /// <summary>The shard of a ticket: stable, from the ticket id's first bytes (random per order).</summary>
    public static string Of(Guid ticketId)
    {
        Span<byte> bytes = stackalloc byte[16];
        ticketId.TryWriteBytes(bytes);
        return (BitConverter.ToUInt32(bytes) % Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public static IEnumerable<string> All => Enumerable.Range(0, Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

public static class OfflineLimits
{
    public const int MaxScansPerSync = 500;

    /// <summary>An offline scan dated further ahead of the server's clock than this is not believed.</summary>
    public static readonly TimeSpan MaxClockAhead = TimeSpan.FromMinutes(5);

    public static readonly string ScanCountMessage = $"a sync carries 1–{MaxScansPerSync} scans";

    public static bool IsScanCount(int count) => count is > 0 and <= MaxScansPerSync;
}
