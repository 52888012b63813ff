using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TicketFlash.Abstractions.Common;

namespace TicketFlash.Api.Auth;

/// <summary>
/// JWT bearer only. Either an OIDC issuer (Auth:Authority + Auth:Audience, e.g. a Keycloak realm) or, for development
/// and tests, tokens signed with Auth:SigningKey (HMAC-SHA256). Identity and tenant come from the validated token alone.
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
        var validated = new ValidatedTokens(TimeProvider.System);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            if (devKey is null)
            {
                o.Authority = authority;
                o.Audience = config["Auth:Audience"] ?? Audience;
                o.RequireHttpsMetadata = !builder.Environment.IsDevelopment();
            }
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = devKey is not null,
                ValidIssuer = Issuer,
                ValidateAudience = true,
                ValidAudience = config["Auth:Audience"] ?? Audience,
                ValidateLifetime = true,
                IssuerSigningKey = devKey,
                ValidateIssuerSigningKey = devKey is not null,
                NameClaimType = "sub",
                RoleClaimType = "roles",
                ClockSkew = TimeSpan.FromSeconds(30),
            };
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
                    if (ctx.SecurityToken is JsonWebToken { EncodedToken: { } encoded } jwt && ctx.Principal is { } principal)
                        validated.Remember(encoded, principal, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
                    return Task.CompletedTask;
                },
            };
        });
        // Deny by default: every endpoint needs a validated token unless it says AllowAnonymous. Roles and tenants are not
        // checked here: the grain that owns the resource decides (docs/decisions/0121-where-rules-live.md).
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }

    /// <summary>The token of an "Authorization: Bearer …" header, without copying it (empty when there is none).</summary>
    private static ReadOnlySpan<char> BearerToken(string? authorization) =>
        authorization is { Length: > 7 } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value.AsSpan(7).Trim() : default;

    /// <summary>The acting user, from the validated token's claims.</summary>
    public static Actor ToActor(this ClaimsPrincipal user)
    {
        var sub = user.FindFirstValue("sub") ?? throw new InvalidOperationException("Authenticated principal without 'sub'.");
        var roles = user.FindAll("roles").Select(c => c.Value).Where(ActorRoles.All.Contains).Distinct().ToList();
        return new Actor(sub, user.FindFirstValue("tenant"), roles);
    }
}

public sealed record DevTokenKey(SymmetricSecurityKey? Key);
