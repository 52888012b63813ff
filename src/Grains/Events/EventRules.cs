using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Venues;

namespace TicketFlash.Grains.Events;

public static class EventRules
{
    public const int MaxPerCustomerLimit = 100;
    public static readonly TimeSpan MinHold = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan MaxHold = TimeSpan.FromHours(1);

    /// <summary>Checks the command against the venue; returns the venue sections the event sells.</summary>
    public static List<SectionDefinition> Validate(CreateEventCommand command, VenueDetails venue)
    {
        if (string.IsNullOrWhiteSpace(command.Name) || command.Name.Length > 200) throw DomainException.Invalid("An event needs a name of 1–200 characters.");
        if (command.EndsAt <= command.StartsAt) throw DomainException.Invalid("endsAt must be after startsAt.");
        if (command.PerCustomerLimit is < 1 or > MaxPerCustomerLimit) throw DomainException.Invalid($"perCustomerLimit must be 1–{MaxPerCustomerLimit}.");
        if (command.HoldDuration < MinHold || command.HoldDuration > MaxHold) throw DomainException.Invalid("holdMinutes must be between 0.05 and 60.");
        if (command.TransferFreezeHours is < 0 or > 24 * 30) throw DomainException.Invalid("transferFreezeHours must be 0–720.");
        if (command.ResaleCapPercent is < 0 or > EventDefaults.MaxResaleCapPercent)
            throw DomainException.Invalid($"resaleCapPercent must be 0–{EventDefaults.MaxResaleCapPercent}.");
        if (command.Tiers.Count == 0) throw DomainException.Invalid("An event needs at least one price tier.");

        var sold = new List<SectionDefinition>();
        var tierIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tier in command.Tiers)
        {
            if (string.IsNullOrWhiteSpace(tier.Id) || !tierIds.Add(tier.Id)) throw DomainException.Invalid("Tier ids must be present and unique.");
            if (tier.Price < 0 || tier.Price > 1_000_000) throw DomainException.Invalid($"Tier '{tier.Id}' has an invalid price.");
            if (tier.Currency is not { Length: 3 } || !tier.Currency.All(char.IsAsciiLetterUpper)) throw DomainException.Invalid($"Tier '{tier.Id}' needs an ISO 4217 currency like EUR.");
            if (tier.Sections.Count == 0) throw DomainException.Invalid($"Tier '{tier.Id}' sells no section.");
            foreach (var sectionId in tier.Sections)
            {
                var section = venue.Sections.FirstOrDefault(s => s.Id == sectionId)
                    ?? throw DomainException.Invalid($"Section '{sectionId}' is not part of the venue.");
                if (sold.Contains(section)) throw DomainException.Invalid($"Section '{sectionId}' is in two tiers.");
                sold.Add(section);
            }
        }
        if (command.Tiers.Select(t => t.Currency).Distinct().Count() > 1) throw DomainException.Invalid("All tiers of an event use one currency.");
        return sold;
    }
}
