using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using NSec.Cryptography;
using TicketFlash.Abstractions.Tickets;

namespace TicketFlash.Grains.Tickets.Codes;

/// <summary>
/// The ticket code: a fixed binary layout, an Ed25519 signature over it, Base45 text. Scanners in any language can
/// implement it from this table (all integers big-endian, ids in RFC 4122 byte order, times in unix seconds):
/// <code>
///  offset size  field
///       0    1  version (1)
///       1    1  mode (0 static, 1 rotating, 2 device: see DeviceCertificate)
///       2    4  key id (uint32), scoped to the event
///       6   16  event id
///      22   16  ticket id
///      38    4  serial (uint32; a transfer or resale bumps it, revoking older codes)
///      42    4  validFrom (uint32 unix seconds)
///      46    4  validTo (uint32 unix seconds, inclusive)
///      50    4  rotating only: time-window number (unix seconds / 30, see TicketCodeWindows)
///  50|54   64  Ed25519 signature over every byte before it
/// </code>
/// Static: 114 bytes → 171 Base45 characters; rotating: 118 bytes → 177 (QR version 7 at level M holds 178).
/// Both byte counts are even, so a code never ends in a space (the last character of a pair is at most index 32), and
/// the first character is fixed by version and mode ('V' or 'W'): no trimming on the way can damage a code.
/// Device codes (mode 2, 371 characters starting 'X') share the first 50 bytes; <see cref="DeviceCertificate"/> has their
/// layout. <see cref="Verify"/> judges all three kinds.
/// </summary>
public static class TicketCode
{
    public const byte CurrentVersion = 1;
    public const string Algorithm = "Ed25519";
    public const int SignatureLength = 64;
    public const int StaticBodyLength = 50;
    public const int RotatingBodyLength = StaticBodyLength + 4;

    public static readonly TimeSpan WindowLength = TimeSpan.FromSeconds(TicketCodeWindows.Seconds);

    /// <summary>How far ahead of the scanner's clock a rotating code's window may be: the issuer's clock may run ahead a little.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(5);

    public static int MaxLength { get; } = Base45.EncodedLength(DeviceCertificate.CodeLength);

    public static int MinLength { get; } = Base45.EncodedLength(StaticBodyLength + SignatureLength);

    private static SignatureAlgorithm Ed25519 => SignatureAlgorithm.Ed25519;

    /// <summary>The number of the rotating-code time window that contains <paramref name="at"/>.</summary>
    public static uint WindowAt(DateTimeOffset at) => ToUnixSeconds(at) / (uint)TicketCodeWindows.Seconds;

    public static DateTimeOffset WindowStart(uint window) => DateTimeOffset.FromUnixTimeSeconds(window * (long)TicketCodeWindows.Seconds);

    /// <summary>Signs <paramref name="payload"/>; the returned payload is what the code actually says (whole seconds).</summary>
    /// <exception cref="ArgumentException">A field does not fit the layout (times before 1970 or after 2106, a window on a static code).</exception>
    public static SignedTicketCode Sign(TicketCodePayload payload, Key key)
    {
        var length = BodyLength(payload.Mode);
        Span<byte> buffer = stackalloc byte[length + SignatureLength];
        Write(payload, buffer[..length]);
        Ed25519.Sign(key, buffer[..length], buffer[length..]);
        return new SignedTicketCode(Base45.Encode(buffer), Read(buffer[..length]));
    }

    /// <summary>Reads a code's layout without checking its signature. Never throws; false for anything but a well-formed code.</summary>
    public static bool TryParse(string? code, [NotNullWhen(true)] out TicketCodePayload? payload)
    {
        payload = null;
        if (code is null || code.Length < MinLength || code.Length > MaxLength) return false; // bounds work before decoding anything
        Span<byte> buffer = stackalloc byte[DeviceCertificate.CodeLength];
        if (!TryDecode(code, buffer, out var parts)) return false;
        payload = parts.Payload();
        return true;
    }

    /// <summary>
    /// Parses, finds the key, checks the signature (device codes: then the device's signature), then the validity window
    /// and the time window (rotating codes) or step (device codes), in that order: a code is only judged on its times once
    /// it is known to be authentic. Never throws on any input. <paramref name="clockSkew"/> applies to rotating codes; a
    /// device code's step must be within one of the scanner's step at <paramref name="now"/>, either way.
    /// </summary>
    public static TicketCodeCheck Verify(string? code, ITicketKeyResolver keys, DateTimeOffset now, TimeSpan? clockSkew = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (code is null || code.Length < MinLength || code.Length > MaxLength) return new(TicketCodeVerdict.Malformed, null);
        Span<byte> buffer = stackalloc byte[DeviceCertificate.CodeLength];
        if (!TryDecode(code, buffer, out var parts)) return new(TicketCodeVerdict.Malformed, null);
        var payload = parts.Payload();

        var key = keys.Find(payload.EventId, payload.KeyId);
        if (key is null) return new(TicketCodeVerdict.UnknownKey, payload);
        if (!Ed25519.Verify(key, parts.Body, parts.Signature)) return new(TicketCodeVerdict.BadSignature, payload);
        if (payload.Mode == TicketCodeMode.Device
            && DeviceCertificate.TrySplit(parts.Code, out var certificate, out var signedStep, out var deviceSignature)
            && !DeviceCertificate.VerifyDeviceSignature(certificate, signedStep, deviceSignature))
            return new(TicketCodeVerdict.BadDeviceSignature, payload);

        if (now < payload.ValidFrom) return new(TicketCodeVerdict.NotYetValid, payload);
        if (now > payload.ValidTo) return new(TicketCodeVerdict.Expired, payload);
        if (payload.Window is { } window)
        {
            // Valid in its own window and the next one (from the code's view: the scanner's "current and previous").
            var current = WindowAt(now);
            if ((long)window + 1 < current) return new(TicketCodeVerdict.StaleWindow, payload);
            if (window > WindowAt(now + (clockSkew ?? DefaultClockSkew))) return new(TicketCodeVerdict.NotYetValid, payload);
        }
        if (payload.Step is { } step)
        {
            // The scanner's step and one on either side: the device's and the scanner's clocks may differ by a few seconds.
            var current = DeviceCertificate.StepAt(now);
            if ((long)step + 1 < current) return new(TicketCodeVerdict.StaleWindow, payload);
            if (step > (long)current + 1) return new(TicketCodeVerdict.NotYetValid, payload);
        }
        return new(TicketCodeVerdict.Valid, payload);
    }

