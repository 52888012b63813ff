using System.Text;
using TicketFlash.Grains.Tickets.Codes;

namespace TicketFlash.Tickets.Tests.Codes;

public sealed class Base45Tests
{
    /// <summary>RFC 9285 section 4.3 (encoding) and 4.4 (decoding) examples.</summary>
    [Theory]
    [InlineData("AB", "BB8")]
    [InlineData("Hello!!", "%69 VD92EX0")]
    [InlineData("base-45", "UJCLQE7W581")]
    [InlineData("ietf!", "QED8WEX0")]
    public void The_RFC_examples_encode_and_decode(string text, string base45)
    {
        var bytes = Encoding.UTF8.GetBytes(text);

        Assert.Equal(base45, Base45.Encode(bytes));
        Assert.True(Base45.TryDecode(base45, out var decoded));
        Assert.Equal(text, Encoding.UTF8.GetString(decoded));
    }

    [Fact]
    public void Empty_input_is_the_empty_text()
    {
        Assert.Equal("", Base45.Encode([]));
        Assert.True(Base45.TryDecode("", out var decoded));
        Assert.Empty(decoded);
    }

    [Fact]
    public void Every_length_and_every_byte_value_round_trips()
    {
        var random = new Random(45);
        for (var length = 0; length <= 130; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            var text = Base45.Encode(data);
            Assert.Equal(Base45.EncodedLength(length), text.Length);
            Assert.True(Base45.TryDecode(text, out var back));
            Assert.Equal(data, back);
        }
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        Assert.True(Base45.TryDecode(Base45.Encode(all), out var every));
        Assert.Equal(all, every);
        Assert.Equal("FGW", Base45.Encode([0xFF, 0xFF])); // the largest triplet: 65535
    }

    /// <summary>RFC 9285 section 6: decoders must reject characters outside the alphabet and values that no bytes produce.</summary>
    [Theory]
    [InlineData("GGW")]      // 65536: more than two bytes can hold
    [InlineData("ZZZ")]      // 72485
    [InlineData("::")]       // 44 + 44·45 = 2024: more than one byte
    [InlineData("BB8A")]     // a length of 3n + 1 has no decoding
    [InlineData("A")]
    [InlineData("bb8")]      // lower case is not in the alphabet
    [InlineData("BB8\n")]
    [InlineData("BB_")]
    [InlineData("BBé")]
    [InlineData("BB\u0000")]
    public void Invalid_text_is_refused(string text)
    {
        Assert.False(Base45.TryDecode(text, out var data));
        Assert.Empty(data);
    }

    [Fact]
    public void Null_and_a_too_small_buffer_are_refused()
    {
        Assert.False(Base45.TryDecode(null, out _));
        Assert.False(Base45.TryDecode("BB8", new byte[1], out _));
    }

    [Fact]
    public void The_alphabet_is_QR_alphanumeric_mode()
    {
        // ISO/IEC 18004 alphanumeric table, in its order: a Base45 text is always a QR alphanumeric segment.
        Assert.Equal("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", Base45.Alphabet);
    }
}
