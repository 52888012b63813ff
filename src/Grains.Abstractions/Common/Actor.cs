namespace TicketFlash.Abstractions.Common;

/// <summary>Who is acting: taken by the API from the validated token only, and passed to grains so they decide access.</summary>
[GenerateSerializer, Immutable, Alias("tf.Actor")]
public sealed record Actor(
    [property: Id(0)] string UserId,
    [property: Id(1)] string? Tenant,
    [property: Id(2)] IReadOnlyList<string> Roles)
{
    public bool IsAdmin => Roles.Contains(ActorRoles.Admin);

    public bool IsOrganizer => Roles.Contains(ActorRoles.Organizer) || Roles.Contains(ActorRoles.Artist) || Roles.Contains(ActorRoles.Venue);

    /// <summary>An admin may act anywhere; an organizer (or artist / venue owner) only inside its own tenant.</summary>
    public bool CanManage(string ownerTenant) => IsAdmin || (IsOrganizer && Tenant is not null && Tenant == ownerTenant);

    /// <summary>Money and revocation: an admin, or an organizer/artist of the tenant; venue (gate) staff may not.</summary>
    public bool CanAdminister(string ownerTenant) =>
        IsAdmin || ((Roles.Contains(ActorRoles.Organizer) || Roles.Contains(ActorRoles.Artist)) && Tenant is not null && Tenant == ownerTenant);
}

public static class ActorRoles
{
    public const string Fan = "fan";
    public const string Organizer = "organizer";
    public const string Artist = "artist";
    public const string Venue = "venue";
    public const string Admin = "admin";

    public static readonly IReadOnlySet<string> All = new HashSet<string>([Fan, Organizer, Artist, Venue, Admin]);
}
