using System.Net;
using System.Text.Json.Nodes;
using TicketFlash.Integration.Tests.Infrastructure;
using static TicketFlash.Integration.Tests.Api.ApiTestKit;

namespace TicketFlash.Integration.Tests.Api;

[Collection(OneNodeCollection.Name)]
public sealed class OpenApiAndHealthTests(OneNodeCluster cluster)
{
    private HttpClient Http => cluster.Client.Http;

    [Fact]
    public async Task OpenApi_documents_the_order_routes_and_their_problem_responses()
    {
        var response = await Http.GetAsync("/openapi/v1.json"); // anonymous
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        var paths = doc["paths"]!.AsObject();

        var expected = new (string Path, string Method, string[] Codes)[]
        {
            ("/api/orders", "post", ["201", "400", "404", "409", "422"]),
            ("/api/orders/{id}", "get", ["200", "403", "404"]),
            ("/api/orders/{id}/pay", "post", ["200", "403", "404", "409"]),
            ("/api/orders/{id}", "delete", ["200", "403", "404", "409"]),
            ("/api/events/{id}/availability", "get", ["200", "404"]),
            ("/api/me/orders", "get", ["200"]),
            ("/api/venues", "post", ["201"]),
            ("/api/events", "post", ["201"]),
        };
        foreach (var (path, method, codes) in expected)
        {
            var operation = paths[path]?[method]?.AsObject();
            Assert.True(operation is not null, $"{method.ToUpperInvariant()} {path} is not documented; paths: {string.Join(", ", paths.Select(p => p.Key))}");
            var responses = operation!["responses"]!.AsObject();
            foreach (var code in codes)
            {
                Assert.True(responses.ContainsKey(code), $"{method.ToUpperInvariant()} {path} does not list {code}; it lists {string.Join(", ", responses.Select(r => r.Key))}");
                if (code[0] is '4' or '5')
                {
                    var content = responses[code]!["content"]?.AsObject();
                    Assert.True(content?.ContainsKey(ProblemJson) == true, $"{method.ToUpperInvariant()} {path} {code} is not documented as {ProblemJson}: {responses[code]!.ToJsonString()}");
                }
            }
        }
        // The order request documents its Idempotency-Key header.
        var parameters = paths["/api/orders"]!["post"]!["parameters"]?.AsArray() ?? [];
        Assert.Contains(parameters, p => p!["name"]?.GetValue<string>() == "Idempotency-Key" && p["in"]?.GetValue<string>() == "header");
    }

