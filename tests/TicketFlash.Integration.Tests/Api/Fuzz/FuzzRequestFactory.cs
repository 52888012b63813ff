using System.Text;
using System.Text.Json.Nodes;

namespace TicketFlash.Integration.Tests.Api.Fuzz;

/// <summary>
/// Builds request <c>i</c> of a run from <c>Random(seed, i)</c>: the operation round-robin (so every operation gets its
/// share), then its parameters, headers, token and body, each either plausible or broken in one of many ways.
/// </summary>
public sealed class FuzzRequestFactory(IReadOnlyList<FuzzOperation> operations, JsonNode document, FuzzWorld world)
{
    private readonly JsonObject _schemas = document["components"]?["schemas"]?.AsObject() ?? [];
    private static readonly string[] OtherMethods = ["PUT", "PATCH", "DELETE", "POST", "GET"];

    public FuzzRequest Create(int seed, int index)
    {
        var rnd = new Random(HashCode.Combine(seed, index));
        var op = operations[index % operations.Count];
        // A quarter of the requests are well-formed and signed in: real purchases, payments, transfers and listings race
        // the junk, so the sales check afterwards has sales to check.
        var clean = rnd.Next(4) == 0;
        var path = op.Path;
        var query = new List<string>();
        var headers = new Dictionary<string, string>();
        foreach (var p in op.Parameters)
        {
            switch (p.In)
            {
                case "path":
                    path = path.Replace("{" + p.Name + "}", clean ? CleanPathValue(rnd, p, op) : PathValue(rnd, p, op), StringComparison.Ordinal);
                    break;
                case "query" when clean:
                    if (p.Name is "seats" or "mode" or "format") query.Add($"{p.Name}={QueryValue(rnd, p, clean: true)}");
                    break;
                case "query" when rnd.Next(5) > 0:
                    query.Add($"{Uri.EscapeDataString(p.Name)}={FuzzValues.Escape(QueryValue(rnd, p, clean: false), 1500)}");
                    break;
                case "header" when clean:
                    headers[p.Name] = Guid.NewGuid().ToString("N");
                    break;
                case "header" when rnd.Next(8) > 0:
                    headers[p.Name] = rnd.Next(10) switch
                    {
                        0 => "",
                        1 => new string('k', rnd.Next(100, 2000)),
                        2 => FuzzValues.AsciiGarbage(rnd),
                        3 => "fz-reused-key", // the same key with different bodies: a typed 422, never a second effect
                        _ => Guid.NewGuid().ToString("N"),
                    };
                    break;
            }
        }
        if (!clean && rnd.Next(15) == 0) query.Add($"{FuzzValues.Escape(FuzzValues.OddString(rnd, 40), 300)}={FuzzValues.Escape(FuzzValues.OddString(rnd, 100), 1000)}");
        var url = query.Count == 0 ? path : path + "?" + string.Join('&', query);
        if (clean)
        {
            var cleanBody = op.Body is null ? null : Encoding.UTF8.GetBytes(Value(rnd, op.Body, null, 0, clean: true)?.ToJsonString() ?? "{}");
            return new FuzzRequest(op, op.Method, url, "Bearer " + world.CleanToken(rnd, op), headers, cleanBody, cleanBody is null ? null : "application/json");
        }
        var method = rnd.Next(30) == 0 ? OtherMethods[rnd.Next(OtherMethods.Length)] : op.Method;
        var (body, contentType) = op.Body is not null || rnd.Next(10) == 0 ? Body(rnd, op.Body) : (null, null);
        return new FuzzRequest(op, method, url, FuzzTokens.Pick(rnd, world), headers, body, contentType);
    }

    private string PathValue(Random rnd, FuzzParameter p, FuzzOperation op)
    {
        if (p.Schema["format"]?.GetValue<string>() == "uuid" || p.Name == "id")
            return rnd.Next(6) == 0 ? FuzzValues.BadSegment(rnd) : SparingTheSale(world.PickId(rnd), op).ToString();
        return rnd.Next(3) == 0 ? FuzzValues.BadSegment(rnd) : FuzzWorld.Users[rnd.Next(FuzzWorld.Users.Length)];
    }

    /// <summary>Ids of things made lately.</summary>
    private string CleanPathValue(Random rnd, FuzzParameter p, FuzzOperation op)
    {
        if (p.Name != "id" && p.Schema["format"]?.GetValue<string>() != "uuid") return FuzzWorld.Users[rnd.Next(2)];
        return SparingTheSale(world.PickId(rnd, fresh: true), op).ToString();
    }

