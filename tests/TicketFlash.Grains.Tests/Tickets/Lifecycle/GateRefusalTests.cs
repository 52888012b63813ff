using NSec.Cryptography;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Orders;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tests.Infrastructure;
using TicketFlash.Grains.Tickets.Codes;

namespace TicketFlash.Grains.Tests.Tickets.Lifecycle;

/// <summary>What the gate says to everything but a good code: never an exception, always the right result, nothing admitted.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GateRefusalTests(ClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.GrainFactory;

    private ITicketGrain Ticket(Guid ticketId) => Grains.GetGrain<ITicketGrain>(ticketId);

    /// <summary>An event whose gate is open now, one fan with <paramref name="tickets"/> tickets and their static codes.</summary>
    private async Task<(GateEvent Event, Actor Fan, List<(Guid TicketId, string Code)> Tickets)> Setup(int tickets = 1)
    {
        var evt = await GateKit.CreateEvent(Grains, [Sections.GeneralAdmission("ga", 100)]);
        var fan = Actors.Fan();
        var paid = await GateKit.Buy(Grains, fan, evt.Id, tickets);
        var codes = new List<(Guid, string)>();
        foreach (var t in paid.Tickets) codes.Add((t.TicketId, await GateKit.CodeOf(Grains, fan, t.TicketId)));
        return (evt, fan, codes);
    }

    private async Task AssertStillAdmissible(GateEvent evt, Guid ticketId, string code)
    {
        Assert.Equal(TicketStatus.Active, (await Ticket(ticketId).GetUnchecked()).Status);
        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, evt.Staff(), code)).Result);
    }

    [Fact]
    public async Task Malformed_codes_are_Invalid_and_name_no_ticket()
    {
        var (evt, _, tickets) = await Setup();
        var good = tickets[0].Code;
        Assert.Equal(TicketCode.MinLength, good.Length);
        string[] malformed =
        [
            "",
            " ",
            "hello gate",
            "https://example.com/ticket/123",
            good.ToLowerInvariant(),                 // outside the Base45 alphabet
            good[..^1],                              // truncated: decodes, but to the wrong length
            good[..^3],                              // truncated by a whole pair
            good + "0",                              // no Base45 text has this length
            good + "000",                            // one pair too many
            new string('0', good.Length),            // decodes to zeros: version 0
            string.Concat(Enumerable.Repeat("GGW", good.Length / 3)), // 65536: not two bytes
            new string('A', 100_000),                // far too long: refused before decoding
            "Ü" + good[1..],
            good[..80] + "\0" + good[81..],
        ];

        var staff = evt.Staff();
        foreach (var code in malformed)
        {
            var outcome = await GateKit.Scan(Grains, evt, staff, code);
            Assert.True(outcome.Result == CheckInResult.Invalid, $"'{Shorten(code)}' → {outcome.Result} ({outcome.Detail})");
            Assert.Null(outcome.TicketId);
            Assert.Null(outcome.Status);
        }
        await AssertStillAdmissible(evt, tickets[0].TicketId, good);
    }

    [Fact]
    public async Task An_authentic_code_of_another_event_is_WrongEvent_and_stays_good_at_its_own_gate()
    {
        var (here, _, _) = await Setup();
        var (there, _, theirs) = await Setup();

        var outcome = await GateKit.Scan(Grains, here, here.Staff(), theirs[0].Code);

        Assert.Equal(CheckInResult.WrongEvent, outcome.Result);
        Assert.Null(outcome.TicketId);
        await AssertStillAdmissible(there, theirs[0].TicketId, theirs[0].Code);
    }

    [Fact]
    public async Task Scans_before_the_window_are_TooEarly_after_it_TooLate_and_its_edges_admit()
    {
        var (evt, _, tickets) = await Setup(3);
        var (from, to) = evt.Window;
        Assert.Equal(evt.Details.StartsAt.AddHours(-4).ToUnixTimeSeconds(), from.ToUnixTimeSeconds());
        Assert.True(to >= evt.Details.EndsAt.AddHours(2) && to < evt.Details.EndsAt.AddHours(2).AddSeconds(1));
        var staff = evt.Staff();

        var early = await GateKit.Scan(Grains, evt, staff, tickets[0].Code, scannedAt: from.AddSeconds(-1));
        var muchTooEarly = await GateKit.Scan(Grains, evt, staff, tickets[0].Code, scannedAt: from.AddDays(-3));
        var late = await GateKit.Scan(Grains, evt, staff, tickets[0].Code, scannedAt: to.AddSeconds(1));
        var muchTooLate = await GateKit.Scan(Grains, evt, staff, tickets[0].Code, scannedAt: to.AddDays(3));

        Assert.Equal(
            [CheckInResult.TooEarly, CheckInResult.TooEarly, CheckInResult.TooLate, CheckInResult.TooLate],
            new[] { early, muchTooEarly, late, muchTooLate }.Select(o => o.Result));
        Assert.Equal(TicketStatus.Active, (await Ticket(tickets[0].TicketId).GetUnchecked()).Status);

        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, staff, tickets[1].Code, scannedAt: from)).Result);
        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, staff, tickets[2].Code, scannedAt: to)).Result);
        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, staff, tickets[0].Code)).Result); // now: inside
    }

    /// <summary>Character positions of a static code (171 Base45 characters; bytes 2k, 2k+1 are characters 3k..3k+2).</summary>
    public static TheoryData<int, string> FlipPositions() => new()
    {
        { 0, "version" },
        { 2, "mode" },
        { 5, "key id" },
        { 36, "ticket id" },
        { 55, "ticket id" },
        { 58, "serial" },
        { 64, "validFrom" },
        { 70, "validTo" },
        { 75, "signature, first" },
        { 120, "signature" },
        { 170, "signature, last" },
    };

    [Theory]
    [MemberData(nameof(FlipPositions))]
    public async Task A_code_with_one_flipped_character_is_Invalid(int position, string field)
    {
        var (evt, _, tickets) = await Setup();
        var flipped = Flip(tickets[0].Code, position);

        var outcome = await GateKit.Scan(Grains, evt, evt.Staff(), flipped);

        Assert.True(outcome.Result == CheckInResult.Invalid, $"flip at {position} ({field}) → {outcome.Result} ({outcome.Detail})");
        Assert.Null(outcome.TicketId);
        await AssertStillAdmissible(evt, tickets[0].TicketId, tickets[0].Code);
    }

    /// <summary>
    /// BUG (src/Grains/CheckIn/CheckInGrain.cs, Decide: the <c>claimed.EventId != evt.Id</c> check runs before the signature
    /// is verified): a code altered in its event-id bytes is answered WrongEvent ("This ticket is for another event") although
    /// it is a forgery; an unauthenticated claim should not be reported as a fact. Expected Invalid, like every other flip.
    /// </summary>
    [Theory]
    [InlineData(9)]
    [InlineData(18)]
    [InlineData(30)]
    public async Task A_code_with_a_flipped_character_in_its_event_id_is_Invalid_not_WrongEvent(int position)
    {
        var (evt, _, tickets) = await Setup();
        var flipped = Flip(tickets[0].Code, position);
        Assert.True(TicketCode.TryParse(flipped, out var claimed), "the flip keeps the code well formed");
        Assert.NotEqual(evt.Id, claimed.EventId);

        var outcome = await GateKit.Scan(Grains, evt, evt.Staff(), flipped);

        Assert.True(outcome.Result == CheckInResult.Invalid, $"a forged code (event id altered at character {position}) → {outcome.Result} ({outcome.Detail})");
    }

    [Fact]
    public async Task Codes_signed_with_a_key_that_is_not_the_event_s_are_Invalid()
    {
        var (evt, _, tickets) = await Setup();
        var real = await Ticket(tickets[0].TicketId).GetUnchecked();
        var claims = TicketCodeIssuer.StaticClaims(real, evt.Details);
        using var forger = Key.Create(SignatureAlgorithm.Ed25519);
        var staff = evt.Staff();

        foreach (var keyId in new uint[] { 1, 2, 99, uint.MaxValue })
        {
            var forged = TicketCode.Sign(new TicketCodePayload(TicketCode.CurrentVersion, TicketCodeMode.Static, keyId, evt.Id, real.TicketId,
                (uint)real.Serial, claims.ValidFrom, claims.ValidTo, null), forger);
            var outcome = await GateKit.Scan(Grains, evt, staff, forged.Code);
            Assert.True(outcome.Result == CheckInResult.Invalid, $"forged with key id {keyId} → {outcome.Result} ({outcome.Detail})");
        }
        await AssertStillAdmissible(evt, tickets[0].TicketId, tickets[0].Code);
    }

    [Fact]
    public async Task A_code_with_another_serial_is_Revoked_and_the_current_serial_still_admits()
    {
        var (evt, _, tickets) = await Setup();
        var ticketId = tickets[0].TicketId;
        var at = DateTimeOffset.UtcNow;

        Assert.Equal(CheckInResult.Revoked, (await Ticket(ticketId).CheckIn(new CheckInAttempt(2, "north", "dev", at))).Result);
        Assert.Equal(CheckInResult.Revoked, (await Ticket(ticketId).CheckIn(new CheckInAttempt(0, "north", "dev", at))).Result);
        Assert.Equal(CheckInResult.Revoked, (await Ticket(ticketId).CheckIn(new CheckInAttempt(uint.MaxValue, "north", "dev", at))).Result);
        Assert.Equal(TicketStatus.Active, (await Ticket(ticketId).GetUnchecked()).Status);

        // The same through the gate: an authentic code, signed by the event's key, but for serial 2.
        var paid = (await Ticket(ticketId).GetUnchecked());
        var otherSerial = await GateKit.CodeWithoutTouchingTheTicket(Grains, evt.Details,
            new TicketSummary(ticketId, paid.OrderId, evt.Id, paid.SectionId, paid.SeatId, "Active", paid.OwnerId), serial: 2);
        var atGate = await GateKit.Scan(Grains, evt, evt.Staff(), otherSerial);
        Assert.Equal(CheckInResult.Revoked, atGate.Result);
        Assert.Equal(ticketId, atGate.TicketId);

        await AssertStillAdmissible(evt, ticketId, tickets[0].Code);
    }

    [Fact]
    public async Task Codes_signed_before_a_key_rotation_stay_valid_and_new_codes_use_the_new_key()
    {
        var (evt, fan, tickets) = await Setup(3);
        var staff = evt.Staff();
        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, staff, tickets[0].Code)).Result); // the gate now caches key 1

        var rotated = await Grains.GetGrain<ITicketKeyGrain>(evt.Id).Rotate();
        var newCode = await GateKit.CodeOf(Grains, fan, tickets[2].TicketId);

        Assert.True(TicketCode.TryParse(newCode, out var payload));
        Assert.Equal(rotated.KeyId, payload.KeyId);
        Assert.NotEqual(1u, rotated.KeyId);
        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, staff, tickets[1].Code)).Result); // old key
        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, staff, newCode)).Result);         // new key
    }

    [Fact]
    public async Task A_rotating_code_admits_now_and_is_Invalid_when_replayed_minutes_later()
    {
        var (evt, fan, tickets) = await Setup(2);
        var staff = evt.Staff();
        var fresh = await GateKit.CodeOf(Grains, fan, tickets[0].TicketId, TicketCodeMode.Rotating);
        var screenshot = await GateKit.CodeOf(Grains, fan, tickets[1].TicketId, TicketCodeMode.Rotating);

        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, staff, fresh)).Result);
        var replay = await GateKit.Scan(Grains, evt, staff, screenshot, scannedAt: DateTimeOffset.UtcNow.AddMinutes(2));
        Assert.Equal(CheckInResult.Invalid, replay.Result);
        Assert.Equal(TicketStatus.Active, (await Ticket(tickets[1].TicketId).GetUnchecked()).Status);
    }

    [Fact]
    public async Task Only_staff_of_the_event_s_tenant_and_admins_may_scan()
    {
        var (evt, fan, tickets) = await Setup(3);

        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => GateKit.Scan(Grains, evt, fan, tickets[0].Code));
        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => GateKit.Scan(Grains, evt, Actors.Fan(), tickets[0].Code));
        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () => GateKit.Scan(Grains, evt, Actors.Organizer(), tickets[0].Code));
        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () =>
            GateKit.Scan(Grains, evt, new Actor("venue-x", $"tenant-{Guid.NewGuid():N}", [ActorRoles.Venue]), tickets[0].Code));
        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () =>
            GateKit.Scan(Grains, evt, new Actor("venue-no-tenant", null, [ActorRoles.Venue]), tickets[0].Code));
        // A fan claiming the tenant is still a fan.
        await DomainAssert.Refuses(DomainErrorCode.Forbidden, () =>
            GateKit.Scan(Grains, evt, new Actor("fan-in-tenant", evt.Tenant, [ActorRoles.Fan]), tickets[0].Code));
        Assert.Equal(TicketStatus.Active, (await Ticket(tickets[0].TicketId).GetUnchecked()).Status);
        var untouched = await Grains.GetGrain<ICheckInGrain>(evt.Id).GetStats(evt.Organizer);
        Assert.Equal((0, 0), (untouched.Admitted, untouched.Refused)); // a refused scanner is not a scan

        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, evt.Staff(), tickets[0].Code)).Result);
        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, evt.Organizer, tickets[1].Code)).Result);
        Assert.Equal(CheckInResult.Admitted, (await GateKit.Scan(Grains, evt, Actors.Admin(), tickets[2].Code)).Result);
    }

    [Fact]
    public async Task Refused_scans_are_counted_per_gate_beside_admissions()
    {
        var (evt, _, tickets) = await Setup(2);
        var staff = evt.Staff();

        await GateKit.Scan(Grains, evt, staff, tickets[0].Code, "east");
        await GateKit.Scan(Grains, evt, staff, tickets[0].Code, "west");      // AlreadyCheckedIn
        await GateKit.Scan(Grains, evt, staff, "garbage", "west");            // Invalid
        await GateKit.Scan(Grains, evt, staff, tickets[1].Code, "west", evt.Window.From.AddHours(-1)); // TooEarly
        await GateKit.Scan(Grains, evt, staff, tickets[1].Code, "west");

        var stats = await Grains.GetGrain<ICheckInGrain>(evt.Id).GetStats(staff);
        Assert.Equal((2, 3), (stats.Admitted, stats.Refused));
        Assert.Equal([new GateCount("east", 1, 0), new GateCount("west", 1, 3)], stats.Gates);
        Assert.Equal(2, stats.AdmittedPerMinute.Sum());
    }

    private static string Flip(string code, int position)
    {
        var index = Base45.Alphabet.IndexOf(code[position], StringComparison.Ordinal);
        var chars = code.ToCharArray();
        chars[position] = Base45.Alphabet[(index + 1) % Base45.Alphabet.Length];
        return new string(chars);
    }

    private static string Shorten(string code) => code.Length <= 40 ? code : $"{code[..20]}…({code.Length} chars)";
}
