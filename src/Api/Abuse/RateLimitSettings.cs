using System.Threading.RateLimiting;

namespace TicketFlash.Api.Abuse;

/// <summary>
/// <c>RateLimits:*</c>. Writes (POST/PUT/PATCH/DELETE under <c>/api</c>) spend one token from the caller's bucket (token
/// <c>sub</c>) and one from the client address's bucket; either empty is a 429. Reads are not limited (see RateLimits).
/// </summary>
public sealed class RateLimitSettings
{
    public const string Section = "RateLimits";

    /// <summary>Webhooks are called by a provider's servers, signed, and retried by them: never limited like fans.</summary>
    public static readonly string[] DefaultExemptPaths = ["/api/payments/stripe/webhook"];

    public bool Enabled { get; set; } = true;

    /// <summary>One signed-in user: a burst of 30 writes, then 1 a second (a purchase is 2 to 3 writes).</summary>
    public Bucket PerUser { get; set; } = new() { TokenLimit = 30, TokensPerPeriod = 10, ReplenishmentPeriod = TimeSpan.FromSeconds(10) };

    /// <summary>One client address (IPv6: its /64), signed in or not: a burst of 600, then 30 a second, so a venue's or a
    /// carrier's NAT still fits many fans while one machine minting tokens does not.</summary>
    public Bucket PerIp { get; set; } = new() { TokenLimit = 600, TokensPerPeriod = 300, ReplenishmentPeriod = TimeSpan.FromSeconds(10) };

    /// <summary>Path prefixes that are never limited (in addition to endpoints marked <c>.DisableRateLimiting()</c>).
    /// Unset: <see cref="DefaultExemptPaths"/>; set it to replace them.</summary>
    public string[]? ExemptPaths { get; set; }

    public sealed class Bucket
    {
        public int TokenLimit { get; set; }
        public int TokensPerPeriod { get; set; }
        public TimeSpan ReplenishmentPeriod { get; set; }

        /// <summary>No queueing: a caller over the limit is told when to come back instead of being held on the server.</summary>
        public TokenBucketRateLimiterOptions ToOptions(string name)
        {
            if (TokenLimit < 1 || TokensPerPeriod < 1 || ReplenishmentPeriod <= TimeSpan.Zero)
                throw new InvalidOperationException($"RateLimits:{name}: TokenLimit and TokensPerPeriod must be ≥ 1 and ReplenishmentPeriod > 0.");
            return new TokenBucketRateLimiterOptions
            {
                TokenLimit = TokenLimit,
                TokensPerPeriod = TokensPerPeriod,
                ReplenishmentPeriod = ReplenishmentPeriod,
                QueueLimit = 0,
                AutoReplenishment = true,
            };
        }
    }
}
