using System.Buffers.Binary;
using System.Security.Cryptography;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Api.Endpoints;
using TicketFlash.Grains.Tickets.Codes;
using TicketFlash.Tickets.Tests.Infrastructure;

namespace TicketFlash.Tickets.Tests.Codes;

/// <summary>Device codes (certificate + step + the device's signature) and their verification, with local keys: no cluster.</summary>
public sealed class DeviceCodeTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly TestKey _key = new();
    private readonly TestDevice _device = new();

    public void Dispose()
    {
        _key.Dispose();
        _device.Dispose();
    }

    [Fact]
    public void A_device_code_verifies_and_says_what_was_certified_and_when()
    {
        var certificate = _key.Certify(_device);
        var code = _device.Code(certificate.Certificate, Now);

        var check = TicketCode.Verify(code, _key.Ring(), Now);

        Assert.Equal(TicketCodeVerdict.Valid, check.Verdict);
        Assert.Equal((371, 'X'), (code.Length, code[0]));
        Assert.All(code, c => Assert.Contains(c, Base45.Alphabet));
        var p = check.Payload!;
        var c = certificate.Payload;
        Assert.Equal((TicketCodeMode.Device, c.KeyId, c.EventId, c.TicketId, c.Serial, c.ValidFrom, c.ValidTo, (uint?)null),
            (p.Mode, p.KeyId, p.EventId, p.TicketId, p.Serial, p.ValidFrom, p.ValidTo, p.Window));
        Assert.Equal(_device.PublicKey, p.DeviceKey);
        Assert.Equal(DeviceCertificate.StepAt(Now), p.Step);
        Assert.True(TicketCode.TryParse(code, out var parsed));
        Assert.Equal(_device.PublicKey, parsed.DeviceKey);
    }

    [Fact]
    public void The_certificate_and_code_layout_is_the_documented_one()
    {
        var eventId = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        using var key = new TestKey(eventId, keyId: 0x01020304);
        var payload = new TicketCodePayload(1, TicketCodeMode.Device, 0x01020304, eventId, Guid.Parse("ffeeddcc-bbaa-9988-7766-554433221100"),
            0x0A0B0C0D, DateTimeOffset.FromUnixTimeSeconds(0x11223344), DateTimeOffset.FromUnixTimeSeconds(0x55667788), null, _device.PublicKey);

        var certificate = DeviceCertificate.Sign(payload, key.Key).Certificate;
        Assert.True(Base45.TryDecode(_device.Code(certificate, step: 0x99AABBCC), out var code));

        Assert.Equal(179, certificate.Length);
        Assert.Equal(Convert.FromHexString(
            "0102" + "01020304" + "00112233445566778899AABBCCDDEEFF" + "FFEEDDCCBBAA99887766554433221100" +
            "0A0B0C0D" + "11223344" + "55667788"), certificate[..50]);
        Assert.Equal(_device.PublicKey, certificate[50..115]);
        Assert.True(NSec.Cryptography.SignatureAlgorithm.Ed25519.Verify(key.Key.PublicKey, certificate.AsSpan(0, 115), certificate.AsSpan(115)));
        Assert.Equal(247, code.Length);
        Assert.Equal(certificate, code[..179]);
        Assert.Equal(0x99AABBCCu, BinaryPrimitives.ReadUInt32BigEndian(code.AsSpan(179)));
        byte[] message = [.. SHA256.HashData(certificate), 0x99, 0xAA, 0xBB, 0xCC];
        Assert.True(_device.Key.VerifyData(message, code.AsSpan(183), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public void A_code_signed_by_another_device_key_is_BadDeviceSignature()
    {
        var certificate = _key.Certify(_device).Certificate;
        using var thief = new TestDevice();

        var copied = thief.Code(certificate, Now);

        Assert.Equal(TicketCodeVerdict.BadDeviceSignature, TicketCode.Verify(copied, _key.Ring(), Now).Verdict);
        Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(_device.Code(certificate, Now), _key.Ring(), Now).Verdict);
    }

    [Fact]
    public void A_step_within_one_of_the_scanner_s_passes_and_further_off_is_refused_both_ways()
    {
        var certificate = _key.Certify(_device).Certificate;
        var scanner = DeviceCertificate.StepAt(Now);
        var ring = _key.Ring();

        TicketCodeVerdict At(long offset) => TicketCode.Verify(_device.Code(certificate, step: (uint)(scanner + offset)), ring, Now).Verdict;

        Assert.Equal(TicketCodeVerdict.Valid, At(0));
        Assert.Equal(TicketCodeVerdict.Valid, At(-1));
        Assert.Equal(TicketCodeVerdict.Valid, At(+1));
        Assert.Equal(TicketCodeVerdict.StaleWindow, At(-2)); // a screenshot half a minute old
        Assert.Equal(TicketCodeVerdict.StaleWindow, At(-1000));
        Assert.Equal(TicketCodeVerdict.NotYetValid, At(+2)); // made ahead of time
        Assert.Equal(TicketCodeVerdict.NotYetValid, At(+1000));
    }

    [Fact]
    public void A_step_is_judged_at_the_scanner_s_time_step_by_step()
    {
        var step = DeviceCertificate.StepAt(Now);
        var start = DeviceCertificate.StepStart(step);
        var code = _device.Code(_key.Certify(_device).Certificate, step: step);
        var ring = _key.Ring();
        var length = DeviceCertificate.StepLengthTime;

        Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(code, ring, start + 2 * length - TimeSpan.FromMilliseconds(1)).Verdict);
        Assert.Equal(TicketCodeVerdict.StaleWindow, TicketCode.Verify(code, ring, start + 2 * length).Verdict);
        Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(code, ring, start - length).Verdict);
        Assert.Equal(TicketCodeVerdict.NotYetValid, TicketCode.Verify(code, ring, start - length - TimeSpan.FromMilliseconds(1)).Verdict);
    }

    [Fact]
    public void Any_flipped_byte_of_a_device_code_fails_and_never_as_valid()
    {
        Assert.True(Base45.TryDecode(_device.Code(_key.Certify(_device).Certificate, Now), out var bytes));
        for (var i = 0; i < bytes.Length; i++)
        {
            foreach (var mask in new byte[] { 0x01, 0x80, 0xFF })
            {
                var tampered = (byte[])bytes.Clone();
                tampered[i] ^= mask;
                var check = TicketCode.Verify(Base45.Encode(tampered), _key.Ring(), Now);
                var expected = i switch
                {
                    0 or 1 => TicketCodeVerdict.Malformed,                   // version, mode: the length no longer matches
                    >= 2 and < 22 => TicketCodeVerdict.UnknownKey,           // key id, event id
                    < DeviceCertificate.Length => TicketCodeVerdict.BadSignature, // the rest of the certificate, device key and event signature included
                    _ => TicketCodeVerdict.BadDeviceSignature,               // step and device signature
                };
                Assert.True(expected == check.Verdict, $"byte {i} ^ {mask:X2}: {check.Verdict}, expected {expected}");
            }
        }
    }

    [Fact]
    public void A_certificate_from_another_event_key_is_BadSignature_and_times_come_after_both_signatures()
    {
        using var impostor = new TestKey(_key.EventId, _key.KeyId);
        var forged = _device.Code(impostor.Certify(_device).Certificate, Now);
        var expiredCertificate = _key.Certify(_device, validFrom: Now.AddDays(-9), validTo: Now.AddDays(-8)).Certificate;
        using var thief = new TestDevice();

        Assert.Equal(TicketCodeVerdict.BadSignature, TicketCode.Verify(forged, _key.Ring(), Now).Verdict);
        Assert.Equal(TicketCodeVerdict.BadDeviceSignature, TicketCode.Verify(thief.Code(expiredCertificate, Now), _key.Ring(), Now).Verdict);
        Assert.Equal(TicketCodeVerdict.Expired, TicketCode.Verify(_device.Code(expiredCertificate, Now), _key.Ring(), Now).Verdict);
        var early = _key.Certify(_device, validFrom: Now.AddDays(1), validTo: Now.AddDays(2)).Certificate;
        Assert.Equal(TicketCodeVerdict.NotYetValid, TicketCode.Verify(_device.Code(early, Now), _key.Ring(), Now).Verdict);
    }

    public static TheoryData<string, byte[]> BadDeviceKeys()
    {
        using var device = new TestDevice();
        var good = device.PublicKey;
        var offCurve = (byte[])good.Clone();
        offCurve[64] ^= 0x01; // Y no longer matches X
        var compressed = (byte[])good.Clone();
        compressed[0] = 0x02;
        return new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "64 bytes (no prefix)", good[1..] },
            { "66 bytes", [.. good, 0] },
            { "not uncompressed", compressed },
            { "not on the curve", offCurve },
            { "all zero", new byte[65] },
        };
    }

    [Theory]
    [MemberData(nameof(BadDeviceKeys))]
    public void A_key_that_is_not_an_uncompressed_P256_point_is_refused(string why, byte[] key)
    {
        Assert.False(DeviceCertificate.IsValidDeviceKey(key), why);
        var payload = _key.Payload() with { Mode = TicketCodeMode.Device, DeviceKey = key };
        Assert.Throws<ArgumentException>(() => DeviceCertificate.Sign(payload, _key.Key));
    }

    [Fact]
    public void The_fingerprint_is_the_first_16_bytes_of_the_key_s_SHA256() =>
        Assert.Equal(SHA256.HashData(_device.PublicKey)[..16], DeviceCertificate.Fingerprint(_device.PublicKey));

    [Fact]
    public async Task A_device_code_fits_QR_version_12_at_level_M_and_survives_a_real_decoder()
    {
        var code = _device.Code(_key.Certify(_device).Certificate, Now);

        using var qr = TicketQr.Encode(code);

        Assert.Equal(12, qr.Version);
        Assert.Equal(code, await Zbar.Decode(TicketQr.Png(code)));
    }
}
