using TicketFlash.Abstractions.CheckIn;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tests.Infrastructure;
using TicketFlash.Grains.Tests.Tickets.Lifecycle;
using TicketFlash.Grains.Tickets.Codes;

namespace TicketFlash.Grains.Tests.CheckIn;

/// <summary>Device codes scanned by offline gates: judged by the scan's time, admitted once, reconciled like any other code.</summary>
[Collection(ClusterCollection.Name)]
public sealed class OfflineDeviceCheckInTests(ClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.GrainFactory;

    private ITicketGrain Ticket(Guid ticketId) => Grains.GetGrain<ITicketGrain>(ticketId);

    [Fact]
    public async Task An_offline_device_code_is_judged_at_its_scan_time_and_admits_once()
    {
        var evt = await GateKit.CreateEvent(Grains, [Sections.GeneralAdmission("ga", 100)]);
        var fan = Actors.Fan();
        var ticketId = (await GateKit.Buy(Grains, fan, evt.Id, 1)).Tickets[0].TicketId;
        using var phone = new TestDevice();
        var certificate = (await Ticket(ticketId).BindDevice(fan, phone.PublicKey)).Certificate;
        var scannedAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        var code = phone.Code(certificate, scannedAt); // ten minutes old: stale now, fresh when it was scanned
        var gate = Grains.GetGrain<ICheckInGrain>(evt.Id);

        var online = await GateKit.Scan(Grains, evt, evt.Staff(), code);
        var north = await gate.Sync(evt.Staff(), "north-1", "north", [new OfflineScan(code, scannedAt)]);
        var resent = await gate.Sync(evt.Staff(), "north-1", "north", [new OfflineScan(code, scannedAt)]);
        var south = await gate.Sync(evt.Staff(), "south-1", "south", [new OfflineScan(phone.Code(certificate, scannedAt.AddMinutes(1)), scannedAt.AddMinutes(1))]);

        Assert.Equal(CheckInResult.Invalid, online.Result); // the server's clock: StaleWindow
        Assert.Equal((CheckInResult.Admitted, ticketId), (Assert.Single(north).Result, north[0].TicketId));
        Assert.Equal(CheckInResult.Admitted, Assert.Single(resent).Result);
        Assert.Equal((CheckInResult.AlreadyCheckedIn, true), (Assert.Single(south).Result, south[0].Conflict));
        var ticket = await Ticket(ticketId).GetUnchecked();
        Assert.Equal(TicketStatus.CheckedIn, ticket.Status);
        Assert.Equal(scannedAt, Assert.Single(ticket.History, h => h.To == TicketStatus.CheckedIn && h.From != TicketStatus.CheckedIn).At);
        Assert.Equal(1, (await gate.GetStats(evt.Organizer)).Admitted);
    }

    [Fact]
    public async Task An_earlier_offline_scan_takes_the_admission_s_place_even_after_a_device_was_bound_since()
    {
        var evt = await GateKit.CreateEvent(Grains, [Sections.GeneralAdmission("ga", 100)]);
        var fan = Actors.Fan();
        var ticketId = (await GateKit.Buy(Grains, fan, evt.Id, 1)).Tickets[0].TicketId;
        var printed = await GateKit.CodeOf(Grains, fan, ticketId);
        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, evt.Staff(), printed, "main")).Result);
        using var phone = new TestDevice();
        await Ticket(ticketId).BindDevice(fan, phone.PublicKey); // a checked-in ticket still shows its code
        var earlier = DateTimeOffset.UtcNow.AddMinutes(-5);

        var synced = await Grains.GetGrain<ICheckInGrain>(evt.Id).Sync(evt.Staff(), "east-1", "east", [new OfflineScan(printed, earlier)]);

        Assert.Equal((CheckInResult.Admitted, true), (Assert.Single(synced).Result, synced[0].Conflict));
        var history = (await Ticket(ticketId).GetUnchecked()).History;
        var admission = Assert.Single(history, h => h.To == TicketStatus.CheckedIn && h.From != TicketStatus.CheckedIn);
        Assert.Equal((earlier, "gate:east"), (admission.At, admission.By));
        Assert.StartsWith("DeviceBound:", history[^1].Reason, StringComparison.Ordinal); // the binding stays what it was
    }

    [Fact]
    public async Task The_bundle_names_the_device_bound_now_once_one_was_replaced()
    {
        var evt = await GateKit.CreateEvent(Grains, [Sections.GeneralAdmission("ga", 100)]);
        var fan = Actors.Fan();
        var ticketId = (await GateKit.Buy(Grains, fan, evt.Id, 1)).Tickets[0].TicketId;
        using var phone = new TestDevice();
        using var newPhone = new TestDevice();
        var gate = Grains.GetGrain<ICheckInGrain>(evt.Id);

        await Ticket(ticketId).BindDevice(fan, phone.PublicKey);
        var first = await gate.GetBundle(evt.Staff(), 0);
        await Ticket(ticketId).BindDevice(fan, newPhone.PublicKey);
        var delta = await gate.GetBundle(evt.Staff(), first.Next);

        Assert.DoesNotContain(first.Tickets, t => t.TicketId == ticketId);
        var entry = Assert.Single(delta.Tickets);
        Assert.Equal((ticketId, 1, TicketStatus.Active), (entry.TicketId, entry.Serial, entry.Status));
        Assert.Equal(DeviceCertificate.Fingerprint(newPhone.PublicKey), entry.DeviceKey);
    }
}
