using System.Text.Json.Nodes;
using TicketFlash.Abstractions.Common;
using TicketFlash.Api.Auth;
using TicketFlash.Integration.Tests.Infrastructure;

namespace TicketFlash.Integration.Tests.Auth;

/// <summary>
/// deploy/keycloak/ticketflash-realm.json, read as Keycloak's realm import reads it. Keycloak itself can't run here, so
/// this checks the file gives the API what it reads from a token: the audience, a flat `roles` claim with the five
/// roles, a `tenant` claim from the user attribute, and a public web client using authorization code + PKCE (S256).
/// </summary>
public sealed class KeycloakRealmTests
{
    private static readonly JsonObject Realm =
        JsonNode.Parse(File.ReadAllText(Path.Combine(Binaries.RepoRoot, "deploy/keycloak/ticketflash-realm.json")))!.AsObject();

    private static JsonObject Client => Realm["clients"]!.AsArray().Single(c => (string?)c!["clientId"] == "ticketflash-web")!.AsObject();

    private static JsonObject Mapper(string type) =>
        Client["protocolMappers"]!.AsArray().Single(m => (string?)m!["protocolMapper"] == type)!["config"]!.AsObject();

    [Fact]
    public void The_realm_has_the_five_roles_and_every_user_is_a_fan_by_default()
    {
        Assert.Equal("ticketflash", (string?)Realm["realm"]);
        var roles = Realm["roles"]!["realm"]!.AsArray().Select(r => (string)r!["name"]!).ToHashSet();
        Assert.Equal(["admin", "artist", "fan", "organizer", "venue"], roles.Where(r => !r.StartsWith("default-roles-", StringComparison.Ordinal)).Order());
        Assert.True(ActorRoles.All.SetEquals(roles.Where(r => !r.StartsWith("default-roles-", StringComparison.Ordinal))));
        var defaults = Realm["roles"]!["realm"]!.AsArray().Single(r => (string?)r!["name"] == (string?)Realm["defaultRole"]!["name"])!;
        Assert.Equal(["fan"], defaults["composites"]!["realm"]!.AsArray().Select(r => (string)r!));
    }

    [Fact]
    public void Access_tokens_carry_the_API_audience_flat_roles_and_the_tenant_attribute()
    {
        var audience = Mapper("oidc-audience-mapper");
        Assert.Equal(AuthSetup.Audience, (string?)audience["included.custom.audience"]);
        Assert.Equal("true", (string?)audience["access.token.claim"]);

        var roles = Mapper("oidc-usermodel-realm-role-mapper");
        Assert.Equal("roles", (string?)roles["claim.name"]); // what ToActor reads (not realm_access.roles)
        Assert.Equal("true", (string?)roles["multivalued"]);
        Assert.Equal("true", (string?)roles["access.token.claim"]);

        var tenant = Mapper("oidc-usermodel-attribute-mapper");
        Assert.Equal("tenant", (string?)tenant["user.attribute"]);
        Assert.Equal("tenant", (string?)tenant["claim.name"]);
        Assert.Equal("true", (string?)tenant["access.token.claim"]);
        Assert.Equal("false", (string?)tenant["multivalued"]);

        // Keycloak 24+ keeps only declared user attributes: the user profile must declare tenant, editable by admins only.
        var profile = JsonNode.Parse((string)Realm["components"]!["org.keycloak.userprofile.UserProfileProvider"]![0]!["config"]!["kc.user.profile.config"]![0]!)!;
        var declared = profile["attributes"]!.AsArray().Single(a => (string?)a!["name"] == "tenant")!;
        Assert.Equal(["admin"], declared["permissions"]!["edit"]!.AsArray().Select(p => (string)p!));
    }

    [Fact]
    public void The_web_client_is_public_and_signs_in_with_authorization_code_and_PKCE_only()
    {
        var client = Client;
        Assert.True((bool)client["publicClient"]!);
        Assert.True((bool)client["standardFlowEnabled"]!);
        Assert.False((bool)client["implicitFlowEnabled"]!);
        Assert.False((bool)client["directAccessGrantsEnabled"]!);
        Assert.False((bool)client["serviceAccountsEnabled"]!);
        Assert.Equal("S256", (string?)client["attributes"]!["pkce.code.challenge.method"]);
        Assert.Equal(["http://127.0.0.1:5080/*"], client["redirectUris"]!.AsArray().Select(u => (string)u!));
        Assert.Equal(["http://127.0.0.1:5080"], client["webOrigins"]!.AsArray().Select(u => (string)u!));
    }

    [Fact]
    public void Demo_users_have_known_roles_staff_have_a_tenant_and_passwords_must_be_changed()
    {
        foreach (var user in Realm["users"]!.AsArray())
        {
            var roles = user!["realmRoles"]!.AsArray().Select(r => (string)r!).ToList();
            Assert.All(roles, r => Assert.Contains(r, ActorRoles.All));
            var staff = roles.Any(r => r is ActorRoles.Organizer or ActorRoles.Venue or ActorRoles.Artist);
            Assert.Equal(staff, user["attributes"]?["tenant"] is not null);
            Assert.All(user["credentials"]!.AsArray(), c => Assert.True((bool)c!["temporary"]!));
        }
    }
}
