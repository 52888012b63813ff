using System.Text.Json.Nodes;

namespace TicketFlash.Integration.Tests.Api.Fuzz;

/// <summary>A path, query or header parameter of an operation, with its schema.</summary>
public sealed record FuzzParameter(string Name, string In, JsonNode Schema);
