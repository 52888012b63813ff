using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Venues;
using TicketFlash.Grains.Common;

namespace TicketFlash.Grains.Venues;

public sealed class VenueState
{
    public string Tenant { get; set; } = "";
    public string Name { get; set; } = "";
    public List<SectionDefinition> Sections { get; set; } = [];
}

public sealed class VenueGrain([PersistentState("venue", StorageNames.Default)] IPersistentState<VenueState> venue) : Grain, IVenueGrain
{
    public async Task<VenueDetails> Create(Actor actor, string name, IReadOnlyList<SectionDefinition> sections)
    {
        if (!actor.IsOrganizer && !actor.IsAdmin) throw DomainException.Forbidden("Only organizers create venues.");
        if (actor.Tenant is null) throw DomainException.Forbidden("The token carries no tenant.");
        if (venue.RecordExists) throw DomainException.State("This venue already exists.");
        VenueRules.Validate(name, sections);
        venue.State = new VenueState { Tenant = actor.Tenant, Name = name, Sections = [.. sections] };
        await venue.WriteOrReloadAsync(DeactivateOnIdle);
        return Describe();
    }

    public Task<VenueDetails> Get() =>
        venue.RecordExists ? Task.FromResult(Describe()) : throw DomainException.NotFound("Venue");

    private VenueDetails Describe() => new(this.GetPrimaryKey(), venue.State.Tenant, venue.State.Name, venue.State.Sections);
}

/// <summary>A venue's shape rules, checked by the grain whatever the caller (the API checks the same at the edge).</summary>
public static class VenueRules
{
    public const int MaxSections = VenueLimits.MaxSections;
    public const int MaxSeatsPerSection = 100_000;

    public static void Validate(string name, IReadOnlyList<SectionDefinition> sections)
    {
        // The field rules are VenueLimits' (the API checked them already, with the same messages).
        if (!VenueLimits.IsName(name)) throw DomainException.Invalid(VenueLimits.NameMessage);
        if (!VenueLimits.IsSectionCount(sections.Count)) throw DomainException.Invalid(VenueLimits.SectionsMessage);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in sections)
        {
            if (!VenueLimits.IsSectionId(section.Id)) throw DomainException.Invalid(VenueLimits.SectionIdMessage);
            if (!ids.Add(section.Id)) throw DomainException.Invalid($"Section id '{section.Id}' appears twice.");
            var reserved = section.Rows is not null || section.SeatsPerRow is not null;
            if (reserved == (section.Capacity is not null))
                throw DomainException.Invalid($"Section '{section.Id}' must have either rows and seatsPerRow (reserved seating) or capacity (general admission).");
            if (reserved && (section.Rows is null or < 1 or > 500 || section.SeatsPerRow is null or < 1 or > 500))
                throw DomainException.Invalid($"Section '{section.Id}' needs 1–500 rows and 1–500 seats per row.");
            if (!reserved && section.Capacity is < 1)
                throw DomainException.Invalid($"Section '{section.Id}' needs a positive capacity.");
            if (section.TotalCapacity > MaxSeatsPerSection)
                throw DomainException.Invalid($"Section '{section.Id}' exceeds {MaxSeatsPerSection} places.");
        }
    }
}
