namespace TicketFlash.Abstractions.Venues;

/// <summary>Field rules of creating a venue, defined once for the API (field-level 400) and the venue grain (same predicate, same message).</summary>
public static class VenueLimits
{
    public const int MaxNameLength = 200;
    public const int MaxSections = 200;
    public const int MaxSectionIdLength = 32;

    public const string NameMessage = "name is 1–200 characters";
    public static readonly string SectionsMessage = $"a venue has 1–{MaxSections} sections";
    public const string SectionIdMessage = "id is 1–32 characters without '/'";

    public static bool IsName(string? name) => name is { Length: > 0 and <= MaxNameLength } && !string.IsNullOrWhiteSpace(name);

    public static bool IsSectionCount(int? count) => count is > 0 and <= MaxSections;

    public static bool IsSectionId(string? id) => id is { Length: > 0 and <= MaxSectionIdLength } && !string.IsNullOrWhiteSpace(id) && !id.Contains('/');
}
