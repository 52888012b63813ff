using TicketFlash.Abstractions.CheckIn;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tests.Infrastructure;
using TicketFlash.Grains.Tests.Tickets.Lifecycle;
using TicketFlash.Grains.Tickets.Codes;

namespace TicketFlash.Grains.Tests.Tickets;

/// <summary>A fan's device bound to a ticket: only its codes pass the gate, a new device or a new owner voids the old one.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DeviceBindingTests(ClusterFixture cluster) : IDisposable
{
    private readonly TestDevice _phone = new();
    private readonly TestDevice _newPhone = new();

    private IGrainFactory Grains => cluster.GrainFactory;

    public void Dispose()
    {
        _phone.Dispose();
        _newPhone.Dispose();
    }

    private ITicketGrain Ticket(Guid ticketId) => Grains.GetGrain<ITicketGrain>(ticketId);

    private async Task<(GateEvent Event, Actor Fan, Guid TicketId)> Setup()
    {
        var evt = await GateKit.CreateEvent(Grains, [Sections.GeneralAdmission("ga", 100)]);
        var fan = Actors.Fan();
        var ticketId = (await GateKit.Buy(Grains, fan, evt.Id, 1)).Tickets[0].TicketId;
        return (evt, fan, ticketId);
    }

    private Task<IReadOnlyList<TicketTransition>> History(Actor owner, Guid ticketId) => Ticket(ticketId).GetHistory(owner);

    [Fact]
    public async Task The_bound_device_s_code_is_admitted_once_and_a_code_signed_by_another_device_is_refused()
    {
        var (evt, fan, ticketId) = await Setup();
        var binding = await Ticket(ticketId).BindDevice(fan, _phone.PublicKey);
        Assert.Equal((179, 15), (binding.Certificate.Length, binding.StepSeconds));
        Assert.Equal(evt.Window, (binding.ValidFrom, binding.ValidTo));
        using var thief = new TestDevice();

        var copied = await GateKit.Scan(Grains, evt, evt.Staff(), thief.Code(binding.Certificate));
        var first = await GateKit.Scan(Grains, evt, evt.Staff(), _phone.Code(binding.Certificate));
        var again = await GateKit.Scan(Grains, evt, evt.Staff(), _phone.Code(binding.Certificate));

        Assert.Equal(CheckInResult.Invalid, copied.Result);
        Assert.Contains(nameof(TicketCodeVerdict.BadDeviceSignature), copied.Detail, StringComparison.Ordinal);
        Assert.Equal((CheckInResult.Admitted, ticketId), (first.Result, first.TicketId));
        Assert.Equal(CheckInResult.AlreadyCheckedIn, again.Result);
    }

    [Fact]
    public async Task A_step_more_than_one_from_the_server_s_is_refused_both_ways()
    {
        var (evt, fan, ticketId) = await Setup();
        var certificate = (await Ticket(ticketId).BindDevice(fan, _phone.PublicKey)).Certificate;
        var now = DeviceCertificate.StepAt(DateTimeOffset.UtcNow);

        var old = await GateKit.Scan(Grains, evt, evt.Staff(), _phone.Code(certificate, step: now - 3));
        var ahead = await GateKit.Scan(Grains, evt, evt.Staff(), _phone.Code(certificate, step: now + 3));

        Assert.Equal(CheckInResult.Invalid, old.Result);
        Assert.Contains(nameof(TicketCodeVerdict.StaleWindow), old.Detail, StringComparison.Ordinal);
        Assert.Equal(CheckInResult.TooEarly, ahead.Result);
        Assert.Equal(TicketStatus.Active, (await Ticket(ticketId).GetUnchecked()).Status);
        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, evt.Staff(), _phone.Code(certificate))).Result);
    }

    [Fact]
    public async Task A_transfer_unbinds_the_device_the_old_code_is_Revoked_and_the_history_says_so()
    {
        var (evt, fan, ticketId) = await Setup();
        var old = (await Ticket(ticketId).BindDevice(fan, _phone.PublicKey)).Certificate;
        var friend = Actors.Fan("friend");

        await Ticket(ticketId).Transfer(fan, friend.UserId);

        var scan = await GateKit.Scan(Grains, evt, evt.Staff(), _phone.Code(old));
        Assert.Equal(CheckInResult.Revoked, scan.Result);
        var history = await History(friend, ticketId);
        var unbound = Assert.Single(history, h => h.Reason.StartsWith("DeviceUnbound:", StringComparison.Ordinal));
        Assert.Equal((TicketStatus.Transferred, fan.UserId), (unbound.To, unbound.By));
        Assert.Contains(Convert.ToHexStringLower(DeviceCertificate.Fingerprint(_phone.PublicKey)), unbound.Reason, StringComparison.Ordinal);
        Assert.True(history.ToList().IndexOf(unbound) > history.ToList().FindIndex(h => h.To == TicketStatus.Transferred && h.From == TicketStatus.Active));

        // The old owner can no longer bind; the new one binds their own device, whose code passes.
        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => Ticket(ticketId).BindDevice(fan, _phone.PublicKey));
        var fresh = await Ticket(ticketId).BindDevice(friend, _newPhone.PublicKey);
        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, evt.Staff(), _newPhone.Code(fresh.Certificate))).Result);
    }

    [Fact]
    public async Task A_resale_unbinds_the_seller_s_device()
    {
        var (evt, seller, ticketId) = await Setup();
        var old = (await Ticket(ticketId).BindDevice(seller, _phone.PublicKey)).Certificate;
        var listingId = (await Ticket(ticketId).List(seller, 10m)).ListingId!.Value;
        var buyer = Actors.Fan("buyer");

        await Grains.GetGrain<Abstractions.Resale.IListingGrain>(listingId).Buy(buyer, "k1");

        Assert.Equal(CheckInResult.Revoked, (await GateKit.Scan(Grains, evt, evt.Staff(), _phone.Code(old))).Result);
        var unbound = Assert.Single(await History(buyer, ticketId), h => h.Reason.StartsWith("DeviceUnbound:", StringComparison.Ordinal));
        Assert.Equal((TicketStatus.Transferred, buyer.UserId), (unbound.To, unbound.By));
    }

    [Fact]
    public async Task Rebinding_replaces_the_old_device_in_the_history_the_roster_and_at_the_gate()
    {
        var (evt, fan, ticketId) = await Setup();
        var roster = Grains.GetGrain<ICheckInRosterGrain>(evt.Id, RosterShards.Of(ticketId));
        var old = (await Ticket(ticketId).BindDevice(fan, _phone.PublicKey)).Certificate;
        Assert.DoesNotContain((await roster.GetChanges(0)).Entries, e => e.TicketId == ticketId); // a first binding costs the roster nothing
        var retry = await Ticket(ticketId).BindDevice(fan, _phone.PublicKey); // the same device again: nothing new to record

        var replacement = await Ticket(ticketId).BindDevice(fan, _newPhone.PublicKey);

        Assert.True(replacement.BoundAt >= retry.BoundAt);
        var devices = (await History(fan, ticketId)).Where(h => h.Reason.StartsWith("Device", StringComparison.Ordinal)).ToList();
        Assert.Equal(["DeviceBound", "DeviceReplaced"], devices.Select(h => h.Reason[..h.Reason.IndexOf(':', StringComparison.Ordinal)]));
        Assert.All(devices, h => Assert.Equal((TicketStatus.Active, TicketStatus.Active, fan.UserId), (h.From, h.To, h.By)));
        var entry = Assert.Single((await roster.GetChanges(0)).Entries, e => e.TicketId == ticketId);
        Assert.Equal((1, TicketStatus.Active), (entry.Serial, entry.Status));
        Assert.Equal(DeviceCertificate.Fingerprint(_newPhone.PublicKey), entry.DeviceKey);

        var oldScan = await GateKit.Scan(Grains, evt, evt.Staff(), _phone.Code(old));
        Assert.Equal(CheckInResult.Revoked, oldScan.Result);
        Assert.Contains("no longer bound", oldScan.Detail, StringComparison.Ordinal);
        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, evt.Staff(), _newPhone.Code(replacement.Certificate))).Result);
    }

    [Fact]
    public async Task Only_the_owner_binds_a_valid_key_to_a_ticket_that_has_a_code()
    {
        var (_, fan, ticketId) = await Setup();
        var offCurve = _phone.PublicKey;
        offCurve[64] ^= 0x01;

        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => Ticket(ticketId).BindDevice(Actors.Fan(), _phone.PublicKey));
        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => Ticket(ticketId).BindDevice(Actors.Admin(), _phone.PublicKey));
        await DomainAssert.Refuses(DomainErrorCode.Validation, () => Ticket(ticketId).BindDevice(fan, offCurve));
        await DomainAssert.Refuses(DomainErrorCode.Validation, () => Ticket(ticketId).BindDevice(fan, _phone.PublicKey[1..]));
        await Ticket(ticketId).List(fan, 10m);
        await DomainAssert.Refuses(DomainErrorCode.InvalidState, () => Ticket(ticketId).BindDevice(fan, _phone.PublicKey));
        Assert.DoesNotContain(await History(fan, ticketId), h => h.Reason.StartsWith("Device", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Static_and_rotating_codes_are_still_admitted_with_a_device_bound()
    {
        var evt = await GateKit.CreateEvent(Grains, [Sections.GeneralAdmission("ga", 100)]);
        var fan = Actors.Fan();
        var tickets = (await GateKit.Buy(Grains, fan, evt.Id, 2)).Tickets;
        foreach (var t in tickets) await Ticket(t.TicketId).BindDevice(fan, _phone.PublicKey);

        var printed = await GateKit.Scan(Grains, evt, evt.Staff(), await GateKit.CodeOf(Grains, fan, tickets[0].TicketId));
        var rotating = await GateKit.Scan(Grains, evt, evt.Staff(), await GateKit.CodeOf(Grains, fan, tickets[1].TicketId, TicketCodeMode.Rotating));

        Assert.Equal((CheckInResult.Admitted, CheckInResult.Admitted), (printed.Result, rotating.Result));
    }
}
