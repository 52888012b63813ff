using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TicketFlash.Abstractions.Common;
using TicketFlash.Api.Auth;
using TicketFlash.Api.Infrastructure;

namespace TicketFlash.Api.Endpoints;

public sealed record DevTokenRequest(string? Sub, string[]? Roles, string? Tenant);

public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>Development-only token issuer. Not mapped outside Development, nor when an OIDC authority is configured.</summary>
public static class DevApi
{
    public static void MapDevApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/dev").WithTags("Development").AllowAnonymous()
            .MapPost("/token", IssueToken);
    }

    private static Results<Ok<TokenResponse>, ValidationProblem> IssueToken(DevTokenRequest request, DevTokenKey key, TimeProvider clock)
    {
        var roles = request.Roles ?? [ActorRoles.Fan];
        var validator = new Validator()
            .Check(request.Sub is { Length: > 0 and <= 128 } && request.Sub.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@'),
                "sub", "sub is 1–128 characters of letters, digits, - _ . @")
            .Check(roles.All(ActorRoles.All.Contains), "roles", $"roles are among: {string.Join(", ", ActorRoles.All)}")
            .Check(request.Tenant is null || request.Tenant.Length is > 0 and <= 64, "tenant", "tenant is 1–64 characters");
        if (!validator.IsValid) return validator.Problem();

        var expires = clock.GetUtcNow().AddHours(8);
        var claims = new List<Claim> { new("sub", request.Sub!) };
        claims.AddRange(roles.Select(r => new Claim("roles", r)));
        if (request.Tenant is not null) claims.Add(new Claim("tenant", request.Tenant));
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthSetup.Issuer,
            Audience = AuthSetup.Audience,
            Subject = new ClaimsIdentity(claims),
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(key.Key, SecurityAlgorithms.HmacSha256),
        });
        return TypedResults.Ok(new TokenResponse(token, expires));
    }
}
