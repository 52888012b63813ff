using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketFlash.Abstractions.CheckIn;
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

/// <summary>Check-in without a network: the scanner's bundle, the upload of offline scans, and the conflicts they revealed.</summary>
public static class OfflineCheckInApi
{
    public static void MapOfflineCheckInApi(this IEndpointRouteBuilder app)
    {
        var gate = app.MapGroup("/api").WithTags("Check-in").WithDomainProblems().RequireAuthorization(AuthSetup.OrganizerPolicy);
        gate.MapGet("/events/{id:guid}/checkin/bundle", Bundle).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        gate.MapPost("/checkin/sync", Sync).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        gate.MapGet("/events/{id:guid}/checkin/conflicts", async Task<Ok<IReadOnlyList<CheckInConflict>>> (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await grains.Ref<ICheckInGrain>(id).GetConflicts(user.ToActor()))).ProducesProblem(403).ProducesProblem(404);
    }

    private static async Task<Results<Ok<BundleResponse>, ValidationProblem>> Bundle(Guid id, string? since, ClaimsPrincipal user, IGrainFactory grains)
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

    private static async Task<Results<Ok<SyncResponse>, ValidationProblem>> Sync(SyncRequest r, ClaimsPrincipal user, IGrainFactory grains)
    {
        var scans = r.Scans ?? [];
        var v = new Validator()
            .Check(r.EventId is not null && r.EventId != Guid.Empty, "eventId", "the event this scanner admits to is required")
            .Check(r.DeviceId is { Length: > 0 and <= 64 }, "deviceId", "deviceId is 1–64 characters")
            .Check(r.Gate is { Length: > 0 and <= 64 }, "gate", "gate is 1–64 characters")
            .Check(scans.Length is > 0 and <= OfflineLimits.MaxScansPerSync, "scans", $"1–{OfflineLimits.MaxScansPerSync} scans");
        foreach (var (scan, i) in scans.Select((s, i) => (s, i)))
        {
            v.Check(scan is { Code.Length: > 0 and <= 512 }, $"scans[{i}].code", "the scanned code (1–512 characters) is required")
             .Check(scan?.ScannedAt is not null, $"scans[{i}].scannedAt", "when the device scanned it (offline, the device's clock is all there is)");
        }
        if (!v.IsValid) return v.Problem();
        var results = await grains.Ref<ICheckInGrain>(r.EventId!.Value)
            .Sync(user.ToActor(), r.DeviceId!, r.Gate!, [.. scans.Select(s => new OfflineScan(s.Code!, s.ScannedAt!.Value))]);
        return TypedResults.Ok(new SyncResponse(results));
    }
}
