using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;
using TicketFlash.Abstractions.CheckIn;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Resale;
using TicketFlash.Abstractions.Streams;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.CheckIn;
using TicketFlash.Grains.Common;
using TicketFlash.Grains.Customers;
using TicketFlash.Grains.Events;
using TicketFlash.Grains.Inventory;
using TicketFlash.Grains.Orders;
using TicketFlash.Grains.Resale;
using TicketFlash.Grains.Sweeps;
using TicketFlash.Grains.Tickets;
using TicketFlash.Grains.Tests.Infrastructure;
using TicketFlash.Silo.Hosting;
using ProductionSerializer = TicketFlash.Silo.Hosting.SystemTextJsonGrainStorageSerializer;

namespace TicketFlash.Grains.Tests.Storage;

/// <summary>Grain state must come back from storage as it went in, or a reactivated grain cannot serve.</summary>
public sealed class GrainStateSerializationTests
{
    private static readonly Guid EventId = Guid.NewGuid();
    private static readonly Guid OrderId = OrderIds.Derive("fan", "key");
    private static readonly DateTimeOffset At = new(2030, 5, 1, 20, 0, 0, TimeSpan.Zero);

    private static OrderState SampleOrder() => new()
    {
        CustomerId = "fan",
        EventId = EventId,
        SectionId = "floor",
        Status = OrderStatus.Confirmed,
        Quantity = 2,
        Seats = ["A-1", "A-2"],
        UnitPrice = 12.5m,
        Currency = "EUR",
        CreatedAt = At,
        ExpiresAt = At.AddMinutes(10),
        ConfirmedAt = At.AddMinutes(1),
        PaymentId = "sim_ch_1",
        RequestFingerprint = "fp",
        Outbox =
        [
            new OrderConfirmed(Guid.NewGuid(), EventId, At, OrderId, "fan", 2, 25m, "EUR"),
            new TicketIssued(Guid.NewGuid(), EventId, At, OrderIds.TicketId(OrderId, 0), OrderId, "fan", "floor", "A-1"),
            new OrderClosed(Guid.NewGuid(), EventId, At, OrderId, "Cancelled"),
        ],
    };

    public static TheoryData<string> StateKinds => ["order", "inventory", "event", "customer", "ticket", "listing", "resale", "sweep", "roster", "checkin"];

    private static readonly ListingTerms Terms = new(Guid.NewGuid(), OrderIds.TicketId(OrderId, 0), EventId, "floor", "A-1", "fan", 20m, "EUR", 25m, At);

    private static List<string> Ledger()
    {
        var pages = new List<string>();
        SoldOrderLedger.Append(pages, OrderId, 2);
        return pages;
    }

