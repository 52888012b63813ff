using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Customers;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Storage;

/// <summary>
/// "Nothing is acknowledged before it is durable": while a write is in flight, a retry of the same request must wait
/// for that write (and fail with it), not answer from memory that storage may never hold.
/// </summary>
[Collection(FaultyStorageCollection.Name)]
public sealed class AcknowledgedOnlyWhenDurableTests(FaultyStorageCluster cluster)
{
    private static readonly SaleSpec OneRow = new() { Sections = [Sections.Reserved("row", 1, 4)] };

    private static HoldRequest Hold(Guid orderId, params string[] seats) =>
        new(orderId, "fan-direct", seats.Length, seats, DateTimeOffset.UtcNow.AddMinutes(10));

    /// <summary>Reads the durable truth: a fresh activation loads from storage.</summary>
    private async Task<SectionAvailability> DurableAvailability(IInventoryGrain inventory)
    {
        await cluster.Cluster.DeactivateAsync(inventory);
        return await inventory.GetAvailability(true);
    }

    [Fact]
    public async Task A_failed_write_refuses_the_hold_and_leaves_nothing_behind()
    {
        var sale = await cluster.CreateSale(OneRow);
        var inventory = sale.Inventory();
        var fault = WriteFault.ArmFor(inventory);

        var hold = inventory.Hold(Hold(Guid.NewGuid(), "A-1"));
        await fault.Started;
        fault.FailNow();

        await DomainAssert.Refuses(DomainErrorCode.Unavailable, () => hold);
        var truth = await DurableAvailability(inventory);
        Assert.Equal((0, 4), (truth.Held, truth.Available));
        await inventory.Hold(Hold(Guid.NewGuid(), "A-1")); // the seat is free again
    }

    [Fact]
    public async Task A_retried_hold_is_not_acknowledged_while_the_first_write_is_in_flight()
    {
        var sale = await cluster.CreateSale(OneRow);
        var inventory = sale.Inventory();
        var orderId = Guid.NewGuid();
        var fault = WriteFault.ArmFor(inventory);

        var first = Outcome.Of(() => inventory.Hold(Hold(orderId, "A-1")));
        await fault.Started;
        var retry = inventory.Hold(Hold(orderId, "A-1")); // the same order asks again while its hold is being written
        var answeredEarly = await Task.WhenAny(retry, Task.Delay(TimeSpan.FromSeconds(1))) == retry;
        fault.FailNow();
        var retried = await Outcome.Of(() => retry);
        await first;

        Assert.False(answeredEarly, "The retry was answered while the first write was still in flight.");
        Assert.Equal(DomainErrorCode.Unavailable, retried.Refusal?.Code);
        var truth = await DurableAvailability(inventory);
        Assert.Equal((0, 4), (truth.Held, truth.Available));
    }

    [Fact]
    public async Task A_retried_reservation_against_the_customer_limit_is_not_acknowledged_while_its_write_is_in_flight()
    {
        var customer = cluster.GrainFactory.GetGrain<ICustomerGrain>($"fan-{Guid.NewGuid():N}");
        var eventId = Guid.NewGuid();
        var orderId = Guid.NewGuid();
        var expiresAt = DateTimeOffset.UtcNow.AddMinutes(10);
        await customer.GetOrderIds(); // activate, so the armed fault hits the reservation's write
        var fault = WriteFault.ArmFor(customer);

        var first = Outcome.Of(async () => { await customer.Reserve(eventId, orderId, 2, 2, expiresAt); return true; });
        await fault.Started;
        var retry = customer.Reserve(eventId, orderId, 2, 2, expiresAt);
        var answeredEarly = await Task.WhenAny(retry, Task.Delay(TimeSpan.FromSeconds(1))) == retry;
        fault.FailNow();
        var retried = await Outcome.Of(async () => { await retry; return true; });
        await first;

        await cluster.Cluster.DeactivateAsync(customer);
        var durableOrders = await customer.GetOrderIds();
        // The consequence: the acknowledged order's 2 tickets are not counted, so the same customer gets 2 more (limit 2).
        var another = await Outcome.Of(async () => { await customer.Reserve(eventId, Guid.NewGuid(), 2, 2, expiresAt); return true; });
        Assert.False(retried.Succeeded && !durableOrders.Contains(orderId),
            $"The retry was acknowledged ({(answeredEarly ? "while" : "after")} the write was in flight) but storage does not count the order; " +
            $"a further reservation of 2 at limit 2 was then {(another.Succeeded ? "accepted" : "refused")}.");
    }
}
