using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TicketFlash.Abstractions.Common;

namespace TicketFlash.Api.Auth;

/// <summary>
/// JWT bearer only. Either an OIDC issuer (Auth:Authority + Auth:Audience, e.g. a Keycloak realm; see ConfigureOidc) or,
/// for development and tests, tokens signed with Auth:SigningKey (HMAC-SHA256). Issuer, audience, lifetime and signature
/// are always checked. Identity comes from the validated token alone: `sub`, a flat `roles` claim, `tenant`.
/// </summary>
public static class AuthSetup
{
    public const string Issuer = "ticketflash-dev";
    public const string Audience = "ticketflash";

    public static WebApplicationBuilder AddTicketFlashAuth(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var authority = config["Auth:Authority"];
        SymmetricSecurityKey? devKey = null;
        if (string.IsNullOrEmpty(authority))
        {
            var secret = config["Auth:SigningKey"];
            if (string.IsNullOrEmpty(secret))
            {
                if (!builder.Environment.IsDevelopment())
                    throw new InvalidOperationException("Set Auth:Authority (OIDC) or Auth:SigningKey; no default key outside Development.");
                secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)); // per-process dev key
            }
            devKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret));
            if (devKey.KeySize < 256) throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes.");
        }
        builder.Services.AddSingleton(new DevTokenKey(devKey));

        // One per node, held by the handlers below: no service lookup on every request.
        var validated = new ValidatedTokens(TimeProvider.System, maxAge: config.GetValue<TimeSpan?>("Auth:ValidatedTokensMaxAge"));
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            var audience = config["Auth:Audience"] ?? Audience;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidAudience = audience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true, // refuses alg "none"
                ValidateIssuerSigningKey = true,
                NameClaimType = "sub",
                RoleClaimType = "roles",
                ClockSkew = config.GetValue<TimeSpan?>("Auth:ClockSkew") ?? TimeSpan.FromSeconds(30),
            };
            if (devKey is null) ConfigureOidc(o, config, builder.Environment);
            else
            {
                o.TokenValidationParameters.ValidIssuer = Issuer;
                o.TokenValidationParameters.IssuerSigningKey = devKey;
                o.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            }
            o.Events = new JwtBearerEvents
            {
                OnMessageReceived = ctx =>
                {
                    // SignalR sends the token as a query parameter on WebSocket connects.
                    if (ctx.HttpContext.Request.Path.StartsWithSegments("/hubs") && ctx.Request.Query["access_token"] is { Count: > 0 } token)
                        ctx.Token = token;
                    var bearer = ctx.Token is { } queryToken ? queryToken.AsSpan() : BearerToken(ctx.Request.Headers.Authorization);
                    if (!bearer.IsEmpty && validated.TryGet(bearer, out var principal))
                    {
                        ctx.Principal = principal;
                        ctx.Success();
                    }
                    return Task.CompletedTask;
                },
                OnTokenValidated = ctx =>
                {
                    // A validly signed token must still name somebody usable: no `sub`, or control characters in it (a
                    // NUL fails deep inside, as a grain key in PostgreSQL), is refused like a bad signature (401).
                    if (!IsUsableSubject(ctx.Principal?.FindFirstValue("sub")))
                    {
                        ctx.Fail("The token's 'sub' is missing, over 256 characters or holds control characters.");
                        return Task.CompletedTask;
                    }
                    if (ctx.SecurityToken is JsonWebToken { EncodedToken: { } encoded } jwt && ctx.Principal is { } principal)
                        validated.Remember(encoded, principal, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
                    return Task.CompletedTask;
                },
            };
        });
        if (devKey is null)
        {
            // After AddJwtBearer's own post-configuration, which makes the metadata manager. By default a key that
            // left the JWKS is still tried for an hour ("last known good" configuration): a withdrawn key is
            // refused once the JWKS has been fetched again instead.
            builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
            {
                if (o.ConfigurationManager is BaseConfigurationManager metadata) metadata.UseLastKnownGoodConfiguration = false;
            });
        }
        // Deny by default: every endpoint needs a validated token unless it says AllowAnonymous. Roles and tenants are not
        // checked here: the grain that owns the resource decides (docs/decisions/0003-where-rules-live.md).
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }

    /// <summary>Asymmetric JWS algorithms an OIDC issuer may sign access tokens with; never "none", never a shared secret.</summary>
    public static readonly string[] OidcAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>
    /// Any OIDC issuer: metadata and signing keys from Auth:Authority's discovery document and JWKS. The issuer is the
    /// discovered one, or Auth:Issuer when set (then only it). A token signed by a key the JWKS doesn't hold makes the
    /// handler fetch the JWKS again (at most once per Auth:JwksRefreshInterval), so an issuer's key rotation is followed.
    /// </summary>
    private static void ConfigureOidc(JwtBearerOptions o, IConfiguration config, IHostEnvironment env)
    {
        o.Authority = config["Auth:Authority"];
        o.RequireHttpsMetadata = config.GetValue<bool?>("Auth:RequireHttpsMetadata") ?? !env.IsDevelopment();
        o.RefreshOnIssuerKeyNotFound = true;
        o.RefreshInterval = config.GetValue<TimeSpan?>("Auth:JwksRefreshInterval") ?? TimeSpan.FromMinutes(5);
        o.AutomaticRefreshInterval = config.GetValue<TimeSpan?>("Auth:JwksAutomaticRefreshInterval") ?? TimeSpan.FromHours(12);
        var parameters = o.TokenValidationParameters;
        parameters.ValidAlgorithms = OidcAlgorithms;
        if (config["Auth:Issuer"] is { Length: > 0 } issuer)
        {
            // A delegate, because the handler would otherwise accept the discovered issuer as well.
            parameters.IssuerValidator = (actual, _, _) => string.Equals(actual, issuer, StringComparison.Ordinal)
                ? actual
                : throw new SecurityTokenInvalidIssuerException($"Issuer '{actual}' is not the configured Auth:Issuer.");
        }
    }

    /// <summary>The token of an "Authorization: Bearer …" header, without copying it (empty when there is none).</summary>
    private static ReadOnlySpan<char> BearerToken(string? authorization) =>
        authorization is { Length: > 7 } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value.AsSpan(7).Trim() : default;

    internal static bool IsUsableSubject(string? sub) => sub is { Length: > 0 and <= 256 } && !sub.Any(char.IsControl);

    /// <summary>The acting user, from the validated token's claims.</summary>
    public static Actor ToActor(this ClaimsPrincipal user)
    {
        var sub = user.FindFirstValue("sub") ?? throw new InvalidOperationException("Authenticated principal without 'sub'.");
        var roles = user.FindAll("roles").Select(c => c.Value).Where(ActorRoles.All.Contains).Distinct().ToList();
        return new Actor(sub, user.FindFirstValue("tenant"), roles);
    }
}

public sealed record DevTokenKey(SymmetricSecurityKey? Key);
