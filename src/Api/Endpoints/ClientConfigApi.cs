using Microsoft.AspNetCore.Http.HttpResults;
using TicketFlash.Api.Auth;

namespace TicketFlash.Api.Endpoints;

/// <summary>How the browser app signs in: with an OIDC issuer (authorization code + PKCE), or, in Development only, the development sign-in.</summary>
public sealed record OidcClientConfig(string Authority, string ClientId, string Scope, string Resource);

/// <summary>Which payment gateway the silos use, and Stripe's publishable key (public by design) when it is Stripe.</summary>
public sealed record PaymentsClientConfig(string Gateway, string? StripePublishableKey);

public sealed record ClientConfig(OidcClientConfig? Oidc, bool DevSignIn, PaymentsClientConfig Payments);

/// <summary>
/// Public runtime settings of the browser app, so one build runs against any issuer and gateway. Holds nothing secret:
/// an OIDC client id and a Stripe publishable key are meant to be seen by browsers.
/// </summary>
public static class ClientConfigApi
{
    public static void MapClientConfigApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/config", Get).WithTags("Config").AllowAnonymous();

    private static Ok<ClientConfig> Get(IConfiguration config, IHostEnvironment env, DevTokenKey devKey)
    {
        var authority = config["Auth:Authority"];
        var oidc = string.IsNullOrEmpty(authority)
            ? null
            : new OidcClientConfig(authority, config["Auth:Web:ClientId"] ?? "ticketflash-web", config["Auth:Web:Scope"] ?? "openid profile",
                // RFC 8707 resource indicator the browser asks for (oidc-provider wants an absolute URI; Keycloak ignores it).
                config["Auth:Web:Resource"] ?? config["Auth:Audience"] ?? AuthSetup.Audience);
        var gateway = config["Payments:Gateway"] ?? "Simulated";
        var publishableKey = gateway == "Stripe" ? config["Payments:Stripe:PublishableKey"] : null;
        return TypedResults.Ok(new ClientConfig(oidc, env.IsDevelopment() && devKey.Key is not null, new PaymentsClientConfig(gateway, publishableKey)));
    }
}
