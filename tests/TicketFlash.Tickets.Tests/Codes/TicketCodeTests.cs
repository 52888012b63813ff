using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tickets.Codes;
using TicketFlash.Tickets.Tests.Infrastructure;

namespace TicketFlash.Tickets.Tests.Codes;

/// <summary>The code format and its verification, with local keys: no cluster.</summary>
public sealed class TicketCodeTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly TestKey _key = new();

    public void Dispose() => _key.Dispose();

    [Theory]
    [InlineData(TicketCodeMode.Static, 171, 'V')]
    [InlineData(TicketCodeMode.Rotating, 177, 'W')]
    public void A_signed_code_verifies_and_says_what_was_signed(TicketCodeMode mode, int length, char first)
    {
        var payload = _key.Payload(mode);
        var signed = _key.Sign(payload);

        var check = TicketCode.Verify(signed.Code, _key.Ring(), Now);

        Assert.Equal(TicketCodeVerdict.Valid, check.Verdict);
        Assert.True(check.IsValid);
        Assert.Equal(signed.Payload, check.Payload);
        Assert.Equal(length, signed.Code.Length);
        Assert.Equal(first, signed.Code[0]);
        Assert.All(signed.Code, c => Assert.Contains(c, Base45.Alphabet));
        var p = check.Payload!;
        Assert.Equal((payload.Mode, payload.KeyId, payload.EventId, payload.TicketId, payload.Serial, payload.Window),
            (p.Mode, p.KeyId, p.EventId, p.TicketId, p.Serial, p.Window));
        Assert.Equal(payload.ValidFrom.ToUnixTimeSeconds(), p.ValidFrom.ToUnixTimeSeconds());
        Assert.Equal(payload.ValidTo.ToUnixTimeSeconds(), p.ValidTo.ToUnixTimeSeconds());
        Assert.True(TicketCode.TryParse(signed.Code, out var parsed));
        Assert.Equal(p, parsed);
    }

    [Fact]
    public void The_layout_is_the_documented_one()
    {
        var eventId = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        using var key = new TestKey(eventId, keyId: 0x01020304);
        var payload = new TicketCodePayload(1, TicketCodeMode.Rotating, 0x01020304, eventId, Guid.Parse("ffeeddcc-bbaa-9988-7766-554433221100"),
            0x0A0B0C0D, DateTimeOffset.FromUnixTimeSeconds(0x11223344), DateTimeOffset.FromUnixTimeSeconds(0x55667788), 0x99AABBCC);

        Assert.True(Base45.TryDecode(key.Sign(payload).Code, out var bytes));

        Assert.Equal(TicketCode.RotatingBodyLength + TicketCode.SignatureLength, bytes.Length);
        Assert.Equal(Convert.FromHexString(
            "0101" + "01020304" + "00112233445566778899AABBCCDDEEFF" + "FFEEDDCCBBAA99887766554433221100" +
            "0A0B0C0D" + "11223344" + "55667788" + "99AABBCC"), bytes[..TicketCode.RotatingBodyLength]);
    }

    [Fact]
    public void Any_flipped_byte_fails_and_never_as_valid()
    {
        foreach (var mode in new[] { TicketCodeMode.Static, TicketCodeMode.Rotating })
        {
            var signed = _key.Sign(_key.Payload(mode));
            Assert.True(Base45.TryDecode(signed.Code, out var bytes));
            var body = bytes.Length - TicketCode.SignatureLength;
            for (var i = 0; i < bytes.Length; i++)
            {
                foreach (var mask in new byte[] { 0x01, 0x80, 0xFF })
                {
                    var tampered = (byte[])bytes.Clone();
                    tampered[i] ^= mask;
                    var check = TicketCode.Verify(Base45.Encode(tampered), _key.Ring(), Now);
                    var expected = i switch
                    {
                        0 or 1 => TicketCodeVerdict.Malformed,                 // version, mode: not a code this verifier knows
                        >= 2 and < 22 => TicketCodeVerdict.UnknownKey,         // key id, event id: names a key nobody has
                        _ => TicketCodeVerdict.BadSignature,                   // ticket, serial, times, window, the signature itself
                    };
                    // A flipped mode byte can name the other mode, whose length then does not match: still Malformed.
                    Assert.True(expected == check.Verdict, $"{mode} byte {i} ^ {mask:X2} (body {body} bytes): {check.Verdict}, expected {expected}");
                }
            }
        }
    }

    [Fact]
    public void A_changed_character_fails()
    {
        var code = _key.Sign(_key.Payload()).Code;
        for (var i = 0; i < code.Length; i++)
        {
            var replacement = code[i] == '0' ? '1' : '0';
            var altered = string.Concat(code.AsSpan(0, i), replacement.ToString(), code.AsSpan(i + 1));
            Assert.False(TicketCode.Verify(altered, _key.Ring(), Now).IsValid, $"character {i}");
        }
    }

    [Fact]
    public void A_key_id_or_event_the_verifier_does_not_know_is_UnknownKey()
    {
        var signed = _key.Sign(_key.Payload());
        using var sameEventOtherId = new TestKey(_key.EventId, _key.KeyId + 1);
        using var otherEventSameId = new TestKey(Guid.NewGuid(), _key.KeyId);

        Assert.Equal(TicketCodeVerdict.UnknownKey, TicketCode.Verify(signed.Code, sameEventOtherId.Ring(), Now).Verdict);
        Assert.Equal(TicketCodeVerdict.UnknownKey, TicketCode.Verify(signed.Code, otherEventSameId.Ring(), Now).Verdict);
        Assert.Equal(TicketCodeVerdict.UnknownKey, TicketCode.Verify(signed.Code, new TicketKeyRing([]), Now).Verdict);
        Assert.Equal(signed.Payload, TicketCode.Verify(signed.Code, new TicketKeyRing([]), Now).Payload); // claimed, for reporting
    }

    [Fact]
    public void A_code_signed_by_another_key_under_the_same_id_is_BadSignature()
    {
        using var impostor = new TestKey(_key.EventId, _key.KeyId);
        var forged = impostor.Sign(_key.Payload());

        Assert.Equal(TicketCodeVerdict.BadSignature, TicketCode.Verify(forged.Code, _key.Ring(), Now).Verdict);
    }

    [Fact]
    public void The_validity_window_bounds_a_code()
    {
        var from = DateTimeOffset.FromUnixTimeSeconds(Now.ToUnixTimeSeconds());
        var to = from.AddHours(9);
        var code = _key.Sign(_key.Payload(validFrom: from, validTo: to)).Code;
        var ring = _key.Ring();

        Assert.Equal(TicketCodeVerdict.NotYetValid, TicketCode.Verify(code, ring, from.AddSeconds(-1)).Verdict);
        Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(code, ring, from).Verdict);
        Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(code, ring, to).Verdict);
        Assert.Equal(TicketCodeVerdict.Expired, TicketCode.Verify(code, ring, to.AddSeconds(1)).Verdict);
        Assert.Equal(TicketCodeVerdict.Expired, TicketCode.Verify(code, ring, to.AddDays(400)).Verdict);
    }

    [Fact]
    public void A_rotating_code_is_valid_in_its_window_and_the_next_then_stale()
    {
        var window = TicketCode.WindowAt(Now);
        var start = TicketCode.WindowStart(window);
        var code = _key.Sign(_key.Payload(TicketCodeMode.Rotating, window: window)).Code;
        var ring = _key.Ring();
        var length = TicketCode.WindowLength;

        Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(code, ring, start).Verdict);
        Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(code, ring, start + length - TimeSpan.FromMilliseconds(1)).Verdict);
        Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(code, ring, start + length).Verdict); // scanner's previous window
        Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(code, ring, start + 2 * length - TimeSpan.FromMilliseconds(1)).Verdict);
        Assert.Equal(TicketCodeVerdict.StaleWindow, TicketCode.Verify(code, ring, start + 2 * length).Verdict);
        Assert.Equal(TicketCodeVerdict.StaleWindow, TicketCode.Verify(code, ring, start + TimeSpan.FromHours(1)).Verdict);
        // An issuer clock a few seconds ahead is tolerated; a code from a window well ahead is not yet valid.
        Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(code, ring, start - TimeSpan.FromSeconds(3)).Verdict);
        Assert.Equal(TicketCodeVerdict.NotYetValid, TicketCode.Verify(code, ring, start - TimeSpan.FromSeconds(10)).Verdict);
    }

    [Fact]
    public void The_signature_is_checked_before_the_times()
    {
        using var impostor = new TestKey(_key.EventId, _key.KeyId);
        var forgedOld = impostor.Sign(_key.Payload(validFrom: Now.AddDays(-9), validTo: Now.AddDays(-8))).Code;

        Assert.Equal(TicketCodeVerdict.BadSignature, TicketCode.Verify(forgedOld, _key.Ring(), Now).Verdict);
    }

    [Fact]
    public void A_payload_that_does_not_fit_the_layout_is_refused_at_signing()
    {
        Assert.Throws<ArgumentException>(() => _key.Sign(_key.Payload(validFrom: DateTimeOffset.UnixEpoch.AddSeconds(-1))));
        Assert.Throws<ArgumentException>(() => _key.Sign(_key.Payload(validTo: new DateTimeOffset(2107, 1, 1, 0, 0, 0, TimeSpan.Zero))));
        Assert.Throws<ArgumentException>(() => _key.Sign(_key.Payload() with { Window = 5 }));
        Assert.Throws<ArgumentException>(() => _key.Sign(_key.Payload(TicketCodeMode.Rotating) with { Window = null }));
        Assert.Throws<ArgumentException>(() => _key.Sign(_key.Payload() with { Mode = (TicketCodeMode)9 }));
    }
}
