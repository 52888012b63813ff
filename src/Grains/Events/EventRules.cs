using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Venues;

namespace TicketFlash.Grains.Events;

public static class EventRules
{
    public const int MaxPerCustomerLimit = EventLimits.MaxPerCustomerLimit;

    /// <summary>Checks the command against the venue; returns the venue sections the event sells.</summary>
    public static List<SectionDefinition> Validate(CreateEventCommand command, VenueDetails venue)
    {
        // The field rules are EventLimits' (the API checked them already, with the same messages).
        if (!EventLimits.IsName(command.Name)) throw DomainException.Invalid(EventLimits.NameMessage);
        if (!EventLimits.EndsAfterStart(command.StartsAt, command.EndsAt)) throw DomainException.Invalid(EventLimits.EndsAtMessage);
        if (!EventLimits.IsPerCustomerLimit(command.PerCustomerLimit)) throw DomainException.Invalid(EventLimits.PerCustomerLimitMessage);
        if (!EventLimits.IsHoldMinutes(command.HoldDuration.TotalMinutes)) throw DomainException.Invalid(EventLimits.HoldMinutesMessage);
        if (!EventLimits.IsTransferFreezeHours(command.TransferFreezeHours)) throw DomainException.Invalid(EventLimits.TransferFreezeHoursMessage);
        if (!EventLimits.IsResaleCapPercent(command.ResaleCapPercent)) throw DomainException.Invalid(EventLimits.ResaleCapPercentMessage);
        if (command.Tiers.Count == 0) throw DomainException.Invalid("An event needs at least one price tier.");

        var sold = new List<SectionDefinition>();
        var tierIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tier in command.Tiers)
        {
            if (string.IsNullOrWhiteSpace(tier.Id) || !tierIds.Add(tier.Id)) throw DomainException.Invalid("Tier ids must be present and unique.");
            if (!EventLimits.IsTierPrice(tier.Price)) throw DomainException.Invalid($"Tier '{tier.Id}': {EventLimits.TierPriceMessage}.");
            if (!EventLimits.IsCurrency(tier.Currency)) throw DomainException.Invalid($"Tier '{tier.Id}': {EventLimits.CurrencyMessage}.");
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
