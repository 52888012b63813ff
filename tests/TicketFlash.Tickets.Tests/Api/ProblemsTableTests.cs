using TicketFlash.Abstractions.Common;
using TicketFlash.Api.Infrastructure;

namespace TicketFlash.Tickets.Tests.Api;

/// <summary>The one error table (src/Api/Infrastructure/Problems.cs): complete, unambiguous, and what every path reads.</summary>
public sealed class ProblemsTableTests
{
    [Fact]
    public void Every_domain_error_code_has_a_row()
    {
        var missing = Enum.GetValues<DomainErrorCode>().Where(c => !Problems.Domain.ContainsKey(c)).ToList();
        Assert.True(missing.Count == 0, $"DomainErrorCode without a row in Problems.Domain (it would answer 500): {string.Join(", ", missing)}");
    }

    [Fact]
    public void A_slug_means_one_status_and_one_title_wherever_it_appears()
    {
        var all = Problems.Kinds.Concat(Problems.Domain.Values).Distinct().ToList();
        var ambiguous = all.GroupBy(k => k.Slug).Where(g => g.Select(k => (k.Status, k.Title)).Distinct().Count() > 1).Select(g => g.Key).ToList();
        Assert.True(ambiguous.Count == 0, $"slugs with two meanings: {string.Join(", ", ambiguous)}");
        Assert.All(all, k => Assert.Matches("^[a-z0-9-]+$", k.Slug));
    }

    [Theory]
    [InlineData(400, "malformed-request")]
    [InlineData(401, "unauthorized")]
    [InlineData(403, "forbidden")]
    [InlineData(404, "not-found")]
    [InlineData(405, "method-not-allowed")]
    [InlineData(413, "payload-too-large")]
    [InlineData(415, "unsupported-media-type")]
    [InlineData(429, "too-many-requests")]
    [InlineData(500, "internal")]
    [InlineData(503, "unavailable")]
    [InlineData(418, "malformed-request")] // a 4xx without a row of its own
    [InlineData(502, "internal")] // a 5xx without a row of its own
    public void A_bare_status_maps_to_its_row(int status, string slug)
    {
        var kind = Problems.KindOf(status);
        Assert.Equal((status, slug), (kind.Status, kind.Slug));
        Assert.False(string.IsNullOrWhiteSpace(kind.Title));
    }

    [Fact]
    public void A_domain_refusal_and_the_same_status_from_the_pipeline_share_their_slug()
    {
        Assert.Equal(Problems.KindOf(403), Problems.For(DomainErrorCode.Forbidden));
        Assert.Equal(Problems.KindOf(404), Problems.For(DomainErrorCode.NotFound));
        Assert.Equal(Problems.KindOf(503), Problems.For(DomainErrorCode.Unavailable));
    }
}
