using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace TicketFlash.Integration.Tests.Api.Fuzz;

/// <summary>A fuzzed request, kept as text so a failure can say exactly what was sent.</summary>
public sealed record FuzzRequest(FuzzOperation Operation, string Method, string Url, string? Authorization, Dictionary<string, string> Headers,
    byte[]? Body, string? ContentType)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Url);
        if (Authorization is not null) message.Headers.TryAddWithoutValidation("Authorization", Authorization);
        foreach (var (name, value) in Headers) message.Headers.TryAddWithoutValidation(name, value);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }
        return message;
    }

    public string Describe()
    {
        var body = Body is null ? "(no body)" : Encoding.UTF8.GetString(Body);
        if (body.Length > 400) body = body[..400] + $"… ({Body!.Length} bytes)";
        var auth = Authorization is null ? "none" : Authorization.Length > 60 ? Authorization[..60] + "…" : Authorization;
        return $"{Method} {(Url.Length > 300 ? Url[..300] + "…" : Url)} [{Operation}] auth={auth} headers={string.Join(",", Headers.Select(h => $"{h.Key}={h.Value[..Math.Min(40, h.Value.Length)]}"))} content-type={ContentType} body={body}";
    }
}

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
        var path = op.Path;
        var query = new List<string>();
        var headers = new Dictionary<string, string>();
        foreach (var p in op.Parameters)
        {
            switch (p.In)
            {
                case "path":
                    path = path.Replace("{" + p.Name + "}", PathValue(rnd, p), StringComparison.Ordinal);
                    break;
                case "query" when rnd.Next(5) > 0:
                    query.Add($"{Uri.EscapeDataString(p.Name)}={FuzzValues.Escape(QueryValue(rnd, p), 1500)}");
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
        if (rnd.Next(15) == 0) query.Add($"{FuzzValues.Escape(FuzzValues.OddString(rnd, 40), 300)}={FuzzValues.Escape(FuzzValues.OddString(rnd, 100), 1000)}");
        var method = rnd.Next(30) == 0 ? OtherMethods[rnd.Next(OtherMethods.Length)] : op.Method;
        var (body, contentType) = op.Body is not null || rnd.Next(10) == 0 ? Body(rnd, op.Body) : (null, null);
        var url = query.Count == 0 ? path : path + "?" + string.Join('&', query);
        return new FuzzRequest(op, method, url, FuzzTokens.Pick(rnd, world), headers, body, contentType);
    }

    private string PathValue(Random rnd, FuzzParameter p)
    {
        if (p.Schema["format"]?.GetValue<string>() == "uuid" || p.Name == "id")
            return rnd.Next(6) == 0 ? FuzzValues.BadSegment(rnd) : world.PickId(rnd).ToString();
        return rnd.Next(3) == 0 ? FuzzValues.BadSegment(rnd) : FuzzWorld.Users[rnd.Next(FuzzWorld.Users.Length)];
    }

    private static string QueryValue(Random rnd, FuzzParameter p) => (p.Name, rnd.Next(4)) switch
    {
        ("seats", < 3) => rnd.Next(2) == 0 ? "true" : "false",
        ("mode", < 3) => rnd.Next(2) == 0 ? "static" : "rotating",
        ("format", < 3) => rnd.Next(2) == 0 ? "png" : "svg",
        _ => FuzzValues.OddString(rnd, 150), // escaped, the request line stays under Kestrel's 8 KB
    };

    private (byte[] Body, string? ContentType) Body(Random rnd, JsonNode? schema)
    {
        var json = schema is null ? "{}" : Value(rnd, schema, null, 0)?.ToJsonString() ?? "null";
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
    private JsonNode? Value(Random rnd, JsonNode schema, string? name, int depth)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference) return Value(rnd, _schemas[reference.Split('/')[^1]] ?? new JsonObject(), name, depth);
        if (schema["oneOf"] is JsonArray oneOf)
            return Value(rnd, oneOf.OfType<JsonNode>().FirstOrDefault(s => s["type"]?.ToString() != "null") ?? new JsonObject(), name, depth);
        switch (rnd.Next(14))
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
                    if (rnd.Next(12) == 0 || depth > 4) continue; // missing field
                    obj[property] = Value(rnd, propertySchema!, property, depth + 1);
                }
                if (rnd.Next(15) == 0) obj[FuzzValues.OddString(rnd, 30)] = FuzzValues.OddString(rnd, 100);
                return obj;
            case "array":
                var array = new JsonArray();
                var count = rnd.Next(8) == 0 ? rnd.Next(50, 400) : rnd.Next(0, 4);
                for (var i = 0; i < count && depth < 5; i++) array.Add(Value(rnd, schema["items"] ?? new JsonObject(), Singular(name), depth + 1));
                return array;
            case "integer":
                return rnd.Next(6) == 0 ? FuzzValues.OddNumber(rnd) : JsonValue.Create(Small(rnd, name));
            case "number":
                return rnd.Next(6) == 0 ? FuzzValues.OddNumber(rnd) : JsonValue.Create(Math.Round(rnd.NextDouble() * 100, 2));
            case "boolean":
                return JsonValue.Create(rnd.Next(2) == 0);
            default:
                return JsonValue.Create(Text(rnd, schema["format"]?.GetValue<string>(), name));
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

    private string Text(Random rnd, string? format, string? name)
    {
        if (rnd.Next(8) == 0) return FuzzValues.OddString(rnd);
        return (format, name) switch
        {
            ("uuid", _) => world.PickId(rnd).ToString(),
            ("date-time", _) => DateTimeOffset.UtcNow.AddHours(rnd.Next(-48, 24 * 60)).ToString("O"),
            (_, "sectionId" or "section") => rnd.Next(3) switch { 0 => "GA", 1 => "R", _ => "X" },
            (_, "seat") => $"{(char)('A' + rnd.Next(4))}-{rnd.Next(0, 7)}",
            (_, "currency") => rnd.Next(3) == 0 ? "euro" : "EUR",
            (_, "role") => rnd.Next(4) switch { 0 => "fan", 1 => "organizer", 2 => "admin", _ => "venue" },
            (_, "to" or "sub") => FuzzWorld.Users[rnd.Next(FuzzWorld.Users.Length)],
            (_, "tenant") => rnd.Next(2) == 0 ? "fz" : "fz-other",
            (_, "publicKey") => Convert.ToBase64String([0x04, .. Enumerable.Range(0, rnd.Next(2) == 0 ? 64 : rnd.Next(0, 100)).Select(_ => (byte)rnd.Next(256))]),
            (_, "code") => FuzzValues.AsciiGarbage(rnd),
            _ => "fz " + rnd.Next(1000),
        };
    }

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