    /// <summary>Pausing or cancelling the sale event would end the sale within the first seconds (other events are fair game).</summary>
    private Guid SparingTheSale(Guid id, FuzzOperation op) =>
        id == world.SaleEvent && (op.Path.EndsWith("/pause", StringComparison.Ordinal) || op.Path.EndsWith("/cancel", StringComparison.Ordinal))
            ? Guid.NewGuid()
            : id;

    private static string QueryValue(Random rnd, FuzzParameter p, bool clean) => (p.Name, clean ? 0 : rnd.Next(4)) switch
    {
        ("seats", < 3) => rnd.Next(2) == 0 ? "true" : "false",
        ("mode", < 3) => rnd.Next(2) == 0 ? "static" : "rotating",
        ("format", < 3) => rnd.Next(2) == 0 ? "png" : "svg",
        _ => FuzzValues.OddString(rnd, 150), // escaped, the request line stays under Kestrel's 8 KB
    };

    private (byte[] Body, string? ContentType) Body(Random rnd, JsonNode? schema)
    {
        var json = schema is null ? "{}" : Value(rnd, schema, null, 0)?.ToJsonString() ?? "null";
        // Megabytes are refused at 64 KB while the client is still sending them (a broken pipe, not an answer): near the
        // limit is as far as generated bodies go; case 7 goes over it on purpose.
        if (json.Length > 60_000) json = json[..60_000];
        const string Json = "application/json";
        return rnd.Next(24) switch
        {
            0 => (Encoding.UTF8.GetBytes(json[..rnd.Next(json.Length + 1)]), Json), // cut anywhere
            1 => ([.. Encoding.UTF8.GetBytes(json[..(json.Length / 2)]), 0xC3, 0x28, 0xFF, .. "\"}"u8], Json), // invalid UTF-8
            2 => ([], Json),
            3 => (Encoding.UTF8.GetBytes(json), "text/plain"),
            4 => (Encoding.UTF8.GetBytes(json), null),
            5 => (Encoding.UTF8.GetBytes("a=1&b=2"), "application/x-www-form-urlencoded"),
            6 => (Encoding.UTF8.GetBytes(new string('[', 2000) + new string(']', 2000)), Json),
            7 => (Encoding.UTF8.GetBytes($"{{\"pad\": \"{new string('x', 70 * 1024)}\"}}"), Json), // over the 64 KB limit
            8 => (Encoding.UTF8.GetBytes(json.Replace("1", "1e400", StringComparison.Ordinal)), Json),
            9 => (Encoding.UTF8.GetBytes("{\"a\":1,\"a\":2, /* comment */ \"b\": \"\\ud800\"}"), Json),
            10 => (Encoding.UTF8.GetBytes(json), "application/json; charset=utf-16"),
            11 => (Encoding.UTF8.GetBytes(json), "application/xml"),
            _ => (Encoding.UTF8.GetBytes(json), Json),
        };
    }

