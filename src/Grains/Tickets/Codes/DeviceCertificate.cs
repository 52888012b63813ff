using System.Buffers.Binary;
using System.Security.Cryptography;
using NSec.Cryptography;
using TicketFlash.Abstractions.Tickets;

namespace TicketFlash.Grains.Tickets.Codes;

/// <summary>
/// The event's certificate of a fan's device key, and the device code built on it. Browser apps and scanners implement
/// this table (all integers big-endian, ids in RFC 4122 byte order, times in unix seconds):
/// <code>
/// certificate (179 bytes)
///  offset size  field
///       0    1  version (1)
///       1    1  mode (2 = device)
///       2    4  key id (uint32), scoped to the event
///       6   16  event id
///      22   16  ticket id
///      38    4  serial (uint32; a transfer or resale bumps it, voiding the certificate)
///      42    4  validFrom (uint32 unix seconds): the event's check-in window start
///      46    4  validTo (uint32 unix seconds, inclusive): the check-in window end
///      50   65  device public key, uncompressed P-256 (0x04 || X || Y)
///     115   64  Ed25519 signature (the event's key) over bytes 0..114
///
/// device code = Base45( certificate (179) || step (uint32) || device signature (64) ) = 247 bytes → 371 characters
///   step             = floor(unix seconds / 15)
///   device signature = ECDSA P-256 with SHA-256, r || s (IEEE P1363, as WebCrypto signs), over the 36 bytes
///                      SHA-256(certificate) || step
/// </code>
/// 371 characters fit QR version 12 at level M. The first character is 'X' (version 1, mode 2); 247 is odd, so the last
/// two characters encode one byte and the last is a digit: no trimming on the way can damage a code.
/// </summary>
public static class DeviceCertificate
{
    public const int DeviceKeyOffset = TicketCode.StaticBodyLength;
    public const int DeviceKeyLength = 65;
    public const int BodyLength = DeviceKeyOffset + DeviceKeyLength;
    public const int Length = BodyLength + TicketCode.SignatureLength;
    public const int StepLength = 4;
    public const int DeviceSignatureLength = 64;
    public const int CodeLength = Length + StepLength + DeviceSignatureLength;
    public const int FingerprintLength = 16;

    /// <summary>SHA-256 of the certificate, then the step: what the device signs.</summary>
    public const int SignedMessageLength = 32 + StepLength;

    private const byte UncompressedPoint = 0x04;

    public static readonly TimeSpan StepLengthTime = TimeSpan.FromSeconds(DeviceCodeSteps.Seconds);

    /// <summary>The step that contains <paramref name="at"/>.</summary>
    public static uint StepAt(DateTimeOffset at) => (uint)(at.ToUnixTimeSeconds() / DeviceCodeSteps.Seconds);

    public static DateTimeOffset StepStart(uint step) => DateTimeOffset.FromUnixTimeSeconds(step * (long)DeviceCodeSteps.Seconds);

    /// <summary>
    /// True for a 65-byte uncompressed point on P-256. The import is the check: .NET (OpenSSL) refuses a point that is not
    /// on the curve, so a key a browser could never have made is refused before anything is signed for it.
    /// </summary>
    public static bool IsValidDeviceKey(ReadOnlySpan<byte> key)
    {
        using var imported = TryImport(key);
        return imported is not null;
    }

