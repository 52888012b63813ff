using TicketFlash.Abstractions.Common;

namespace TicketFlash.Grains.Tests.Infrastructure;

/// <summary>Callers as the API would pass them after validating a token. Every call makes a fresh, unique identity.</summary>
public static class Actors
{
    public static Actor Fan(string? name = null) => new($"{name ?? "fan"}-{Guid.NewGuid():N}", null, [ActorRoles.Fan]);

    public static Actor Organizer(string? tenant = null) =>
        new($"organizer-{Guid.NewGuid():N}", tenant ?? $"tenant-{Guid.NewGuid():N}", [ActorRoles.Organizer]);

    public static Actor Admin() => new($"admin-{Guid.NewGuid():N}", null, [ActorRoles.Admin]);
}