    /// <summary>A value for <paramref name="schema"/>: mostly plausible (hints by property name), sometimes of the wrong type or odd.</summary>
    private JsonNode? Value(Random rnd, JsonNode schema, string? name, int depth, bool clean = false)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference) return Value(rnd, _schemas[reference.Split('/')[^1]] ?? new JsonObject(), name, depth, clean);
        if (schema["oneOf"] is JsonArray oneOf)
            return Value(rnd, oneOf.OfType<JsonNode>().FirstOrDefault(s => s["type"]?.ToString() != "null") ?? new JsonObject(), name, depth, clean);
        if (clean && CleanValue(rnd, name) is { } plausible) return plausible;
        switch (clean ? -1 : rnd.Next(14))
        {
            case 0: return Wrong(rnd, depth);
            case 1: return null;
        }
        if (schema["enum"] is JsonArray values) return values[rnd.Next(values.Count)]?.DeepClone();
        var type = schema["type"] switch
        {
            JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null") ?? "null",
            JsonValue single => single.GetValue<string>(),
            _ => schema["properties"] is not null ? "object" : "string",
        };
        switch (type)
        {
            case "object":
                var obj = new JsonObject();
                foreach (var (property, propertySchema) in schema["properties"]?.AsObject() ?? [])
                {
                    if (!clean && (rnd.Next(12) == 0 || depth > 4)) continue; // missing field
                    if (clean && property is "seats" or "rows" or "seatsPerRow" or "transferFreezeHours")
                    {
                        obj[property] = null; // any free place; general admission
                        continue;
                    }
                    obj[property] = Value(rnd, propertySchema!, property, depth + 1, clean);
                }
                if (!clean && rnd.Next(15) == 0) obj[FuzzValues.OddString(rnd, 30)] = FuzzValues.OddString(rnd, 100);
                return obj;
            case "array":
                var array = new JsonArray();
                var count = clean ? 1 : rnd.Next(8) == 0 ? rnd.Next(50, 400) : rnd.Next(0, 4);
                for (var i = 0; i < count && depth < 5; i++) array.Add(Value(rnd, schema["items"] ?? new JsonObject(), Singular(name), depth + 1, clean));
                return array;
            case "integer":
                return !clean && rnd.Next(6) == 0 ? FuzzValues.OddNumber(rnd) : JsonValue.Create(Small(rnd, name));
            case "number":
                return !clean && rnd.Next(6) == 0 ? FuzzValues.OddNumber(rnd) : JsonValue.Create(Math.Round(rnd.NextDouble() * 40 + 1, 2));
            case "boolean":
                return JsonValue.Create(rnd.Next(2) == 0);
            default:
                return JsonValue.Create(Text(rnd, schema["format"]?.GetValue<string>(), name, clean));
        }
    }

    private static string? Singular(string? name) => name switch { "seats" => "seat", "sections" => "section", "roles" => "role", _ => name };

    private static int Small(Random rnd, string? name) => name switch
    {
        "quantity" => rnd.Next(1, 5),
        "rows" or "seatsPerRow" => rnd.Next(1, 6),
        "capacity" => rnd.Next(1, 30),
        "perCustomerLimit" => rnd.Next(1, 10),
        "resaleCapPercent" => rnd.Next(50, 200),
        _ => rnd.Next(-5, 100),
    };

    private string Text(Random rnd, string? format, string? name, bool clean)
    {
        if (!clean && rnd.Next(8) == 0) return FuzzValues.OddString(rnd);
        return (format, name) switch
        {
            ("uuid", "eventId") when clean => world.SaleEvent.ToString(),
            ("uuid", _) => world.PickId(rnd, fresh: clean).ToString(),
            ("date-time", _) => DateTimeOffset.UtcNow.AddHours(rnd.Next(-48, 24 * 60)).ToString("O"),
            (_, "sectionId" or "section") => rnd.Next(3) switch { 0 => "GA", 1 => "R", _ => "X" },
            (_, "seat") => $"{(char)('A' + rnd.Next(4))}-{rnd.Next(0, 7)}",
            (_, "currency") => !clean && rnd.Next(3) == 0 ? "euro" : "EUR",
            (_, "role") => rnd.Next(4) switch { 0 => "fan", 1 => "organizer", 2 => "admin", _ => "venue" },
            (_, "to" or "sub") => FuzzWorld.Users[rnd.Next(FuzzWorld.Users.Length)],
            (_, "tenant") => rnd.Next(2) == 0 ? "fz" : "fz-other",
            (_, "publicKey") => Convert.ToBase64String([0x04, .. Enumerable.Range(0, rnd.Next(2) == 0 ? 64 : rnd.Next(0, 100)).Select(_ => (byte)rnd.Next(256))]),
            (_, "code") => FuzzValues.AsciiGarbage(rnd),
            _ => "fz " + rnd.Next(1000),
        };
    }

    /// <summary>Well-formed bodies the schema alone cannot describe: an order for the sale event, a sellable venue section.</summary>
    private JsonNode? CleanValue(Random rnd, string? name) => name switch
    {
        "seats" => null, // general admission or any free place: the inventory picks
        "sectionId" => JsonValue.Create(rnd.Next(2) == 0 ? "GA" : "R"),
        "quantity" => JsonValue.Create(rnd.Next(1, 3)),
        "startsAt" => JsonValue.Create(DateTimeOffset.UtcNow.AddDays(20)),
        "endsAt" => JsonValue.Create(DateTimeOffset.UtcNow.AddDays(20).AddHours(3)),
        "section" => JsonValue.Create("GA"),
        _ => null,
    };

    private static JsonNode? Wrong(Random rnd, int depth) => rnd.Next(7) switch
    {
        0 => JsonValue.Create(FuzzValues.OddString(rnd)),
        1 => JsonValue.Create(FuzzValues.OddNumber(rnd).ToJsonString()),
        2 => JsonValue.Create(rnd.Next(2) == 0),
        3 => new JsonArray(JsonValue.Create(1), JsonValue.Create("two"), null),
        4 => depth < 3 ? new JsonObject { ["nested"] = new JsonObject { ["deeper"] = JsonValue.Create(FuzzValues.OddString(rnd, 50)) } } : null,
        5 => FuzzValues.OddNumber(rnd),
        _ => JsonValue.Create(new string('x', rnd.Next(1000, 60_000))),
    };
}
