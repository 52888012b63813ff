using TicketFlash.Abstractions.Tickets;

namespace TicketFlash.Abstractions.CheckIn;

/// <summary>
/// One ticket as an offline scanner must know it. The roster lists only tickets that left their first state: a ticket
/// whose authentic code is not listed is Active with serial 1 (codes are only ever signed for issued tickets).
/// </summary>
[GenerateSerializer, Immutable, Alias("tf.RosterEntry")]
public sealed record RosterEntry(
    [property: Id(0)] Guid TicketId,
    [property: Id(1)] int Serial,
    [property: Id(2)] TicketStatus Status,
    [property: Id(3)] int Version);

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

/// <summary>Ticket serials and states of one event (keyed by event id), fed by each ticket after its own write.</summary>
[Alias("tf.ICheckInRosterGrain")]
public interface ICheckInRosterGrain : IGrainWithGuidKey
{
    /// <summary>Idempotent: an entry older than (or as old as) the one held is ignored.</summary>
    [Alias("Upsert")]
    Task Upsert(RosterEntry entry);

    /// <summary>Entries changed after <paramref name="since"/> (0: all), and the token for the next call.</summary>
    [Alias("GetChanges")]
    Task<RosterChanges> GetChanges(long since);
}

public static class OfflineLimits
{
    public const int MaxScansPerSync = 500;

    /// <summary>An offline scan dated further ahead of the server's clock than this is not believed.</summary>
    public static readonly TimeSpan MaxClockAhead = TimeSpan.FromMinutes(5);
}
