using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketFlash.Abstractions.CheckIn;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Api.Auth;
using TicketFlash.Api.Infrastructure;

namespace TicketFlash.Api.Endpoints;

/// <summary>
/// <c>deviceKey</c>, when the roster knows the device bound now (always once the holder replaced a device): Base64 of the
/// first 16 bytes of SHA-256 of its 65-byte key; a device code whose certificate names another device is void.
/// </summary>
public sealed record RosterEntryResponse(
    Guid TicketId, int Serial, TicketStatus Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DeviceKey = null);

/// <summary>
/// An offline scanner's download. Tickets not listed are Active with serial 1 (<c>unlistedTickets</c>); keys are public
/// Ed25519 keys (Base64, 32 bytes); pass <c>nextToken</c> as <c>since</c> next time to get only what changed.
/// </summary>
public sealed record BundleResponse(
    Guid EventId, DateTimeOffset CheckInOpens, DateTimeOffset CheckInCloses, IReadOnlyList<PublicKeyResponse> Keys,
    IReadOnlyList<RosterEntryResponse> Tickets, string UnlistedTickets, string Since, string NextToken, DateTimeOffset GeneratedAt);

public sealed record OfflineScanRequest(string? Code, DateTimeOffset? ScannedAt);

public sealed record SyncRequest(Guid? EventId, string? DeviceId, string? Gate, OfflineScanRequest[]? Scans);

public sealed record SyncResponse(IReadOnlyList<SyncedScanResult> Results);

/// <summary>An online scan. No client time: the server's clock decides online (a scanner's clock is trusted only for offline scans, see sync).</summary>
public sealed record CheckInRequest(Guid? EventId, string? Code, string? Gate, string? DeviceId);

/// <summary>
/// The gate's handlers: online scans, counts, and check-in without a network (the scanner's bundle, the upload of offline
/// scans, the conflicts they revealed). Mapped by <see cref="CheckInApi"/> and <see cref="EventsApi"/>; the check-in grain
/// decides who may scan (the event's venue staff, organizers, admins).
/// </summary>
public static class CheckInHandlers
{
    internal static async Task<Results<Ok<CheckInOutcome>, ValidationProblem>> CheckIn(CheckInRequest r, ClaimsPrincipal user, IGrainFactory grains)
    {
        var v = new Validator()
            .Check(r.EventId is not null && r.EventId != Guid.Empty, "eventId", "the event this gate admits to is required")
            .Check(CheckInRules.IsCode(r.Code), "code", CheckInRules.CodeMessage)
            .Check(CheckInRules.IsGate(r.Gate), "gate", CheckInRules.GateMessage)
            .Check(CheckInRules.IsDeviceId(r.DeviceId), "deviceId", CheckInRules.DeviceIdMessage);
        if (!v.IsValid) return v.Problem();
        return TypedResults.Ok(await grains.Ref<ICheckInGrain>(r.EventId!.Value).Scan(user.ToActor(), r.Code!, r.Gate!, r.DeviceId!, scannedAt: null));
    }

    internal static async Task<Ok<CheckInStats>> Stats(Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.Ref<ICheckInGrain>(id).GetStats(user.ToActor()));

    internal static async Task<Ok<IReadOnlyList<CheckInConflict>>> Conflicts(Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.Ref<ICheckInGrain>(id).GetConflicts(user.ToActor()));

    internal static async Task<Results<Ok<BundleResponse>, ValidationProblem>> Bundle(Guid id, string? since, ClaimsPrincipal user, IGrainFactory grains)
    {
        long token = 0;
        var v = new Validator().Check(since is null || (long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out token) && token >= 0),
            "since", "since is the nextToken of an earlier bundle (or absent for everything)");
        if (!v.IsValid) return v.Problem();
        var b = await grains.Ref<ICheckInGrain>(id).GetBundle(user.ToActor(), token);
        return TypedResults.Ok(new BundleResponse(b.EventId, b.CheckInOpens, b.CheckInCloses,
            [.. b.Keys.Select(k => new PublicKeyResponse(k.KeyId, k.Algorithm, Convert.ToBase64String(k.PublicKey), k.CreatedAt, k.RetiredAt))],
            [.. b.Tickets.Select(t => new RosterEntryResponse(t.TicketId, t.Serial, t.Status, t.DeviceKey is { } d ? Convert.ToBase64String(d) : null))],
            "Active, serial 1", b.Since.ToString(CultureInfo.InvariantCulture), b.Next.ToString(CultureInfo.InvariantCulture), b.GeneratedAt));
    }

    internal static async Task<Results<Ok<SyncResponse>, ValidationProblem>> Sync(SyncRequest r, ClaimsPrincipal user, IGrainFactory grains)
    {
        var scans = r.Scans ?? [];
        var v = new Validator()
            .Check(r.EventId is not null && r.EventId != Guid.Empty, "eventId", "the event this scanner admits to is required")
            .Check(CheckInRules.IsDeviceId(r.DeviceId), "deviceId", CheckInRules.DeviceIdMessage)
            .Check(CheckInRules.IsGate(r.Gate), "gate", CheckInRules.GateMessage)
            .Check(OfflineLimits.IsScanCount(scans.Length), "scans", OfflineLimits.ScanCountMessage);
        foreach (var (scan, i) in scans.Select((s, i) => (s, i)))
        {
            v.Check(CheckInRules.IsCode(scan?.Code), $"scans[{i}].code", CheckInRules.CodeMessage)
             .Check(scan?.ScannedAt is not null, $"scans[{i}].scannedAt", "when the device scanned it (offline, the device's clock is all there is)");
        }
        if (!v.IsValid) return v.Problem();
        var results = await grains.Ref<ICheckInGrain>(r.EventId!.Value)
            .Sync(user.ToActor(), r.DeviceId!, r.Gate!, [.. scans.Select(s => new OfflineScan(s.Code!, s.ScannedAt!.Value))]);
        return TypedResults.Ok(new SyncResponse(results));
    }
}
