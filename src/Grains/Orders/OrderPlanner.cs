using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Orders;

namespace TicketFlash.Grains.Orders;

/// <summary>The sections an order may take its places from, in the order to try them.</summary>
internal sealed record OrderPlan(SaleTerms Terms, IReadOnlyList<SectionOffer> Candidates, bool SectionChosenByFan);

internal static class OrderPlanner
{
    public static async Task<OrderPlan> Plan(IGrainFactory grains, PlaceOrderCommand command)
    {
        // The edge checked these already (same rules, same messages); here for callers that skip the API. No grain hop.
        var seats = command.Seats?.Count ?? 0;
        if (!OrderLimits.IsQuantity(command.Quantity)) throw DomainException.Invalid(OrderLimits.QuantityMessage);
        if (!OrderLimits.SeatsMatchQuantity(seats, command.Quantity)) throw DomainException.Invalid(OrderLimits.SeatsMatchQuantityMessage);
        if (!OrderLimits.SeatsHaveSection(seats, command.SectionId)) throw DomainException.Invalid(OrderLimits.SeatsHaveSectionMessage);

        var terms = await grains.Ref<IEventGrain>(command.EventId).GetSaleTerms();
        if (terms.Status != EventStatus.OnSale)
            throw new DomainException(DomainErrorCode.NotOnSale, $"This event is not on sale (status {terms.Status}).");
        if (command.Quantity > terms.PerCustomerLimit)
            throw new DomainException(DomainErrorCode.LimitExceeded, $"The limit is {terms.PerCustomerLimit} tickets per customer for this event.");

        if (command.SectionId is { } sectionId)
        {
            var offer = terms.Sections.FirstOrDefault(s => s.SectionId == sectionId)
                ?? throw DomainException.Invalid($"Section '{sectionId}' is not sold by this event.");
            return new OrderPlan(terms, [offer], SectionChosenByFan: true);
        }
        // Best available: start at a random section so concurrent buyers spread over the section grains.
        var start = Random.Shared.Next(terms.Sections.Count);
        var rotated = terms.Sections.Skip(start).Concat(terms.Sections.Take(start)).ToList();
        return new OrderPlan(terms, rotated, SectionChosenByFan: false);
    }
}

public sealed partial class OrderGrain
{
    private async Task<(SectionOffer Offer, HoldResult Hold)> HoldSeats(string customerId, PlaceOrderCommand command, OrderPlan plan, DateTimeOffset expiresAt)
    {
        var request = new HoldRequest(this.GetPrimaryKey(), customerId, command.Quantity, command.Seats, expiresAt);
        var soldOutSections = 0;
        DomainException? last = null;
        foreach (var offer in plan.Candidates)
        {
            try
            {
                return (offer, await Inventory(command.EventId, offer.SectionId).Hold(request));
            }
            catch (DomainException refusal) when (refusal.Code is DomainErrorCode.SoldOut or DomainErrorCode.SeatsUnavailable)
            {
                if (refusal.Code == DomainErrorCode.SoldOut) soldOutSections++;
                last = refusal;
            }
        }
        if (!plan.SectionChosenByFan && soldOutSections == plan.Candidates.Count)
            throw new DomainException(DomainErrorCode.SoldOut, "This event is sold out.");
        throw new DomainException(DomainErrorCode.SeatsUnavailable, last?.Message ?? "Not enough places are available.");
    }
}
