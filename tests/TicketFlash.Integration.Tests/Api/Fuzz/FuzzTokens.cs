using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TicketFlash.Integration.Tests.Infrastructure;

namespace TicketFlash.Integration.Tests.Api.Fuzz;

/// <summary>
/// Bearer headers a fuzzed request can carry: the world's real tokens (issued by the API) and tokens minted here that the
/// API must refuse (expired, wrong audience or issuer, foreign key, <c>alg: none</c>, no <c>sub</c>) or accept oddly shaped.
/// </summary>
public static class FuzzTokens
{
    private static readonly byte[] ForeignKey = Encoding.UTF8.GetBytes("a-key-the-api-has-never-seen-0123456789abcdef");
    private static readonly byte[] TestKey = Encoding.UTF8.GetBytes(ProcessCluster.SigningKey);

    /// <summary>Null means no Authorization header at all.</summary>
    public static string? Pick(Random rnd, FuzzWorld world)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return rnd.Next(40) switch
        {
            0 => null,
            1 => "Bearer " + Mint(TestKey, Claims("fz-fan-1", now - 7200, now - 3600)), // expired an hour ago
            2 => "Bearer " + Mint(ForeignKey, Claims("fz-fan-1", now, now + 3600)), // signed by a key not ours
            3 => "Bearer " + Mint(TestKey, Claims("fz-fan-1", now, now + 3600, audience: "someone-else")),
            4 => "Bearer " + Mint(TestKey, Claims("fz-fan-1", now, now + 3600, issuer: "https://evil.example")),
            5 => "Bearer " + Unsigned(Claims("fz-admin", now, now + 3600, roles: ["admin"])),
            6 => "Bearer " + Mint(TestKey, Claims(null, now, now + 3600)), // valid signature, no sub
            7 => "Bearer " + FuzzValues.AsciiGarbage(rnd),
            8 => "Bearer " + world.Fan[..^3] + "abc", // a real token with its signature altered
            9 => FuzzValues.AsciiGarbage(rnd), // not even a bearer scheme
            10 => "Bearer ",
            11 => "Bearer " + Mint(TestKey, Claims(FuzzValues.OddString(rnd, 200), now, now + 3600, roles: ["fan", "nonsense-role"])),
            12 => "Bearer " + Mint(TestKey, Claims("fz-fan-1", now + 3600, now + 7200)), // not valid yet
            < 20 => "Bearer " + world.Organizer,
            < 23 => "Bearer " + world.OtherOrganizer,
            < 26 => "Bearer " + world.Staff,
            < 28 => "Bearer " + world.Admin,
            < 32 => "Bearer " + world.OtherFan,
            _ => "Bearer " + world.Fan,
        };
    }

    /// <summary>A token signed with the test key, valid now, whose <c>sub</c> is <paramref name="sub"/> (null: none).</summary>
    public static string Signed(string? sub)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return Mint(TestKey, Claims(sub, now, now + 3600));
    }

    private static Dictionary<string, object?> Claims(string? sub, long notBefore, long expires, string audience = "ticketflash",
        string issuer = "ticketflash-dev", string[]? roles = null)
    {
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = issuer, ["aud"] = audience, ["nbf"] = notBefore, ["iat"] = notBefore, ["exp"] = expires,
            ["roles"] = roles ?? ["fan"], ["tenant"] = "fz",
        };
        if (sub is not null) claims["sub"] = sub;
        return claims;
    }

    private static string Mint(byte[] key, Dictionary<string, object?> claims)
    {
        var input = Segment(new { alg = "HS256", typ = "JWT" }) + "." + Segment(claims);
        return input + "." + Base64Url(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(input)));
    }

    private static string Unsigned(Dictionary<string, object?> claims) => Segment(new { alg = "none", typ = "JWT" }) + "." + Segment(claims) + ".";

    private static string Segment(object value) => Base64Url(JsonSerializer.SerializeToUtf8Bytes(value));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
