using System.Security.Claims;
using TicketFlash.Api.Auth;

namespace TicketFlash.Integration.Tests.Api;

/// <summary>The API's memory of validated tokens never outlives a token, nor <see cref="ValidatedTokens.MaxAge"/>, nor its capacity.</summary>
public sealed class ValidatedTokensTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    private static ClaimsPrincipal Fan(string sub) => new(new ClaimsIdentity([new Claim("sub", sub)], "Bearer"));

    [Fact]
    public void A_token_is_remembered_until_its_own_expiry_and_not_a_moment_longer()
    {
        var tokens = new ValidatedTokens(_clock);
        var fan = Fan("fan-1");
        tokens.Remember("token-a", fan, _clock.GetUtcNow().AddSeconds(20));

        Assert.True(tokens.TryGet("token-a", out var remembered));
        Assert.Same(fan, remembered);
        Assert.False(tokens.TryGet("token-b", out _)); // only the exact token string

        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.False(tokens.TryGet("token-a", out _));
    }

    [Fact]
    public void A_long_lived_token_is_remembered_for_at_most_MaxAge_and_an_expired_one_not_at_all()
    {
        var tokens = new ValidatedTokens(_clock);
        tokens.Remember("long", Fan("fan-1"), _clock.GetUtcNow().AddHours(8));
        tokens.Remember("expired", Fan("fan-2"), _clock.GetUtcNow().AddSeconds(-1));

        Assert.False(tokens.TryGet("expired", out _));
        _clock.Advance(ValidatedTokens.MaxAge - TimeSpan.FromSeconds(1));
        Assert.True(tokens.TryGet("long", out _));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(tokens.TryGet("long", out _)); // validated again from here on
    }

    [Fact]
    public void A_flood_of_distinct_tokens_never_grows_it_past_its_capacity()
    {
        var tokens = new ValidatedTokens(_clock, capacity: 100);
        for (var i = 0; i < 1_000; i++)
        {
            tokens.Remember($"token-{i}", Fan($"fan-{i}"), _clock.GetUtcNow().AddMinutes(5));
            Assert.InRange(tokens.Count, 1, 100);
        }
        Assert.True(tokens.TryGet("token-999", out _));
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
