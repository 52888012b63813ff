using Microsoft.Extensions.Logging;
using TicketFlash.Abstractions.Cancellation;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Streams;
using TicketFlash.Abstractions.Venues;
using TicketFlash.Grains.Common;

namespace TicketFlash.Grains.Events;

public sealed partial class EventGrain(
    [PersistentState("event", StorageNames.Default)] IPersistentState<EventState> evt,
    TimeProvider clock,
    ILogger<EventGrain> logger) : Grain, IEventGrain
{
    private Outbox? _outbox;
    private Task<SaleTerms>? _terms;
    private string? _termsETag;

    private Outbox Published => _outbox ??= new Outbox(this, () => evt.State.Outbox, logger);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Published.Activated();
        if (evt.RecordExists && evt.State.Status == EventStatus.Cancelled && !evt.State.RefundRunStarted)
        {
            try
            {
                await StartRefundRun(); // the cancellation was stored but its refund run not yet started: a crash in between
            }
            catch (Exception error)
            {
                logger.LogWarning(error, "Starting the refund run of cancelled event {EventId} failed; the next activation retries", this.GetPrimaryKey());
            }
        }
        await EnsureExpiryScheduled();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (!evt.RecordExists || !Published.HasUnsavedRemovals) return;
        try
        {
            Published.Snapshot();
            await evt.WriteStateAsync(); // drop published events from storage so they are not published again
        }
        catch (Exception error)
        {
            logger.LogDebug(error, "Tidying the event's outbox at deactivation failed; the next activation republishes");
        }
    }

    public async Task<EventDetails> Create(Actor actor, CreateEventCommand command)
    {
        if (evt.RecordExists) throw DomainException.State("This event already exists.");
        var venue = await GrainFactory.Ref<IVenueGrain>(command.VenueId).Get();
        if (!actor.CanManage(venue.Tenant)) throw DomainException.Forbidden("Organizers create events only in their own tenant's venues.");
        var sections = EventRules.Validate(command, venue);

        evt.State = new EventState
        {
            Tenant = venue.Tenant,
            Name = command.Name,
            VenueId = command.VenueId,
            StartsAt = command.StartsAt,
            EndsAt = command.EndsAt,
            Status = EventStatus.Draft,
            Tiers = [.. command.Tiers],
            Sections = sections,
            PerCustomerLimit = command.PerCustomerLimit,
            HoldDuration = command.HoldDuration,
            TransferFreezeHours = command.TransferFreezeHours,
            ResaleCapPercent = command.ResaleCapPercent,
        };
        await InitializeInventories();
        await evt.WriteStateAsync();
        await PublishCatalogEntry();
        await EnsureExpiryScheduled();
        return Describe();
    }

    public Task<EventDetails> Get() => Task.FromResult(Describe());

    public async Task<Abstractions.Cancellation.RefundProgress> GetRefundProgress(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        EnsureExists();
        if (!actor.CanManage(evt.State.Tenant)) throw DomainException.Forbidden("Only the event's organizer or an admin sees its refunds.");
        return await GrainFactory.Ref<Abstractions.Cancellation.IRefundRunGrain>(this.GetPrimaryKey()).GetProgress();
    }

    /// <summary>Asked twice per purchase (hold, pay): built once per stored version of the event, not per call.</summary>
    public Task<SaleTerms> GetSaleTerms()
    {
        EnsureExists();
        if (_terms is null || _termsETag != evt.Etag)
        {
            _terms = Task.FromResult(BuildSaleTerms());
            _termsETag = evt.Etag;
        }
        return _terms;
    }

    private SaleTerms BuildSaleTerms()
    {
        var offers = new List<SectionOffer>(evt.State.Sections.Count);
        foreach (var tier in evt.State.Tiers)
        {
            foreach (var sectionId in tier.Sections)
            {
                var section = evt.State.Sections.First(s => s.Id == sectionId);
                offers.Add(new SectionOffer(sectionId, tier.Id, tier.Price, tier.Currency, section.IsReservedSeating, section.TotalCapacity));
            }
        }
        return new SaleTerms(this.GetPrimaryKey(), evt.State.Status, evt.State.PerCustomerLimit, evt.State.HoldDuration, offers, evt.State.Tenant);
    }

    public async Task<EventDetails> ChangeStatus(Actor actor, EventStatus target)
    {
        EnsureExists();
        if (!actor.CanManage(evt.State.Tenant)) throw DomainException.Forbidden("Only the event's organizer may change its sale status.");
        if (evt.State.Status == target)
        {
            // A cancellation whose refund run failed to start: the organizer's retry starts it (the run starts once).
            if (target == EventStatus.Cancelled && !evt.State.RefundRunStarted) await StartRefundRun();
            return Describe();
        }
        if (!EventStatusRules.CanMove(evt.State.Status, target))
            throw DomainException.State($"An event in status {evt.State.Status} cannot move to {target}.");
        if (target == EventStatus.OnSale) await InitializeInventories();

        var now = clock.GetUtcNow();
        DomainEvent change = target == EventStatus.OnSale && evt.State.Status == EventStatus.Draft
            ? new EventOpened(Guid.NewGuid(), this.GetPrimaryKey(), now, evt.State.Name)
            : new EventStatusChanged(Guid.NewGuid(), this.GetPrimaryKey(), now, target.ToString());
        evt.State.Status = target;
        evt.State.Outbox.Add(change);
        var events = Published.Snapshot();
        await evt.WriteOrReloadAsync(DeactivateOnIdle);
        Published.Durable(events);
        await PublishCatalogEntry();
        if (target == EventStatus.Cancelled) await StartRefundRun();
        return Describe();
    }

    /// <summary>Every sold ticket is refunded by a run of its own that resumes after restarts; the event only starts it once.</summary>
    private async Task StartRefundRun()
    {
        await GrainFactory.Ref<IRefundRunGrain>(this.GetPrimaryKey())
            .Start("The event was cancelled.", [.. evt.State.Sections.Select(s => s.Id)]);
        evt.State.RefundRunStarted = true;
        await evt.WriteOrReloadAsync(DeactivateOnIdle);
    }

    /// <summary>Idempotent: an inventory that exists keeps its holds and sales.</summary>
    private Task InitializeInventories() =>
        Task.WhenAll(evt.State.Sections.Select(section =>
            GrainFactory.Ref<IInventoryGrain>(InventoryKeys.For(this.GetPrimaryKey(), section.Id))
                .Initialize(new InventorySetup(this.GetPrimaryKey(), section))));

    private Task PublishCatalogEntry() => GrainFactory.Ref<IEventCatalogGrain>(IEventCatalogGrain.Key).Upsert(Describe());

    private void EnsureExists()
    {
        if (!evt.RecordExists) throw DomainException.NotFound("Event");
    }

    private EventDetails Describe()
    {
        EnsureExists();
        var s = evt.State;
        return new EventDetails(this.GetPrimaryKey(), s.Tenant, s.Name, s.VenueId, s.StartsAt, s.EndsAt, s.Status, s.Tiers, s.Sections,
            s.PerCustomerLimit, s.HoldDuration.TotalMinutes, s.TransferFreezeHours, s.ResaleCapPercent);
    }
}
