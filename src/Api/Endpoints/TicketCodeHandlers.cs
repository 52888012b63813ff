using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using QRCoder;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Api.Auth;
using TicketFlash.Api.Infrastructure;

namespace TicketFlash.Api.Endpoints;

public sealed record TicketCodeResponse(
    string Code, TicketCodeMode Mode, uint KeyId, DateTimeOffset ValidFrom, DateTimeOffset ValidTo, uint? Window, DateTimeOffset? RefreshAt);

/// <summary>A public key as scanners read it; <c>publicKey</c> is the raw 32-byte Ed25519 key in Base64.</summary>
public sealed record PublicKeyResponse(uint KeyId, string Algorithm, string PublicKey, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);

public sealed record EventKeysResponse(Guid EventId, uint CurrentKeyId, IReadOnlyList<PublicKeyResponse> Keys);

/// <summary>The fan's device key: standard Base64 of the 65-byte uncompressed P-256 point (0x04 || X || Y), as WebCrypto exports it raw.</summary>
public sealed record DeviceBindingRequest(string? PublicKey);

/// <summary>The certificate (Base64, 179 bytes) the device puts in every code, signing a new one every <c>stepSeconds</c>.</summary>
public sealed record DeviceBindingResponse(string Certificate, uint KeyId, DateTimeOffset ValidFrom, DateTimeOffset ValidTo, int StepSeconds, DateTimeOffset BoundAt);

/// <summary>
/// Ticket codes and their QR images, and the public keys scanners verify them with (mapped by <see cref="TicketsApi"/> and
/// <see cref="EventsApi"/>). The code string is signed in the silo (the private keys never leave it); this node only renders it.
/// </summary>
public static class TicketCodeHandlers
{
    internal static async Task<Results<Ok<TicketCodeResponse>, ValidationProblem>> GetCode(
        Guid id, string? mode, ClaimsPrincipal user, IGrainFactory grains, HttpContext http)
    {
        if (!TryMode(mode, out var parsed)) return ModeProblem();
        var signed = await grains.Ref<ITicketCodeIssuerGrain>(0).Issue(user.ToActor(), id, parsed);
        NoStore(http);
        var p = signed.Payload;
        DateTimeOffset? refreshAt = p.Window is { } w ? TicketCodeWindows.End(w) : null;
        return TypedResults.Ok(new TicketCodeResponse(signed.Code, p.Mode, p.KeyId, p.ValidFrom, p.ValidTo, p.Window, refreshAt));
    }

    internal static async Task<Results<FileContentHttpResult, ContentHttpResult, ValidationProblem>> GetQr(
        Guid id, string? format, string? mode, ClaimsPrincipal user, IGrainFactory grains, HttpContext http)
    {
        var svg = string.Equals(format, "svg", StringComparison.OrdinalIgnoreCase);
        if (!svg && format is not null && !string.Equals(format, "png", StringComparison.OrdinalIgnoreCase))
            return Problems.Invalid(new() { ["format"] = ["format is png or svg"] });
        if (!TryMode(mode, out var parsed)) return ModeProblem();
        var signed = await grains.Ref<ITicketCodeIssuerGrain>(0).Issue(user.ToActor(), id, parsed);
        NoStore(http);
        return svg
            ? TypedResults.Content(TicketQr.Svg(signed.Code), TicketQr.SvgContentType)
            : TypedResults.File(TicketQr.Png(signed.Code), "image/png");
    }

    /// <summary>The shape of the key is checked here; whether it is a point on the curve, and who may bind, the ticket decides.</summary>
    internal static async Task<Results<Ok<DeviceBindingResponse>, ValidationProblem>> BindDevice(
        Guid id, DeviceBindingRequest body, ClaimsPrincipal user, IGrainFactory grains, HttpContext http)
    {
        var key = new byte[DeviceKeyLength];
        var v = new Validator().Check(body.PublicKey is { Length: > 0 and <= 128 } && Convert.TryFromBase64String(body.PublicKey, key, out var written) && written == DeviceKeyLength,
            "publicKey", "standard Base64 of the 65-byte uncompressed P-256 public key (0x04 || X || Y)");
        if (!v.IsValid) return v.Problem();
        var binding = await grains.Ref<ITicketGrain>(id).BindDevice(user.ToActor(), key);
        NoStore(http);
        return TypedResults.Ok(new DeviceBindingResponse(Convert.ToBase64String(binding.Certificate), binding.KeyId, binding.ValidFrom, binding.ValidTo,
            binding.StepSeconds, binding.BoundAt));
    }

    internal static async Task<Ok<EventKeysResponse>> GetKeys(Guid id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var list = await grains.Ref<ITicketKeyGrain>(id).GetPublicKeys(user.ToActor());
        var current = list.LastOrDefault(k => k.RetiredAt is null)?.KeyId ?? 0;
        return TypedResults.Ok(new EventKeysResponse(id, current, [.. list.Select(Describe)]));
    }

    internal static async Task<Ok<PublicKeyResponse>> Rotate(Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(Describe(await grains.Ref<ITicketKeyGrain>(id).Rotate(user.ToActor())));

    internal static PublicKeyResponse Describe(TicketPublicKey k) =>
        new(k.KeyId, k.Algorithm, Convert.ToBase64String(k.PublicKey), k.CreatedAt, k.RetiredAt);

    private static bool TryMode(string? text, out TicketCodeMode mode)
    {
        mode = TicketCodeMode.Static;
        if (text is null || string.Equals(text, "static", StringComparison.OrdinalIgnoreCase)) return true;
        mode = TicketCodeMode.Rotating;
        return string.Equals(text, "rotating", StringComparison.OrdinalIgnoreCase);
    }

    private const int DeviceKeyLength = 65;

    private static ValidationProblem ModeProblem() => Problems.Invalid(new() { ["mode"] = ["mode is static or rotating"] });

    /// <summary>A code admits its holder: no shared cache may keep it, and a rotating one is stale within a minute anyway.</summary>
    private static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-store, private";
}

/// <summary>QR rendering of ticket codes: ECC level M, alphanumeric mode (Base45 codes), with the quiet zone scanners need.</summary>
public static class TicketQr
{
    public const QRCodeGenerator.ECCLevel Level = QRCodeGenerator.ECCLevel.M;
    public const string SvgContentType = "image/svg+xml";
    public const int PixelsPerModule = 8;

    public static QRCodeData Encode(string code) => QRCodeGenerator.GenerateQrCode(code, Level);

    public static byte[] Png(string code, int pixelsPerModule = PixelsPerModule)
    {
        using var data = Encode(code);
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(pixelsPerModule);
    }

    public static string Svg(string code, int pixelsPerModule = PixelsPerModule)
    {
        using var data = Encode(code);
        using var svg = new SvgQRCode(data);
        return svg.GetGraphic(pixelsPerModule);
    }
}