    private static object Sample(string kind) => kind switch
    {
        "order" => SampleOrder(),
        "inventory" => new InventoryState
        {
            EventId = EventId, SectionId = "floor", Rows = 1, SeatsPerRow = 3, Capacity = 3, SeatMap = "hs.", Sold = 1,
            Holds = { [OrderId] = new HoldRecord { CustomerId = "fan", Quantity = 1, SeatIndexes = [0], ExpiresAt = At } },
            SoldOrders = Ledger(),
            Outbox =
            [
                new SeatsHeld(Guid.NewGuid(), EventId, At, "floor", OrderId, 1, ["A-1"]),
                new SeatsSold(Guid.NewGuid(), EventId, At, "floor", OrderId, 1, ["A-2"]),
                new SeatsReleased(Guid.NewGuid(), EventId, At, "floor", OrderId, 1, ["A-3"]),
            ],
        },
        "event" => new EventState
        {
            Tenant = "t", Name = "Gig", VenueId = Guid.NewGuid(), StartsAt = At, EndsAt = At.AddHours(2), Status = EventStatus.OnSale,
            Tiers = [new PriceTier("std", "Standard", 10m, "EUR", new[] { "floor" }.AsReadOnly())],
            Sections = [Sections.Reserved("floor", 1, 3), Sections.GeneralAdmission("pit", 10)],
            PerCustomerLimit = 4, HoldDuration = TimeSpan.FromSeconds(90), ResaleCapPercent = 120, RefundRunStarted = true, ExpiryRunStarted = true,
            Outbox = [new EventOpened(Guid.NewGuid(), EventId, At, "Gig"), new EventStatusChanged(Guid.NewGuid(), EventId, At, "Paused")],
        },
        "customer" => new CustomerState
        {
            Reservations = { [EventId] = new() { [OrderId] = new Reservation { Quantity = 2, ExpiresAt = At, Confirmed = true } } },
            OrderIds = [OrderId],
            Proceeds = [new SaleProceeds(Terms.ListingId, Terms.TicketId, EventId, 20m, "EUR", At, "sim_ch_2")],
        },
        "ticket" => new TicketState
        {
            OrderId = OrderId, EventId = EventId, SectionId = "floor", SeatId = "A-1", OwnerId = "fan", Status = TicketStatus.Active, Serial = 1,
            History = [new TicketTransition(TicketStatus.Sold, TicketStatus.Active, At, "system", "no minting configured")],
            ListingId = Terms.ListingId, SoldListings = [Guid.NewGuid()], DeviceKey = [0x04, .. new byte[64]], DeviceBoundAt = At,
        },
        "listing" => new ListingState
        {
            Terms = Terms, Status = ListingStatus.Sold, BuyerId = "buyer", BuyKey = "k", PaymentAttempt = 1, PaymentId = "sim_ch_2", SoldAt = At, Settled = true,
        },
        "resale" => new ResaleState { Open = { [Terms.ListingId] = new ListingDetails(Terms, ListingStatus.Open, null, null, null) } },
        "sweep" => new SweepState
        {
            Started = true, Reason = "cancelled", Sections = ["floor", "pit"], Done = { ["floor"] = 3 }, CurrentSection = "floor", OrdersVisited = 3,
            Outcomes = { ["Refunded"] = 5 }, StartedAt = At,
        },
        "roster" => new RosterState { Tickets = { [Terms.TicketId] = new RosterRow(2, TicketStatus.Transferred, 4, 7, [1, 2, 3]) }, Sequence = 7 },
        "checkin" => new CheckInState
        {
            Gates = { ["north"] = new GateTally { Admitted = 3, Refused = 1 } }, AdmittedPerMinute = { [29_000_000] = 3 },
            SyncedScans = { ["abc"] = CheckInResult.AlreadyCheckedIn },
            Conflicts = [new CheckInConflict(Terms.TicketId, "south", At, "north", At.AddMinutes(1), "north-1", At.AddHours(1))],
        },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static object RoundTrip(IGrainStorageSerializer serializer, object state)
    {
        var deserialize = typeof(IGrainStorageSerializer).GetMethod(nameof(IGrainStorageSerializer.Deserialize))!.MakeGenericMethod(state.GetType());
        var serialize = typeof(IGrainStorageSerializer).GetMethod(nameof(IGrainStorageSerializer.Serialize))!.MakeGenericMethod(state.GetType());
        var data = (BinaryData)serialize.Invoke(serializer, [state])!;
        try
        {
            return deserialize.Invoke(serializer, [data])!;
        }
        catch (System.Reflection.TargetInvocationException error) when (error.InnerException is not null)
        {
            throw error.InnerException;
        }
    }

    /// <summary>A comparable picture of a state: its JSON with polymorphic events tagged by their $kind.</summary>
    private static string Picture(object state) => JsonSerializer.Serialize(state, state.GetType(), new JsonSerializerOptions { WriteIndented = false });

    [Theory]
    [MemberData(nameof(StateKinds))]
    public void Every_grain_state_round_trips_through_the_production_serializer(string kind)
    {
        var state = Sample(kind);

        var back = RoundTrip(new ProductionSerializer(), state);

        Assert.IsType(state.GetType(), back);
        Assert.Equal(Picture(state), Picture(back));
    }

    [Fact]
    public void Domain_events_in_an_outbox_keep_their_concrete_type_and_id()
    {
        var order = SampleOrder();

        var back = (OrderState)RoundTrip(new ProductionSerializer(), order);

        Assert.Equal(order.Outbox.Select(e => (e.GetType(), e.Id)), back.Outbox.Select(e => (e.GetType(), e.Id)));
        Assert.Equal(OrderIds.TicketId(OrderId, 0), Assert.IsType<TicketIssued>(back.Outbox[1]).TicketId);
    }

    /// <summary>
    /// The silo's documented in-memory mode (Storage:Mode=Memory) registers memory grain storage without a serializer,
    /// so Orleans' default (Newtonsoft with type names) is used; it refuses to resolve TicketFlash's state types on read.
    /// </summary>
    [Fact]
    public void The_in_memory_silo_mode_stores_grain_state_it_can_read_back()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Mode"] = "Memory" }).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.ConfigureTicketFlash(configuration));
        using var host = builder.Build();
        var serializer = host.Services.GetRequiredService<IOptionsMonitor<MemoryGrainStorageOptions>>().Get(StorageNames.Default).GrainStorageSerializer;
        Assert.NotNull(serializer);
        var order = SampleOrder();

        var error = Record.Exception(() => RoundTrip(serializer, order));

        Assert.True(error is null, $"{serializer.GetType().Name} could not read an OrderState back: {error?.GetType().Name}: {error?.Message}");
    }
}