    [Fact]
    public async Task OpenApi_describes_the_availability_response_and_the_live_push_with_their_field_types()
    {
        var doc = JsonNode.Parse(await Http.GetStringAsync("/openapi/v1.json"))!;
        var schemas = doc["components"]!["schemas"]!.AsObject();
        var response = doc["paths"]!["/api/events/{id}/availability"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!;
        Assert.Equal("#/components/schemas/AvailabilityResponse", response["$ref"]!.GetValue<string>());

        var expected = new Dictionary<string, (string Field, string Type)[]>
        {
            ["AvailabilityResponse"] = [("eventId", "string"), ("sections", "array")],
            ["SectionAvailability"] = [("sectionId", "string"), ("capacity", "integer"), ("available", "integer"), ("held", "integer"), ("sold", "integer"), ("seats", "null,array"), ("version", "integer")],
            ["SeatState"] = [("seatId", "string"), ("status", "$ref")],
            ["AvailabilitySnapshot"] = [("eventId", "string"), ("sections", "array"), ("at", "string"), ("seatChanges", "array")],
            ["SectionSeatChanges"] = [("sectionId", "string"), ("fromVersion", "integer"), ("version", "integer"), ("resync", "boolean"), ("seats", "array")],
        };
        foreach (var (name, fields) in expected)
        {
            var schema = schemas[name]?.AsObject();
            Assert.True(schema is not null, $"no schema {name}; schemas: {string.Join(", ", schemas.Select(s => s.Key))}");
            var required = schema!["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToHashSet();
            foreach (var (field, type) in fields)
            {
                var property = schema["properties"]![field];
                Assert.True(property is not null, $"{name} lacks '{field}': {schema.ToJsonString()}");
                var actual = property!["$ref"] is not null ? "$ref"
                    : property["type"] is JsonArray types ? string.Join(",", types.Select(t => t!.GetValue<string>())) : property["type"]!.GetValue<string>();
                Assert.True(actual == type, $"{name}.{field} is documented as {actual}, not {type}: {property.ToJsonString()}");
                Assert.Contains(field, required);
            }
        }
        Assert.Equal(["Available", "Reserved", "Sold"], schemas["SeatStatus"]!["enum"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal("string", schemas["SeatStatus"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_endpoints_answer_200_without_a_token()
    {
        foreach (var path in new[] { "/health/live", "/health/ready" })
        {
            var response = await Http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {await DescribeAsync(response)}");
        }
    }

    [Fact]
    public async Task Json_is_camelCase_in_answers_and_problems()
    {
        var api = cluster.Client;
        var organizer = await api.TokenAsync("camel-org", ["organizer"], "camel");
        var fan = await api.TokenAsync(Unique("camel-fan"), ["fan"]);
        var venue = await api.CreateVenueAsync(organizer, new { id = "R", name = "Rows", rows = 1, seatsPerRow = 4 });
        var eventId = await api.CreateEventAsync(organizer, venue, ["R"]);

        var order = await api.SendAsync(HttpMethod.Post, "/api/orders", fan, new { eventId, quantity = 1, sectionId = "R" }, "camel-1");
        var orderJson = await ReadObject(order, HttpStatusCode.Created);
        foreach (var field in new[] { "orderId", "customerId", "eventId", "sectionId", "status", "seats", "quantity", "total", "currency", "expiresAt", "tickets" })
            Assert.True(orderJson.ContainsKey(field), $"order lacks '{field}': {orderJson.ToJsonString()}");
        Assert.Equal("Held", orderJson["status"]!.GetValue<string>()); // enums as strings

        var documents = new List<(string What, JsonNode Json)>
        {
            ("order", orderJson),
            ("event", await ReadObject(await api.SendAsync(HttpMethod.Get, $"/api/events/{eventId}", null), HttpStatusCode.OK)),
            ("availability", await ReadObject(await api.SendAsync(HttpMethod.Get, $"/api/events/{eventId}/availability?seats=true", null), HttpStatusCode.OK)),
            ("events", JsonNode.Parse(await Http.GetStringAsync("/api/events"))!),
            ("paid", await ReadObject(await api.SendAsync(HttpMethod.Post, $"/api/orders/{orderJson["orderId"]}/pay", fan), HttpStatusCode.OK)),
            ("problem", await ReadObject(await api.SendAsync(HttpMethod.Get, $"/api/orders/{Guid.NewGuid()}", fan), HttpStatusCode.NotFound)),
        };
        var availability = documents.Single(d => d.What == "availability").Json;
        var section = availability["sections"]!.AsArray().Single()!.AsObject();
        foreach (var field in new[] { "sectionId", "capacity", "available", "held", "sold", "seats", "version" })
            Assert.True(section.ContainsKey(field), $"availability section lacks '{field}': {section.ToJsonString()}");
        foreach (var (what, json) in documents)
        {
            var pascal = PropertyNames(json).Where(n => !char.IsLower(n[0])).ToList();
            Assert.True(pascal.Count == 0, $"{what} has non-camelCase properties {string.Join(", ", pascal)}: {json.ToJsonString()}");
        }
    }

    private static async Task<JsonObject> ReadObject(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.True(response.StatusCode == expected, await DescribeAsync(response));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static IEnumerable<string> PropertyNames(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => PropertyNames(p.Value).Prepend(p.Key)),
        JsonArray a => a.SelectMany(PropertyNames),
        _ => [],
    };
}
