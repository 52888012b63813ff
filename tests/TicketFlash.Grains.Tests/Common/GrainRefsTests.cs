using TicketFlash.Abstractions.CheckIn;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Customers;
using TicketFlash.Abstractions.Events;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Common;

/// <summary>GrainRefs.Ref makes the very reference Orleans' GetGrain makes, for every key kind, and it reaches the grain.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GrainRefsTests(ClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.GrainFactory;

    [Fact]
    public void Every_key_kind_gives_the_same_grain_id_and_interface_as_GetGrain()
    {
        var id = Guid.NewGuid();
        AssertSame(Grains.GetGrain<IEventGrain>(id), Grains.Ref<IEventGrain>(id));
        AssertSame(Grains.GetGrain<ICheckInRosterGrain>(id, "7"), Grains.Ref<ICheckInRosterGrain>(id, "7"));
        AssertSame(Grains.GetGrain<IClusterHealthGrain>(42), Grains.Ref<IClusterHealthGrain>(42));
        AssertSame(Grains.GetGrain<ICustomerGrain>("fan-ref"), Grains.Ref<ICustomerGrain>("fan-ref"));
        // Other keys give other grains: the cached types never pin a key.
        Assert.NotEqual(((GrainReference)(object)Grains.Ref<IEventGrain>(id)).GrainId, ((GrainReference)(object)Grains.Ref<IEventGrain>(Guid.NewGuid())).GrainId);
    }

    [Fact]
    public async Task A_reference_made_by_Ref_calls_the_grain_that_GetGrain_reaches()
    {
        var fan = $"fan-{Guid.NewGuid():N}";
        var ticket = Guid.NewGuid();
        await Grains.Ref<ICustomerGrain>(fan).ReceiveTicket(ticket);
        Assert.Contains(ticket, await Grains.GetGrain<ICustomerGrain>(fan).GetReceivedTickets());
    }

    private static void AssertSame<T>(T expected, T actual)
    {
        var (e, a) = ((GrainReference)(object)expected!, (GrainReference)(object)actual!);
        Assert.Equal(e.GrainId, a.GrainId);
        Assert.Equal(e.InterfaceType, a.InterfaceType);
        Assert.Equal(expected, actual);
    }
}
