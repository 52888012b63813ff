using System.Security.Claims;

namespace TicketFlash.Api.Abuse;

/// <summary>
/// A validly signed token whose <c>sub</c> is missing, over 256 characters or holds control characters names nobody
/// usable: it cannot be limited per user, and it failed deep inside (no <c>sub</c>: the handler; a NUL: PostgreSQL, as
/// the customer grain's key), both 500s found by the fuzz test. Right after authentication such a caller becomes
/// anonymous, so the authorization fallback answers 401 like any other unusable token. (Its natural home is the token
/// validation in AuthSetup, which another change owns; move it there when they meet.)
/// </summary>
public static class SubjectRequired
{
    public static WebApplication UseSubjectRequired(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            if (http.User.Identity?.IsAuthenticated == true && !IsUsable(http.User.FindFirst("sub")?.Value))
                http.User = new ClaimsPrincipal(new ClaimsIdentity());
            return next(http);
        });
        return app;
    }

    internal static bool IsUsable(string? sub) => sub is { Length: > 0 and <= 256 } && !sub.Any(char.IsControl);
}