    /// <summary>The public half of a device key, or null when it is not a P-256 point.</summary>
    public static ECDsa? TryImport(ReadOnlySpan<byte> key)
    {
        if (key.Length != DeviceKeyLength || key[0] != UncompressedPoint) return null;
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = key.Slice(1, 32).ToArray(), Y = key.Slice(33, 32).ToArray() },
        };
        try
        {
            return ECDsa.Create(parameters);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>How the roster names a device: the first 16 bytes of SHA-256 of its 65-byte key.</summary>
    public static byte[] Fingerprint(ReadOnlySpan<byte> deviceKey) => SHA256.HashData(deviceKey)[..FingerprintLength];

    /// <summary>Signs a certificate for <paramref name="payload"/> (mode Device, with its device key) with the event's key.</summary>
    /// <exception cref="ArgumentException">Not a device payload, a key that is not a P-256 point, or times outside 1970–2106.</exception>
    public static SignedDeviceCertificate Sign(TicketCodePayload payload, Key key)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Mode != TicketCodeMode.Device || payload.Window is not null) throw new ArgumentException("A certificate is for a device code, without a window.", nameof(payload));
        if (payload.DeviceKey is not { } deviceKey || !IsValidDeviceKey(deviceKey))
            throw new ArgumentException("The device key is not an uncompressed P-256 point (65 bytes: 0x04 || X || Y) on the curve.", nameof(payload));
        var certificate = new byte[Length];
        TicketCode.WriteHeader(payload, certificate.AsSpan(0, DeviceKeyOffset));
        deviceKey.CopyTo(certificate.AsSpan(DeviceKeyOffset));
        SignatureAlgorithm.Ed25519.Sign(key, certificate.AsSpan(0, BodyLength), certificate.AsSpan(BodyLength));
        return new SignedDeviceCertificate(certificate, Read(certificate, step: null));
    }

    /// <summary>
    /// What the fan's device does every step (the browser with WebCrypto; tests and benchmarks with this): certificate,
    /// step and the device's signature, Base45.
    /// </summary>
    public static string CreateCode(ReadOnlySpan<byte> certificate, uint step, ECDsa device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (certificate.Length != Length) throw new ArgumentException($"A certificate is {Length} bytes.", nameof(certificate));
        Span<byte> code = stackalloc byte[CodeLength];
        certificate.CopyTo(code);
        BinaryPrimitives.WriteUInt32BigEndian(code[Length..], step);
        Span<byte> message = stackalloc byte[SignedMessageLength];
        WriteSignedMessage(certificate, step, message);
        if (!device.TrySignData(message, code[(Length + StepLength)..], HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation, out var written)
            || written != DeviceSignatureLength)
            throw new ArgumentException("The device key is not a P-256 key.", nameof(device));
        return Base45.Encode(code);
    }

    /// <summary>Splits a decoded device code; false unless it is exactly certificate, step and device signature.</summary>
    public static bool TrySplit(ReadOnlySpan<byte> code, out ReadOnlySpan<byte> certificate, out uint step, out ReadOnlySpan<byte> deviceSignature)
    {
        certificate = deviceSignature = default;
        step = 0;
        if (code.Length != CodeLength) return false;
        certificate = code[..Length];
        step = BinaryPrimitives.ReadUInt32BigEndian(code[Length..]);
        deviceSignature = code[(Length + StepLength)..];
        return true;
    }

    /// <summary>Checks the device's signature of (certificate, step) with the key the certificate names. Never throws.</summary>
    public static bool VerifyDeviceSignature(ReadOnlySpan<byte> certificate, uint step, ReadOnlySpan<byte> deviceSignature)
    {
        if (certificate.Length != Length || deviceSignature.Length != DeviceSignatureLength) return false;
        using var device = TryImport(certificate.Slice(DeviceKeyOffset, DeviceKeyLength));
        if (device is null) return false;
        Span<byte> message = stackalloc byte[SignedMessageLength];
        WriteSignedMessage(certificate, step, message);
        return device.VerifyData(message, deviceSignature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>Reads a certificate's fields (the body: header and device key) without checking anything.</summary>
    public static TicketCodePayload Read(ReadOnlySpan<byte> certificate, uint? step) =>
        TicketCode.ReadHeader(certificate[..DeviceKeyOffset]) with
        {
            DeviceKey = certificate.Slice(DeviceKeyOffset, DeviceKeyLength).ToArray(),
            Step = step,
        };

    private static void WriteSignedMessage(ReadOnlySpan<byte> certificate, uint step, Span<byte> message)
    {
        SHA256.HashData(certificate, message[..32]);
        BinaryPrimitives.WriteUInt32BigEndian(message[32..], step);
    }
}
