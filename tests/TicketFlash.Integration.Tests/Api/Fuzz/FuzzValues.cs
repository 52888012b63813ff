using System.Text;
using System.Text.Json.Nodes;

namespace TicketFlash.Integration.Tests.Api.Fuzz;

/// <summary>Odd values: strange unicode, huge strings, numbers at the edges, ids that are nearly ids.</summary>
public static class FuzzValues
{
    private static readonly string[] Odd =
    [
        "", " ", "\t\n", "null", "true", "0", "-1", "NaN", "Infinity", "1e309", "𝕋𝕚𝕔𝕜𝕖𝕥", "💥🎟️👨‍👩‍👧‍👦", "\u202Egnp.exe", "a\u0000b",
        "\u200B\u200C\u200D\uFEFF", "ﷺ", "Ω≈ç√∫", "ÅÍÎÏ˝ÓÔ\uF8FFÒÚÆ☃", "<script>alert(1)</script>", "'; DROP TABLE orleans_storage; --",
        "../../etc/passwd", "%00", "%s%s%n", "{{7*7}}", "${jndi:ldap://x}", "\\u0000", "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇", "᠎", "ゴゴゴ", "A-1", "GA",
        "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "{7e1c0000-0000-4000-8000-00000000e001}",
    ];

    public static string OddString(Random rnd, int maxLength = 4000)
    {
        switch (rnd.Next(8))
        {
            case 0: return new string((char)rnd.Next(32, 0xD7FF), rnd.Next(1, maxLength));
            case 1: return string.Concat(Enumerable.Repeat(Odd[rnd.Next(Odd.Length)], rnd.Next(1, 50)));
            case 2:
            {
                var builder = new StringBuilder();
                var length = rnd.Next(1, Math.Min(maxLength, 300));
                for (var i = 0; i < length; i++) builder.Append(char.ConvertFromUtf32(RandomScalar(rnd)));
                return builder.ToString();
            }
            default: return Odd[rnd.Next(Odd.Length)];
        }
    }

    /// <summary>Printable ASCII only (what a header or token can carry through HttpClient).</summary>
    public static string AsciiGarbage(Random rnd)
    {
        var chars = new char[rnd.Next(1, rnd.Next(2) == 0 ? 20 : 600)];
        for (var i = 0; i < chars.Length; i++) chars[i] = (char)rnd.Next(33, 127);
        return new string(chars);
    }

    /// <summary>A path segment that is not a usable id, percent-encoded as a client would send it.</summary>
    public static string BadSegment(Random rnd) => rnd.Next(6) switch
    {
        0 => Guid.NewGuid().ToString("N")[..rnd.Next(1, 31)],
        1 => "-1",
        2 => new string('9', rnd.Next(20, 3000)),
        3 => Escape(OddString(rnd, 300).Replace('\0', '0'), 2000), // Kestrel itself refuses a NUL in the path (a bare 400)
        4 => "%2e%2e%2f%2e%2e",
        _ => Guid.NewGuid().ToString().ToUpperInvariant() + "x",
    };

    public static JsonNode OddNumber(Random rnd) => rnd.Next(8) switch
    {
        0 => JsonValue.Create(0),
        1 => JsonValue.Create(-1),
        2 => JsonValue.Create(int.MaxValue),
        3 => JsonValue.Create(int.MinValue),
        4 => JsonValue.Create(long.MaxValue),
        5 => JsonValue.Create(1e308),
        6 => JsonValue.Create(-0.000001),
        _ => JsonValue.Create(rnd.Next(-1000, 1000) + 0.5),
    };

    /// <summary>Percent-encoded, at most <paramref name="max"/> characters: request lines stay under Kestrel's 8 KB, whose
    /// refusal (414) comes from the server itself, before the application.</summary>
    public static string Escape(string value, int max)
    {
        var escaped = Uri.EscapeDataString(value);
        while (escaped.Length > max)
        {
            value = value[..(value.Length / 2)];
            if (value.Length > 0 && char.IsHighSurrogate(value[^1])) value = value[..^1];
            escaped = Uri.EscapeDataString(value);
        }
        return escaped;
    }

    /// <summary>A scalar value from all planes (no surrogates).</summary>
    private static int RandomScalar(Random rnd)
    {
        while (true)
        {
            var value = rnd.Next(3) == 0 ? rnd.Next(0x10000, 0x10FFFF) : rnd.Next(0x20, 0xFFFF);
            if (value is < 0xD800 or > 0xDFFF) return value;
        }
    }
}
