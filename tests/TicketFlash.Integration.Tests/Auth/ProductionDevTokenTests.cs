using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TicketFlash.Integration.Tests.Api;

namespace TicketFlash.Integration.Tests.Auth;

/// <summary>The API process run as ASPNETCORE_ENVIRONMENT=Production (see <see cref="OidcCluster"/>) has no development token route.</summary>
[Collection(OidcCollection.Name)]
public sealed class ProductionDevTokenTests(OidcCluster oidc)
{
    [Fact]
    public async Task POST_api_dev_token_does_not_exist_in_Production()
    {
        var body = new { sub = "mallory", roles = new[] { "admin" } };
        // Signed in (so the answer is not just "authenticate first"): the route is not there.
        var token = await oidc.Issuer.SignInAsync("fan-ada");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/dev/token") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", token);
        await ApiTestKit.AssertProblemAsync(await oidc.Api.Http.SendAsync(request), 404, "not-found");
        // Anonymous: no token comes back either way.
        var anonymous = await oidc.Api.Http.PostAsJsonAsync("/api/dev/token", body);
        Assert.NotEqual(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.DoesNotContain("accessToken", await anonymous.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_client_config_names_the_issuer_and_offers_no_dev_sign_in()
    {
        var config = (await oidc.Api.Http.GetFromJsonAsync<JsonObject>("/api/config"))!;
        Assert.False(config["devSignIn"]!.GetValue<bool>());
        Assert.Equal(oidc.Issuer.Issuer, config["oidc"]!["authority"]!.GetValue<string>());
        Assert.Equal("ticketflash-web", config["oidc"]!["clientId"]!.GetValue<string>());
        Assert.Equal(OidcIssuer.Resource, config["oidc"]!["resource"]!.GetValue<string>());
    }
}
