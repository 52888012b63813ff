using System.Net;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using TicketFlash.Integration.Tests.Api;
using TicketFlash.Integration.Tests.Infrastructure;

namespace TicketFlash.Integration.Tests.Auth;

/// <summary>
/// The API against a real OIDC issuer: user tokens from a real authorization code + PKCE grant are accepted, with roles
/// and tenant from their claims; tokens that are wrong in one way each are refused with a 401 problem.
/// </summary>
[Collection(OidcCollection.Name)]
public sealed class OidcTokenTests(OidcCluster oidc)
{
    private TicketFlashClient Api => oidc.Api;

    [Fact]
    public async Task A_fan_signed_in_at_the_issuer_reads_their_orders()
    {
        var token = await oidc.Issuer.SignInAsync("fan-ada");
        var claims = OidcIssuer.ClaimsOf(token);
        Assert.Equal(oidc.Issuer.Issuer, claims["iss"]!.GetValue<string>());
        Assert.Equal("ticketflash", claims["aud"]!.GetValue<string>());
        Assert.Equal("fan-ada", claims["sub"]!.GetValue<string>());

        var response = await Api.SendAsync(HttpMethod.Get, "/api/me/orders", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray());
    }

    [Fact]
    public async Task An_organizer_creates_a_venue_in_the_tenant_of_their_token()
    {
        var token = await oidc.Issuer.SignInAsync("organizer-olga");
        Assert.Equal("acme", OidcIssuer.ClaimsOf(token)["tenant"]!.GetValue<string>());

        var response = await Api.SendAsync(HttpMethod.Post, "/api/venues", token,
            new { name = "OIDC Hall", sections = new object[] { new { id = "GA", capacity = 100 } } });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("acme", JsonNode.Parse(body)!["tenant"]!.GetValue<string>());

        // A fan of the same issuer is not an organizer: the role comes from the token too.
        var fan = await oidc.Issuer.SignInAsync("fan-bob");
        var refused = await Api.SendAsync(HttpMethod.Post, "/api/venues", fan,
            new { name = "Fan Hall", sections = new object[] { new { id = "GA", capacity = 100 } } });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task A_token_forged_here_with_the_issuers_own_key_is_accepted_so_the_refusals_below_are_about_one_thing()
    {
        var response = await Api.SendAsync(HttpMethod.Get, "/api/me/orders", oidc.Issuer.Forge("forged-ok", ["fan"]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        // Expired beyond the 30 s clock skew.
        var token = oidc.Issuer.Forge("fan-expired", ["fan"], expires: DateTime.UtcNow.AddMinutes(-2));
        await AssertRefusedAsync(token);
    }

    [Fact]
    public async Task A_real_token_for_another_audience_is_refused()
    {
        var token = await oidc.Issuer.ClientCredentialsAsync("urn:other");
        Assert.Equal("other-api", OidcIssuer.ClaimsOf(token)["aud"]!.GetValue<string>());
        await AssertRefusedAsync(token);
        // The same client's token for the TicketFlash resource differs only in its audience, and is accepted.
        var ours = await oidc.Issuer.ClientCredentialsAsync(OidcIssuer.Resource);
        Assert.Equal("ticketflash", OidcIssuer.ClaimsOf(ours)["aud"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Get, "/api/me/orders", ours)).StatusCode);
    }

    [Fact]
    public async Task A_token_naming_another_issuer_is_refused_though_signed_by_this_issuers_key()
    {
        await AssertRefusedAsync(oidc.Issuer.Forge("fan-iss", ["fan"], issuer: "http://127.0.0.1:1/elsewhere"));
        await AssertRefusedAsync(oidc.Issuer.Forge("fan-iss", ["fan"], issuer: "ticketflash-dev")); // the development issuer
    }

    [Fact]
    public async Task With_Auth_Issuer_set_only_that_issuer_is_accepted_not_the_discovered_one()
    {
        var real = await oidc.Issuer.SignInAsync("fan-ada"); // iss: the discovered issuer
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Get, "/api/me/orders", real)).StatusCode);
        var overridden = oidc.ApiWithIssuerOverride;
        await ApiTestKit.AssertProblemAsync(await overridden.SendAsync(HttpMethod.Get, "/api/me/orders", real), 401, "unauthorized");
        // The same key and claims under the configured issuer name: accepted there.
        var named = oidc.Issuer.Forge("fan-override", ["fan"], issuer: OidcCluster.OverriddenIssuer);
        Assert.Equal(HttpStatusCode.OK, (await overridden.SendAsync(HttpMethod.Get, "/api/me/orders", named)).StatusCode);
    }

    [Fact]
    public async Task An_unsigned_token_with_alg_none_is_refused()
    {
        var real = await oidc.Issuer.SignInAsync("fan-ada");
        await AssertRefusedAsync(OidcIssuer.Unsigned(real));
    }

    [Fact]
    public async Task A_token_signed_by_a_key_not_in_the_issuers_JWKS_is_refused()
    {
        await AssertRefusedAsync(oidc.Issuer.Forge("fan-foreign", ["fan"], key: OidcIssuer.NewKey()));
        // Not even under the kid of the issuer's real key.
        var impostor = OidcIssuer.NewKey();
        impostor.KeyId = oidc.Issuer.SigningKey.KeyId;
        await AssertRefusedAsync(oidc.Issuer.Forge("fan-foreign", ["fan"], key: impostor));
        // Nor a shared-secret signature (HS256), whatever the secret.
        var hmac = new SymmetricSecurityKey(new byte[32]);
        await AssertRefusedAsync(new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = oidc.Issuer.Issuer, Audience = "ticketflash", Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["sub"] = "fan-hmac" },
            SigningCredentials = new SigningCredentials(hmac, SecurityAlgorithms.HmacSha256),
        }));
    }

    private async Task AssertRefusedAsync(string token)
    {
        var response = await Api.SendAsync(HttpMethod.Get, "/api/me/orders", token);
        await ApiTestKit.AssertProblemAsync(response, 401, "unauthorized");
    }
}
