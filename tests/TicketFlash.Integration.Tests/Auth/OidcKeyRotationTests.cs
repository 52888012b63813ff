using System.Diagnostics;
using System.Net;
using TicketFlash.Integration.Tests.Api;

namespace TicketFlash.Integration.Tests.Auth;

/// <summary>
/// The issuer replaces its signing key (the old one withdrawn from its JWKS). The API follows: a token under the new
/// key's kid makes it fetch the JWKS again; tokens of the withdrawn key are refused, except one validated within the
/// API's memory of validated tokens (cut to <see cref="OidcCluster.RememberFor"/> here, a minute by default).
/// </summary>
[Collection(OidcCollection.Name)]
public sealed class OidcKeyRotationTests(OidcCluster oidc)
{
    [Fact]
    public async Task After_a_key_rotation_new_key_tokens_are_accepted_and_old_key_tokens_refused_once_the_memory_lapses()
    {
        var api = oidc.Api;
        var oldToken = await oidc.Issuer.SignInAsync("fan-ada");
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "/api/me/orders", oldToken)).StatusCode);
        var validatedAt = Stopwatch.StartNew();
        var oldKey = oidc.Issuer.SigningKey;

        await oidc.Issuer.RotateAsync();
        Assert.NotEqual(oldKey.KeyId, oidc.Issuer.SigningKey.KeyId);
        var newToken = await oidc.Issuer.SignInAsync("fan-ada");
        Assert.Equal(oidc.Issuer.SigningKey.KeyId, Kid(newToken));

        // The unknown kid makes the API refetch the JWKS (at most once per second here); allow a few seconds for it.
        var accepted = await EventuallyAsync(TimeSpan.FromSeconds(20), async () =>
            (await api.SendAsync(HttpMethod.Get, "/api/me/orders", newToken)).StatusCode == HttpStatusCode.OK);
        Assert.True(accepted, "a token signed by the issuer's new key was not accepted within 20 s");

        // A token of the withdrawn key that this node never validated: refused at once.
        var neverSeen = oidc.Issuer.Forge("fan-ada", ["fan"], key: oldKey);
        await ApiTestKit.AssertProblemAsync(await api.SendAsync(HttpMethod.Get, "/api/me/orders", neverSeen), 401, "unauthorized");

        // The old token validated before the rotation: remembered for at most RememberFor, then validated again and refused.
        var lapse = OidcCluster.RememberFor - validatedAt.Elapsed + TimeSpan.FromMilliseconds(200);
        if (lapse > TimeSpan.Zero) await Task.Delay(lapse);
        await ApiTestKit.AssertProblemAsync(await api.SendAsync(HttpMethod.Get, "/api/me/orders", oldToken), 401, "unauthorized");
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "/api/me/orders", newToken)).StatusCode);
    }

    private static string Kid(string token) =>
        System.Text.Json.Nodes.JsonNode.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(token.Split('.')[0]))!["kid"]!.GetValue<string>();

    private static async Task<bool> EventuallyAsync(TimeSpan timeout, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await Task.Delay(250);
        }
        return await condition();
    }
}
