using System.Text.Json.Nodes;

namespace TicketFlash.Integration.Tests.Api.Fuzz;

/// <summary>One operation of the running API's OpenAPI document: method, path template, parameters, body schema.</summary>
public sealed record FuzzOperation(string Method, string Path, IReadOnlyList<FuzzParameter> Parameters, JsonNode? Body)
{
    public override string ToString() => $"{Method} {Path}";

    public static List<FuzzOperation> Read(JsonNode document)
    {
        var operations = new List<FuzzOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, op) in item!.AsObject())
            {
                if (method == "parameters" || op is null) continue;
                var parameters = (op["parameters"]?.AsArray() ?? [])
                    .Select(p => new FuzzParameter(p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), p["schema"] ?? new JsonObject()))
                    .ToList();
                operations.Add(new FuzzOperation(method.ToUpperInvariant(), path, parameters, op["requestBody"]?["content"]?["application/json"]?["schema"]));
            }
        }
        return operations;
    }
}
