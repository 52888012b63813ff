using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using TicketFlash.Integration.Tests.Api;
using TicketFlash.Integration.Tests.Infrastructure;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Tickets;

public sealed record TicketCodeBody(string Code, string Mode, uint KeyId, DateTimeOffset ValidFrom, DateTimeOffset ValidTo);

public sealed record TransitionBody(string From, string To, DateTimeOffset At, string By, string Reason);

public sealed record TicketBody(Guid TicketId, Guid OrderId, Guid EventId, string SectionId, string? SeatId, string OwnerId, string Status, int Serial,
    List<TransitionBody> History);

public sealed record CheckInBody(string Result, Guid? TicketId, string? SectionId, string? SeatId, string? Status, DateTimeOffset? FirstScanAt,
    string? FirstGate, string Detail);

public sealed record GateCountBody(string Gate, int Admitted, int Refused);

public sealed record CheckInStatsBody(Guid EventId, int Admitted, int Refused, List<GateCountBody> Gates, List<int> AdmittedPerMinute);

public sealed record SeatBody(string SeatId, string Status);

public sealed record SectionBody(string SectionId, int Capacity, int Available, int Held, int Sold, List<SeatBody>? Seats);

public sealed record AvailabilityBody(Guid EventId, List<SectionBody> Sections);

/// <summary>
/// The ticket and gate API over real processes (1 silo + 1 API on PostgreSQL): codes, check-in, refunds, revocation,
/// history and gate counts, with the tokens each role really has.
/// </summary>
[Collection(OneNodeCollection.Name)]
public sealed class TicketsHttpTests(OneNodeCluster cluster)
{
    private TicketFlashClient Api => cluster.Client;

    /// <summary>One tenant's organizer, its venue staff, an admin, a venue and an event whose gates are open now.</summary>
    private sealed record World(string Tenant, string Organizer, string Staff, string Admin, string OtherOrganizer, Guid VenueId, Guid EventId);

    private Task<World> GetWorld() => cluster.Once("tickets-http", async c =>
    {
        var api = c.Client;
        var tenant = Unique("tkt");
        var organizer = await api.TokenAsync(Unique("org"), ["organizer"], tenant);
        var staff = await api.TokenAsync(Unique("gatekeeper"), ["venue"], tenant);
        var admin = await api.TokenAsync(Unique("admin"), ["admin"]);
        var otherOrganizer = await api.TokenAsync(Unique("rival"), ["organizer"], Unique("rivals"));
        var venueId = await api.CreateVenueAsync(organizer,
            new { id = "stalls", name = "Stalls", rows = 5, seatsPerRow = 10 },
            new { id = "lawn", name = "Lawn", capacity = 500 });
        var eventId = await CreateEventStartingSoon(api, organizer, venueId);
        return new World(tenant, organizer, staff, admin, otherOrganizer, venueId, eventId);
    });

    /// <summary>An event starting in 30 minutes, so its check-in window (start − 4 h … end + 2 h) is open now.</summary>
    private static async Task<Guid> CreateEventStartingSoon(TicketFlashClient api, string organizer, Guid venueId)
    {
        var starts = DateTimeOffset.UtcNow.AddMinutes(30);
        var response = await api.SendAsync(HttpMethod.Post, "/api/events", organizer, new
        {
            name = "Gate Night",
            venueId,
            startsAt = starts,
            endsAt = starts.AddHours(3),
            tiers = new[] { new { id = "std", name = "Standard", price = 30m, currency = "EUR", sections = new[] { "stalls", "lawn" } } },
            perCustomerLimit = 10,
            holdMinutes = 10,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await DescribeAsync(response));
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>(TicketFlashClient.Json))!["id"]!.GetValue<Guid>();
        var opened = await api.SendAsync(HttpMethod.Post, $"/api/events/{id}/open-sale", organizer);
        Assert.True(opened.StatusCode == HttpStatusCode.OK, await DescribeAsync(opened));
        return id;
    }

    private async Task<(string Fan, Order Order)> Buy(Guid eventId, int quantity, string section = "lawn", string[]? seats = null)
    {
        var fan = await Api.TokenAsync(Unique("fan"), ["fan"]);
        var held = await Api.HoldAsync(fan, eventId, quantity, section, seats);
        var paid = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{held.OrderId}/pay", fan);
        Assert.True(paid.StatusCode == HttpStatusCode.OK, await DescribeAsync(paid));
        var order = await TicketFlashClient.ReadAsync<Order>(paid);
        Assert.Equal(quantity, order.Tickets.Count);
        return (fan, order);
    }