    private static int BodyLength(TicketCodeMode mode) => mode switch
    {
        TicketCodeMode.Static => StaticBodyLength,
        TicketCodeMode.Rotating => RotatingBodyLength,
        TicketCodeMode.Device => throw new ArgumentException("The fan's device signs a device code; the event signs only its certificate (DeviceCertificate.Sign).", nameof(mode)),
        _ => throw new ArgumentException($"Unknown code mode {mode}.", nameof(mode)),
    };

    /// <summary>A decoded code: the event-signed body and its signature, and for device codes the whole code after them.</summary>
    private readonly ref struct CodeParts(ReadOnlySpan<byte> code, int bodyLength)
    {
        public ReadOnlySpan<byte> Code { get; } = code;

        public ReadOnlySpan<byte> Body { get; } = code[..bodyLength];

        public ReadOnlySpan<byte> Signature { get; } = code.Slice(bodyLength, SignatureLength);

        public TicketCodePayload Payload() =>
            Code[1] == (byte)TicketCodeMode.Device && DeviceCertificate.TrySplit(Code, out var certificate, out var step, out _)
                ? DeviceCertificate.Read(certificate, step)
                : Read(Body);
    }

    /// <summary>Decodes and checks the framing: Base45, total length, version, and a mode that matches the length.</summary>
    private static bool TryDecode(string code, Span<byte> buffer, out CodeParts parts)
    {
        parts = default;
        if (!Base45.TryDecode(code, buffer, out var written)) return false;
        var bytes = buffer[..written];
        if (bytes.Length < StaticBodyLength + SignatureLength || bytes[0] != CurrentVersion) return false;
        var (bodyLength, total) = bytes[1] switch
        {
            (byte)TicketCodeMode.Static => (StaticBodyLength, StaticBodyLength + SignatureLength),
            (byte)TicketCodeMode.Rotating => (RotatingBodyLength, RotatingBodyLength + SignatureLength),
            (byte)TicketCodeMode.Device => (DeviceCertificate.BodyLength, DeviceCertificate.CodeLength),
            _ => (-1, -1),
        };
        if (bodyLength < 0 || bytes.Length != total) return false;
        parts = new CodeParts(bytes, bodyLength);
        return true;
    }

    /// <summary>The first 50 bytes, common to every kind of code.</summary>
    internal static void WriteHeader(TicketCodePayload p, Span<byte> header)
    {
        header[0] = p.Version;
        header[1] = (byte)p.Mode;
        BinaryPrimitives.WriteUInt32BigEndian(header[2..], p.KeyId);
        p.EventId.TryWriteBytes(header.Slice(6, 16), bigEndian: true, out _);
        p.TicketId.TryWriteBytes(header.Slice(22, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteUInt32BigEndian(header[38..], p.Serial);
        BinaryPrimitives.WriteUInt32BigEndian(header[42..], ToUnixSeconds(p.ValidFrom));
        BinaryPrimitives.WriteUInt32BigEndian(header[46..], ToUnixSeconds(p.ValidTo));
    }

    private static void Write(TicketCodePayload p, Span<byte> body)
    {
        if (p.Mode == TicketCodeMode.Static && p.Window is not null) throw new ArgumentException("A static code has no time window.", nameof(p));
        if (p.Mode == TicketCodeMode.Rotating && p.Window is null) throw new ArgumentException("A rotating code needs its time window.", nameof(p));
        WriteHeader(p, body[..StaticBodyLength]);
        if (p.Window is { } window) BinaryPrimitives.WriteUInt32BigEndian(body[StaticBodyLength..], window);
    }

    internal static TicketCodePayload ReadHeader(ReadOnlySpan<byte> header) => Read(header[..StaticBodyLength]);

    private static TicketCodePayload Read(ReadOnlySpan<byte> body) => new(
        Version: body[0],
        Mode: (TicketCodeMode)body[1],
        KeyId: BinaryPrimitives.ReadUInt32BigEndian(body[2..]),
        EventId: new Guid(body.Slice(6, 16), bigEndian: true),
        TicketId: new Guid(body.Slice(22, 16), bigEndian: true),
        Serial: BinaryPrimitives.ReadUInt32BigEndian(body[38..]),
        ValidFrom: DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32BigEndian(body[42..])),
        ValidTo: DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32BigEndian(body[46..])),
        Window: body.Length == RotatingBodyLength ? BinaryPrimitives.ReadUInt32BigEndian(body[50..]) : null);

    private static uint ToUnixSeconds(DateTimeOffset at)
    {
        var seconds = at.ToUnixTimeSeconds();
        if (seconds is < 0 or > uint.MaxValue) throw new ArgumentException($"{at:O} is outside the code's time range (1970–2106).", nameof(at));
        return (uint)seconds;
    }
}
