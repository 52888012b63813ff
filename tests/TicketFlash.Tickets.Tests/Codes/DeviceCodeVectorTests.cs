using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using NSec.Cryptography;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tickets.Codes;
using TicketFlash.Tickets.Tests.Infrastructure;

namespace TicketFlash.Tickets.Tests.Codes;

/// <summary>
/// The shared test vector (Codes/device-code-vector.json) the browser app's and the offline scanner's verifiers are tested
/// against too. ECDSA signatures are randomized, so the vector holds one valid device signature and this test verifies it;
/// the Ed25519 certificate is deterministic and is re-created from the fields. To write a new vector (new device signature),
/// run this test with TF_WRITE_DEVICE_VECTOR=path/to/device-code-vector.json.
/// </summary>
public sealed class DeviceCodeVectorTests
{
    private const string FileName = "device-code-vector.json";

    [Fact]
    public void The_shared_device_code_vector_holds_and_every_check_gets_its_verdict()
    {
        if (Environment.GetEnvironmentVariable("TF_WRITE_DEVICE_VECTOR") is { Length: > 0 } target) File.WriteAllText(target, Generate().ToJsonString(Indented));
        var vector = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Codes", FileName)))!;

        var eventKey = vector["eventKey"]!;
        using var key = ImportSeed(Convert.FromHexString(Text(eventKey, "ed25519SeedHex")));
        var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        Assert.Equal(Text(eventKey, "ed25519PublicKeyHex"), Convert.ToHexStringLower(publicKey));

        var device = vector["device"]!;
        var deviceKey = Convert.FromBase64String(Text(device, "publicKeyBase64"));
        Assert.Equal([0x04, .. Convert.FromHexString(Text(device, "p256XHex")), .. Convert.FromHexString(Text(device, "p256YHex"))], deviceKey);
        Assert.Equal(Text(device, "fingerprintBase64"), Convert.ToBase64String(DeviceCertificate.Fingerprint(deviceKey)));
        using (var pair = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = Convert.FromHexString(Text(device, "p256DHex")),
            Q = new ECPoint { X = deviceKey[1..33], Y = deviceKey[33..] },
        }))
        using (var publicOnly = DeviceCertificate.TryImport(deviceKey))
        {
            // d belongs to (x, y): what it signs, the public key verifies.
            var signature = pair.SignData("probe"u8, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            Assert.True(publicOnly!.VerifyData("probe"u8, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        }

        // The certificate is deterministic: re-created from its fields with the seed, byte for byte.
        var fields = vector["certificateFields"]!;
        var payload = new TicketCodePayload(TicketCode.CurrentVersion, TicketCodeMode.Device, (uint)eventKey["keyId"]!, Guid.Parse(Text(fields, "eventId")),
            Guid.Parse(Text(fields, "ticketId")), (uint)fields["serial"]!, DateTimeOffset.FromUnixTimeSeconds((long)fields["validFrom"]!),
            DateTimeOffset.FromUnixTimeSeconds((long)fields["validTo"]!), null, deviceKey);
        var certificate = Convert.FromBase64String(Text(vector, "certificate"));
        Assert.Equal(certificate, DeviceCertificate.Sign(payload, key).Certificate);

        var step = (uint)vector["step"]!;
        Assert.True(Base45.TryDecode(Text(vector, "code"), out var code));
        Assert.Equal([.. certificate, (byte)(step >> 24), (byte)(step >> 16), (byte)(step >> 8), (byte)step, .. Convert.FromHexString(Text(vector, "deviceSignatureHex"))], code);
        Assert.Equal([.. SHA256.HashData(certificate), .. code.AsSpan(179, 4)], Convert.FromHexString(Text(vector, "signedMessageHex")));

        var ring = new TicketKeyRing([new TicketPublicKey(payload.EventId, payload.KeyId, TicketCode.Algorithm, publicKey, DateTimeOffset.UnixEpoch, null)]);
        var checks = vector["checks"]!.AsArray();
        Assert.True(checks.Count >= 6);
        foreach (var check in checks)
        {
            var now = DateTimeOffset.FromUnixTimeSeconds((long)check!["now"]!);
            var verdict = TicketCode.Verify(Text(check, "code"), ring, now).Verdict;
            Assert.True(Text(check, "verdict") == verdict.ToString(), $"{Text(check, "name")}: {verdict}");
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string Text(JsonNode node, string name) => node[name]!.GetValue<string>();

    private static Key ImportSeed(byte[] seed) =>
        Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    /// <summary>A new vector: the fixed event key of RFC 8032's first test, a fresh device key and its signature.</summary>
    private static JsonObject Generate()
    {
        var seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        using var key = ImportSeed(seed);
        using var device = new TestDevice();
        using var thief = new TestDevice();
        var eventId = Guid.Parse("7e1c0000-0000-4000-8000-00000000e001");
        var ticketId = Guid.Parse("5a1e0000-0000-4000-8000-0000000000a1");
        const long validFrom = 1_900_000_000, validTo = validFrom + 6 * 3600;
        var payload = new TicketCodePayload(TicketCode.CurrentVersion, TicketCodeMode.Device, 1, eventId, ticketId, 2,
            DateTimeOffset.FromUnixTimeSeconds(validFrom), DateTimeOffset.FromUnixTimeSeconds(validTo), null, device.PublicKey);
        var certificate = DeviceCertificate.Sign(payload, key).Certificate;
        var step = (uint)((validFrom + 3600) / DeviceCodeSteps.Seconds);
        var code = device.Code(certificate, step: step);
        Assert.True(Base45.TryDecode(code, out var bytes));
        var tampered = (byte[])bytes.Clone();
        tampered[30] ^= 0x01; // inside the ticket id
        var p = device.Key.ExportParameters(true);
        long stepStart = step * (long)DeviceCodeSteps.Seconds;

        JsonObject Check(string name, string checkedCode, long now, TicketCodeVerdict verdict) =>
            new() { ["name"] = name, ["code"] = checkedCode, ["now"] = now, ["verdict"] = verdict.ToString() };

        return new JsonObject
        {
            ["format"] = "TicketFlash device code, version 1 (src/Grains/Tickets/Codes/DeviceCertificate.cs). Integers big-endian, ids RFC 4122 byte order, times unix seconds.",
            ["eventKey"] = new JsonObject
            {
                ["keyId"] = 1,
                ["ed25519SeedHex"] = Convert.ToHexStringLower(seed),
                ["ed25519PublicKeyHex"] = Convert.ToHexStringLower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)),
                ["ed25519PublicKeyBase64"] = Convert.ToBase64String(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)),
            },
            ["device"] = new JsonObject
            {
                ["p256DHex"] = Convert.ToHexStringLower(p.D!),
                ["p256XHex"] = Convert.ToHexStringLower(p.Q.X!),
                ["p256YHex"] = Convert.ToHexStringLower(p.Q.Y!),
                ["publicKeyBase64"] = Convert.ToBase64String(device.PublicKey),
                ["fingerprintBase64"] = Convert.ToBase64String(DeviceCertificate.Fingerprint(device.PublicKey)),
            },
            ["certificateFields"] = new JsonObject
            {
                ["eventId"] = eventId.ToString(), ["ticketId"] = ticketId.ToString(), ["serial"] = 2, ["validFrom"] = validFrom, ["validTo"] = validTo,
            },
            ["certificate"] = Convert.ToBase64String(certificate),
            ["step"] = step,
            ["signedMessageHex"] = Convert.ToHexStringLower([.. SHA256.HashData(certificate), .. bytes.AsSpan(179, 4)]),
            ["deviceSignatureHex"] = Convert.ToHexStringLower(bytes.AsSpan(183)),
            ["code"] = code,
            ["checks"] = new JsonArray(
                Check("in its own step", code, stepStart + 7, TicketCodeVerdict.Valid),
                Check("scanner one step ahead", code, stepStart + 2 * DeviceCodeSteps.Seconds - 1, TicketCodeVerdict.Valid),
                Check("scanner one step behind", code, stepStart - DeviceCodeSteps.Seconds, TicketCodeVerdict.Valid),
                Check("scanner two steps ahead (a screenshot)", code, stepStart + 2 * DeviceCodeSteps.Seconds, TicketCodeVerdict.StaleWindow),
                Check("scanner two steps behind", code, stepStart - DeviceCodeSteps.Seconds - 1, TicketCodeVerdict.NotYetValid),
                Check("after the validity window", code, validTo + 1, TicketCodeVerdict.Expired),
                Check("the certificate signed again by another device", thief.Code(certificate, step: step), stepStart + 7, TicketCodeVerdict.BadDeviceSignature),
                Check("a certificate byte flipped (ticket id)", Base45.Encode(tampered), stepStart + 7, TicketCodeVerdict.BadSignature)),
        };
    }
}