    private async Task<string> Code(string fan, Guid ticketId, string mode = "static")
    {
        var response = await Api.SendAsync(HttpMethod.Get, $"/api/tickets/{ticketId}/code?mode={mode}", fan);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await DescribeAsync(response));
        return (await TicketFlashClient.ReadAsync<TicketCodeBody>(response)).Code;
    }

    private Task<HttpResponseMessage> PostCheckIn(string? token, object body) => Api.SendAsync(HttpMethod.Post, "/api/checkin", token, body);

    private async Task<CheckInBody> CheckIn(string token, Guid eventId, string code, string gate = "A", DateTimeOffset? scannedAt = null)
    {
        var response = await PostCheckIn(token, new { eventId, code, gate, deviceId = $"scanner-{gate}", scannedAt });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"check-in of '{(code.Length > 30 ? code[..30] + "…" : code)}': {await DescribeAsync(response)}");
        return await TicketFlashClient.ReadAsync<CheckInBody>(response);
    }

    private async Task<TicketBody> GetTicket(string token, Guid ticketId)
    {
        var response = await Api.SendAsync(HttpMethod.Get, $"/api/tickets/{ticketId}", token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await DescribeAsync(response));
        return await TicketFlashClient.ReadAsync<TicketBody>(response);
    }

    private async Task<SectionBody> Section(Guid eventId, string sectionId)
    {
        var availability = await Api.Http.GetFromJsonAsync<AvailabilityBody>($"/api/events/{eventId}/availability?seats=true", TicketFlashClient.Json);
        return availability!.Sections.Single(s => s.SectionId == sectionId);
    }

    [Fact]
    public async Task A_fan_s_code_is_Admitted_by_venue_staff_once_and_the_second_scan_is_AlreadyCheckedIn()
    {
        var world = await GetWorld();
        var (fan, order) = await Buy(world.EventId, 1);
        var ticketId = order.Tickets[0].TicketId;
        var code = await Code(fan, ticketId);

        var first = await CheckIn(world.Staff, world.EventId, code, "A");
        var second = await CheckIn(world.Staff, world.EventId, code, "B");

        Assert.Equal("Admitted", first.Result);
        Assert.Equal(ticketId, first.TicketId);
        Assert.Equal("lawn", first.SectionId);
        Assert.Equal("AlreadyCheckedIn", second.Result);
        Assert.Equal("A", second.FirstGate);
        Assert.Equal(first.FirstScanAt, second.FirstScanAt);
        Assert.NotNull(second.FirstScanAt);
        Assert.InRange(second.FirstScanAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal("CheckedIn", (await GetTicket(fan, ticketId)).Status);

        // A rotating in-app code of another ticket admits too.
        var (fan2, order2) = await Buy(world.EventId, 1);
        Assert.Equal("Admitted", (await CheckIn(world.Staff, world.EventId, await Code(fan2, order2.Tickets[0].TicketId, "rotating"), "C")).Result);
    }

    [Fact]
    public async Task Check_in_needs_staff_of_the_event_s_tenant_a_fan_token_is_a_403_problem()
    {
        var world = await GetWorld();
        var (fan, order) = await Buy(world.EventId, 1);
        var code = await Code(fan, order.Tickets[0].TicketId);
        var body = new { eventId = world.EventId, code, gate = "A", deviceId = "d1" };
        var fanInTenant = await Api.TokenAsync(Unique("fan"), ["fan"], world.Tenant);

        await AssertProblemAsync(await PostCheckIn(fan, body), 403, "forbidden", "the ticket's own fan");
        await AssertProblemAsync(await PostCheckIn(fanInTenant, body), 403, "forbidden", "a fan token carrying the tenant");
        await AssertProblemAsync(await PostCheckIn(world.OtherOrganizer, body), 403, "forbidden", "another tenant's organizer");
        await AssertProblemAsync(await PostCheckIn(null, body), 401, "unauthorized", "no token");
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Get, $"/api/events/{world.EventId}/checkin/stats", fan), 403, "forbidden", "fan stats");

        Assert.Equal("Active", (await GetTicket(fan, order.Tickets[0].TicketId)).Status);
        Assert.Equal("Admitted", (await CheckIn(world.Staff, world.EventId, code)).Result);
    }

    [Fact]
    public async Task Malformed_forged_and_foreign_codes_are_200_with_Invalid_or_WrongEvent_never_500()
    {
        var world = await GetWorld();
        var (fan, order) = await Buy(world.EventId, 1);
        var code = await Code(fan, order.Tickets[0].TicketId);
        var otherEvent = await CreateEventStartingSoon(Api, world.Organizer, world.VenueId);
        var (foreignFan, foreignOrder) = await Buy(otherEvent, 1);
        var foreignCode = await Code(foreignFan, foreignOrder.Tickets[0].TicketId);
        var signatureFlipped = code[..120] + (code[120] == '0' ? '1' : '0') + code[121..];

        (string What, string Code, string Result)[] cases =
        [
            ("garbage", "garbage", "Invalid"),
            ("a URL", "https://evil.example/t/1", "Invalid"),
            ("lower case", code.ToLowerInvariant(), "Invalid"),
            ("truncated", code[..^2], "Invalid"),
            ("512 characters", new string('A', 512), "Invalid"),
            ("unicode", "🎟️" + code[2..], "Invalid"),
            ("signature flipped", signatureFlipped, "Invalid"),
            ("another event's code", foreignCode, "WrongEvent"),
        ];
        foreach (var (what, bad, expected) in cases)
        {
            var response = await PostCheckIn(world.Staff, new { eventId = world.EventId, code = bad, gate = "A", deviceId = "d1" });
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{what}: {await DescribeAsync(response)}");
            var outcome = await TicketFlashClient.ReadAsync<CheckInBody>(response);
            Assert.True(outcome.Result == expected, $"{what}: expected {expected}, got {outcome.Result} ({outcome.Detail})");
            Assert.Null(outcome.TicketId);
        }

        Assert.Equal("Admitted", (await CheckIn(world.Staff, world.EventId, code)).Result);
        Assert.Equal("Admitted", (await CheckIn(world.Staff, otherEvent, foreignCode)).Result);
    }

    public static TheoryData<string, string, string> MissingFields() => new()
    {
        { "no eventId", """{"code":"X","gate":"A","deviceId":"d"}""", "eventId" },
        { "empty eventId", """{"eventId":"00000000-0000-0000-0000-000000000000","code":"X","gate":"A","deviceId":"d"}""", "eventId" },
        { "no code", """{"eventId":"EVENT","gate":"A","deviceId":"d"}""", "code" },
        { "empty code", """{"eventId":"EVENT","code":"","gate":"A","deviceId":"d"}""", "code" },
        { "code over 512", """{"eventId":"EVENT","code":"LONG","gate":"A","deviceId":"d"}""", "code" },
        { "no gate", """{"eventId":"EVENT","code":"X","deviceId":"d"}""", "gate" },
        { "gate over 64", """{"eventId":"EVENT","code":"X","gate":"GATE65","deviceId":"d"}""", "gate" },
        { "no deviceId", """{"eventId":"EVENT","code":"X","gate":"A"}""", "deviceId" },
        { "empty object", "{}", "eventId" },
    };

    [Theory]
    [MemberData(nameof(MissingFields))]
    public async Task Missing_or_oversized_check_in_fields_are_a_400_validation_problem_naming_the_field(string what, string json, string field)
    {
        var world = await GetWorld();
        json = json.Replace("EVENT", world.EventId.ToString(), StringComparison.Ordinal)
            .Replace("LONG", new string('A', 513), StringComparison.Ordinal)
            .Replace("GATE65", new string('g', 65), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkin") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", world.Staff);

        var problem = await AssertProblemAsync(await Api.Http.SendAsync(request), 400, "validation", what);

        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), $"{what}: errors {errors.ToJsonString()} do not name '{field}'");
    }

    [Fact]
    public async Task Unreadable_check_in_bodies_are_400_and_an_unknown_event_is_404()
    {
        var world = await GetWorld();
        using var broken = new HttpRequestMessage(HttpMethod.Post, "/api/checkin") { Content = new StringContent("{\"eventId\":", Encoding.UTF8, "application/json") };
        broken.Headers.Authorization = new("Bearer", world.Staff);
        await AssertProblemAsync(await Api.Http.SendAsync(broken), 400, "malformed-request", "truncated JSON");

        var unknown = await PostCheckIn(world.Staff, new { eventId = Guid.NewGuid(), code = "X", gate = "A", deviceId = "d" });
        await AssertProblemAsync(unknown, 404, "not-found", "unknown event");
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Get, $"/api/events/{Guid.NewGuid()}/checkin/stats", world.Staff), 404, "not-found", "unknown event's stats");
    }

    [Fact]
    public async Task The_organizer_refunds_over_HTTP_and_the_seat_is_back_in_availability()
    {
        var world = await GetWorld();
        var (fan, order) = await Buy(world.EventId, 1, "stalls", ["B-3"]);
        var ticketId = order.Tickets[0].TicketId;
        var code = await Code(fan, ticketId);
        var before = await Section(world.EventId, "stalls");
        Assert.Equal("Sold", before.Seats!.Single(s => s.SeatId == "B-3").Status);

        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Post, $"/api/tickets/{ticketId}/refund", fan, new { reason = "I want my money" }), 403, "forbidden", "fan refund");
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Post, $"/api/tickets/{ticketId}/refund", world.OtherOrganizer, new { reason = "x" }), 403, "forbidden", "rival refund");
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Post, $"/api/tickets/{ticketId}/refund", world.Organizer, new { reason = "" }), 400, "validation", "empty reason");
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Post, $"/api/tickets/{ticketId}/refund", world.Organizer, new { }), 400, "validation", "no reason");
        Assert.Equal("Sold", (await Section(world.EventId, "stalls")).Seats!.Single(s => s.SeatId == "B-3").Status);

        var response = await Api.SendAsync(HttpMethod.Post, $"/api/tickets/{ticketId}/refund", world.Organizer, new { reason = "row B is closed" });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await DescribeAsync(response));
        var refunded = await TicketFlashClient.ReadAsync<TicketBody>(response);
        Assert.Equal("Refunded", refunded.Status);
        Assert.Contains("row B is closed", refunded.History[^1].Reason, StringComparison.Ordinal);

        var after = await Section(world.EventId, "stalls");
        Assert.Equal("Available", after.Seats!.Single(s => s.SeatId == "B-3").Status);
        Assert.Equal((before.Sold - 1, before.Available + 1), (after.Sold, after.Available));

        var again = await AssertProblemAsync(await Api.SendAsync(HttpMethod.Post, $"/api/tickets/{ticketId}/refund", world.Organizer, new { reason = "again" }),
            409, "invalid-state", "second refund");
        Assert.Contains("Refunded", again["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Refund", again["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Get, $"/api/tickets/{ticketId}/code", fan), 409, "invalid-state", "code of a refunded ticket");
        Assert.Equal("Revoked", (await CheckIn(world.Staff, world.EventId, code)).Result); // the printed code is dead

        var rebuy = await Buy(world.EventId, 1, "stalls", ["B-3"]);
        Assert.Equal(["B-3"], rebuy.Order.Seats);
    }

    /// <summary>/api/me/tickets reads the ticket grains, so it shows a refunded ticket as Refunded, like /api/tickets/{id}.</summary>
    [Fact]
    public async Task Me_tickets_lists_a_refunded_ticket_with_its_real_status_not_Active()
    {
        var world = await GetWorld();
        var (fan, order) = await Buy(world.EventId, 2);
        var refundedId = order.Tickets[0].TicketId;
        var refund = await Api.SendAsync(HttpMethod.Post, $"/api/tickets/{refundedId}/refund", world.Organizer, new { reason = "double booking" });
        Assert.True(refund.StatusCode == HttpStatusCode.OK, await DescribeAsync(refund));
        Assert.Equal("Refunded", (await GetTicket(fan, refundedId)).Status);

        var response = await Api.SendAsync(HttpMethod.Get, "/api/me/tickets", fan);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await DescribeAsync(response));
        var mine = await response.Content.ReadFromJsonAsync<List<JsonObject>>(TicketFlashClient.Json);

        var listed = mine!.Single(t => t["ticketId"]!.GetValue<Guid>() == refundedId);
        Assert.Equal("Refunded", listed["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Revocation_and_history_history_is_for_the_owner_and_the_organizer_403_for_another_fan()
    {
        var world = await GetWorld();
        var (fan, order) = await Buy(world.EventId, 1);
        var ticketId = order.Tickets[0].TicketId;
        var code = await Code(fan, ticketId);
        var otherFan = await Api.TokenAsync(Unique("fan"), ["fan"]);

        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Post, $"/api/tickets/{ticketId}/revoke", world.Organizer, new { reason = "  " }), 400, "validation", "blank reason");
        var revoked = await Api.SendAsync(HttpMethod.Post, $"/api/tickets/{ticketId}/revoke", world.Organizer, new { reason = "resold above face value" });
        Assert.True(revoked.StatusCode == HttpStatusCode.OK, await DescribeAsync(revoked));
        Assert.Equal("Revoked", (await TicketFlashClient.ReadAsync<TicketBody>(revoked)).Status);

        var histories = new Dictionary<string, List<TransitionBody>>();
        foreach (var (who, token) in new[] { ("owner", fan), ("organizer", world.Organizer), ("admin", world.Admin) })
        {
            var response = await Api.SendAsync(HttpMethod.Get, $"/api/tickets/{ticketId}/history", token);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{who}: {await DescribeAsync(response)}");
            histories[who] = await TicketFlashClient.ReadAsync<List<TransitionBody>>(response);
        }
        var history = histories["owner"];
        Assert.Equal([("Reserved", "Sold"), ("Sold", "Active"), ("Active", "Revoked")], history.Select(h => (h.From, h.To)));
        Assert.All(history, h => Assert.False(string.IsNullOrWhiteSpace(h.By)));
        Assert.Contains("resold above face value", history[^1].Reason, StringComparison.Ordinal);
        Assert.NotEqual(history[0].By, history[^1].By); // the fan bought it, the organizer revoked it
        Assert.InRange(history[^1].At, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(history, histories["organizer"]);
        Assert.Equal(history, histories["admin"]);

        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Get, $"/api/tickets/{ticketId}/history", otherFan), 403, "forbidden", "another fan's history");
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Get, $"/api/tickets/{ticketId}/history", world.OtherOrganizer), 403, "forbidden", "rival's history");
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Get, $"/api/tickets/{ticketId}", otherFan), 403, "forbidden", "another fan's ticket");
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Get, $"/api/tickets/{Guid.NewGuid()}/history", fan), 404, "not-found", "unknown ticket");

        var atGate = await CheckIn(world.Staff, world.EventId, code);
        Assert.Equal("Revoked", atGate.Result);
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Post, $"/api/tickets/{ticketId}/revoke", world.Organizer, new { reason = "twice" }), 409, "invalid-state", "second revoke");
    }

    [Fact]
    public async Task Gate_stats_count_admissions_and_refusals_per_gate()
    {
        var world = await GetWorld();
        var eventId = await CreateEventStartingSoon(Api, world.Organizer, world.VenueId);
        var (fan, order) = await Buy(eventId, 3);
        var codes = new List<string>();
        foreach (var t in order.Tickets) codes.Add(await Code(fan, t.TicketId));

        Assert.Equal("Admitted", (await CheckIn(world.Staff, eventId, codes[0], "east")).Result);
        Assert.Equal("Admitted", (await CheckIn(world.Staff, eventId, codes[1], "east")).Result);
        Assert.Equal("Admitted", (await CheckIn(world.Staff, eventId, codes[2], "west")).Result);
        Assert.Equal("AlreadyCheckedIn", (await CheckIn(world.Staff, eventId, codes[0], "west")).Result);
        Assert.Equal("Invalid", (await CheckIn(world.Staff, eventId, "not a ticket", "west")).Result);

        foreach (var token in new[] { world.Staff, world.Organizer, world.Admin })
        {
            var response = await Api.SendAsync(HttpMethod.Get, $"/api/events/{eventId}/checkin/stats", token);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await DescribeAsync(response));
            var stats = await TicketFlashClient.ReadAsync<CheckInStatsBody>(response);
            Assert.Equal((eventId, 3, 2), (stats.EventId, stats.Admitted, stats.Refused));
            Assert.Equal([new GateCountBody("east", 2, 0), new GateCountBody("west", 1, 2)], stats.Gates);
            Assert.Equal(60, stats.AdmittedPerMinute.Count);
            Assert.Equal(3, stats.AdmittedPerMinute.Sum());
        }
        await AssertProblemAsync(await Api.SendAsync(HttpMethod.Get, $"/api/events/{eventId}/checkin/stats", world.OtherOrganizer), 403, "forbidden", "rival stats");
    }
}
