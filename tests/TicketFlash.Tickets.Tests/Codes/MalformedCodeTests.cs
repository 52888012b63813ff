using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tickets.Codes;
using TicketFlash.Tickets.Tests.Infrastructure;

namespace TicketFlash.Tickets.Tests.Codes;

/// <summary>Whatever a scanner reads, verification answers Malformed and never throws.</summary>
public sealed class MalformedCodeTests : IDisposable
{
    private readonly TestKey _key = new();

    public void Dispose() => _key.Dispose();

    public static TheoryData<string?> Garbage() => new()
    {
        null,
        "",
        " ",
        "\n",
        "hello",
        "https://ticketflash.dev/t/123",
        new string('0', 171),                      // Base45, right length, version 0
        new string(':', 171),                      // every triplet out of range
        new string('A', 172),                      // no length between the two modes decodes to a code
        new string('A', 10_000_000),               // huge: refused before any decoding
        "{\"ticket\":\"x\"}",
        "\u00ff\u0100\ud83d\ude00",
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Garbage_is_Malformed(string? code)
    {
        var check = TicketCode.Verify(code, _key.Ring(), DateTimeOffset.UtcNow);

        Assert.Equal(TicketCodeVerdict.Malformed, check.Verdict);
        Assert.Null(check.Payload);
        Assert.False(TicketCode.TryParse(code, out var payload));
        Assert.Null(payload);
    }

    [Theory]
    [InlineData(TicketCodeMode.Static)]
    [InlineData(TicketCodeMode.Rotating)]
    public void Damaged_real_codes_are_Malformed(TicketCodeMode mode)
    {
        var code = _key.Sign(_key.Payload(mode)).Code;
        var ring = _key.Ring();
        var now = DateTimeOffset.UtcNow;

        string[] damaged =
        [
            code[..^1], code[..^2], code[..^3], code[..^6], code[..(code.Length / 2)], code[..1],
            code + "0", code + "00", code + "000", code + code,
            code.ToLowerInvariant(), code.Replace('A', 'a'), code.Insert(40, "\n"), code.Insert(40, "_"),
            " " + code[1..], code + "\n", "\uFEFF" + code,
            "W" + code[1..], "V" + code[1..],               // the other mode's first character: wrong length for that mode
        ];
        foreach (var bad in damaged.Where(d => d != code))
            Assert.True(TicketCode.Verify(bad, ring, now).Verdict == TicketCodeVerdict.Malformed, $"'{bad}' was not Malformed");
    }

    [Fact]
    public void Random_text_of_every_plausible_length_never_throws_and_never_verifies()
    {
        var random = new Random(9285);
        var ring = _key.Ring();
        var now = DateTimeOffset.UtcNow;
        for (var round = 0; round < 5_000; round++)
        {
            var length = random.Next(0, 200);
            var chars = new char[length];
            for (var i = 0; i < length; i++)
                chars[i] = random.Next(4) == 0 ? (char)random.Next(0, 0x3000) : Base45.Alphabet[random.Next(45)];
            var check = TicketCode.Verify(new string(chars), ring, now);
            Assert.False(check.IsValid);
        }
    }

    [Fact]
    public void A_framed_code_with_random_content_is_not_valid()
    {
        var random = new Random(45);
        var ring = _key.Ring();
        for (var round = 0; round < 2_000; round++)
        {
            var bytes = new byte[TicketCode.StaticBodyLength + TicketCode.SignatureLength];
            random.NextBytes(bytes);
            bytes[0] = TicketCode.CurrentVersion;
            bytes[1] = (byte)TicketCodeMode.Static;
            var check = TicketCode.Verify(Base45.Encode(bytes), ring, DateTimeOffset.UtcNow);
            Assert.Equal(TicketCodeVerdict.UnknownKey, check.Verdict); // well framed, but nobody's key
        }
    }

    [Fact]
    public void A_ring_skips_keys_it_cannot_use()
    {
        var good = _key.Public;
        var ring = new TicketKeyRing(
        [
            good,
            good with { KeyId = 1, PublicKey = [1, 2, 3] },
            good with { KeyId = 2, Algorithm = "RSA" },
        ]);

        Assert.Equal(1, ring.Count);
        Assert.NotNull(ring.Find(good.EventId, good.KeyId));
        Assert.Null(ring.Find(good.EventId, 1));
    }
}
