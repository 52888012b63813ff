using System.Collections.Concurrent;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Live;

namespace TicketFlash.Grains.Tests.Live;

/// <summary>An API node's stand-in: subscribes to an event's live stock from the test client and keeps every push.</summary>
public sealed class PushRecorder : IAvailabilityObserver
{
    private readonly ConcurrentQueue<AvailabilitySnapshot> _pushes = new();
    private IAvailabilityObserver? _reference; // held here: Orleans keeps only a weak reference to the observer object

    public IReadOnlyCollection<AvailabilitySnapshot> Pushes => _pushes;

    public void AvailabilityChanged(AvailabilitySnapshot snapshot) => _pushes.Enqueue(snapshot);

    public Task<AvailabilitySnapshot> Subscribe(IGrainFactory grains, Guid eventId)
    {
        _reference ??= grains.CreateObjectReference<IAvailabilityObserver>(this);
        return grains.GetGrain<ILiveStockGrain>(eventId).Subscribe(_reference);
    }

    /// <summary>Seat changes of <paramref name="sectionId"/>, in push order, from the pushes after the first <paramref name="skip"/> entries.</summary>
    public List<SectionSeatChanges> Changes(string sectionId, int skip = 0) =>
        [.. _pushes.SelectMany(p => p.SeatChanges).Where(c => c.SectionId == sectionId).Skip(skip)];

    /// <summary>Waits for the next seat-change entry of the section (after <paramref name="seen"/> entries) that changes a seat or asks for a resync.</summary>
    public async Task<SectionSeatChanges> NextChange(string sectionId, int seen, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var next = Changes(sectionId, seen).FirstOrDefault(c => c.Resync || c.Seats.Count > 0);
            if (next is not null) return next;
            await Task.Delay(50);
        }
        Assert.Fail($"No seat change for {what} within {timeout.TotalSeconds:0.#} s; pushes: {_pushes.Count}");
        return null!;
    }

    public static Dictionary<string, SeatStatus> Seats(SectionSeatChanges changes) => changes.Seats.ToDictionary(s => s.SeatId, s => s.Status);
}
