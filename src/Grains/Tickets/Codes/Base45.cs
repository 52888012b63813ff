namespace TicketFlash.Grains.Tickets.Codes;

/// <summary>
/// Base45 (RFC 9285). Its 45 characters are exactly QR's alphanumeric set, which a QR packs at 5.5 bits per character
/// against 8 for bytes: the reason ticket codes use it instead of Base64.
/// </summary>
public static class Base45
{
    public const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

    private const int Base = 45;
    private const int BaseSquared = Base * Base;

    /// <summary>Index of each ASCII character in <see cref="Alphabet"/>, -1 when it is not in it.</summary>
    private static readonly sbyte[] Values = BuildValues();

    public static int EncodedLength(int byteCount) => byteCount / 2 * 3 + byteCount % 2 * 2;

    /// <summary>The decoded size of a well-formed text, or -1 when no Base45 text has this length.</summary>
    public static int DecodedLength(int charCount) => (charCount % 3) switch
    {
        0 => charCount / 3 * 2,
        2 => charCount / 3 * 2 + 1,
        _ => -1,
    };

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var chars = new char[EncodedLength(data.Length)];
        var o = 0;
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            var n = (data[i] << 8) | data[i + 1];
            chars[o++] = Alphabet[n % Base];
            chars[o++] = Alphabet[n / Base % Base];
            chars[o++] = Alphabet[n / BaseSquared];
        }
        if (i < data.Length)
        {
            var n = data[i];
            chars[o++] = Alphabet[n % Base];
            chars[o++] = Alphabet[n / Base];
        }
        return new string(chars);
    }

    /// <summary>Decodes into <paramref name="destination"/>; false for any character, length or value outside RFC 9285.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        var length = DecodedLength(text.Length);
        if (length < 0 || length > destination.Length) return false;
        var i = 0;
        for (; i + 2 < text.Length; i += 3)
        {
            if (!TryValue(text[i], out var c) || !TryValue(text[i + 1], out var d) || !TryValue(text[i + 2], out var e)) return false;
            var n = c + d * Base + e * BaseSquared;
            if (n > ushort.MaxValue) return false; // e.g. "GGW" = 65536: no two bytes encode to it
            destination[written++] = (byte)(n >> 8);
            destination[written++] = (byte)n;
        }
        if (i < text.Length)
        {
            if (!TryValue(text[i], out var c) || !TryValue(text[i + 1], out var d)) return false;
            var n = c + d * Base;
            if (n > byte.MaxValue) return false;
            destination[written++] = (byte)n;
        }
        return true;
    }

    public static bool TryDecode(string? text, out byte[] data)
    {
        data = [];
        if (text is null) return false;
        var length = DecodedLength(text.Length);
        if (length < 0) return false;
        var buffer = new byte[length];
        if (!TryDecode(text, buffer, out _)) return false;
        data = buffer;
        return true;
    }

    private static bool TryValue(char ch, out int value)
    {
        value = ch < Values.Length ? Values[ch] : -1;
        return value >= 0;
    }

    private static sbyte[] BuildValues()
    {
        var values = new sbyte[128];
        Array.Fill(values, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++) values[Alphabet[i]] = (sbyte)i;
        return values;
    }
}
