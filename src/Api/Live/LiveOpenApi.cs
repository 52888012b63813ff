using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using TicketFlash.Abstractions.Inventory;
using TicketFlash.Abstractions.Live;
using TicketFlash.Api.Endpoints;

namespace TicketFlash.Api.Live;

/// <summary>
/// The stock shapes in /openapi/v1.json exactly as the server writes them, because a typed TypeScript client is generated
/// from it: numbers are numbers (the web defaults would document "integer or string", since they accept strings when
/// reading), every field is always present, enums are strings, and the SignalR <c>availabilityChanged</c> payload, which
/// no route returns, is listed under components as <c>AvailabilitySnapshot</c>.
/// </summary>
public static class LiveOpenApi
{
    private static readonly HashSet<Type> StockTypes =
        [typeof(AvailabilityResponse), typeof(SectionAvailability), typeof(SeatState), typeof(AvailabilitySnapshot), typeof(SectionSeatChanges)];

    public static OpenApiOptions AddStockSchemas(this OpenApiOptions options)
    {
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            if (type == typeof(SeatStatus)) schema.Type = JsonSchemaType.String;
            if (!StockTypes.Contains(type) || schema.Properties is null) return Task.CompletedTask;
            schema.Required ??= new HashSet<string>();
            foreach (var (name, property) in schema.Properties)
            {
                schema.Required.Add(name);
                if (property is OpenApiSchema { Type: { } t } p && t.HasFlag(JsonSchemaType.Integer) && t.HasFlag(JsonSchemaType.String))
                {
                    p.Type = JsonSchemaType.Integer;
                    p.Pattern = null;
                }
            }
            return Task.CompletedTask;
        });
        options.AddDocumentTransformer(async (document, context, ct) =>
        {
            // Schemas made here come inline; refer to the named ones instead, so a generator makes one type per shape.
            // SectionAvailability and SeatState are components already: GET availability returns them.
            var changes = (OpenApiSchema)await context.GetOrCreateSchemaAsync(typeof(SectionSeatChanges), null, ct);
            changes.Properties!["seats"] = ArrayOf(nameof(SeatState), document);
            document.AddComponent(nameof(SectionSeatChanges), changes);
            var snapshot = (OpenApiSchema)await context.GetOrCreateSchemaAsync(typeof(AvailabilitySnapshot), null, ct);
            snapshot.Properties!["sections"] = ArrayOf(nameof(SectionAvailability), document);
            snapshot.Properties["seatChanges"] = ArrayOf(nameof(SectionSeatChanges), document);
            snapshot.Description = "The SignalR message availabilityChanged on /hubs/live (and what WatchEvent returns, with seatChanges empty).";
            document.AddComponent(nameof(AvailabilitySnapshot), snapshot);
        });
        return options;
    }

    private static OpenApiSchema ArrayOf(string component, OpenApiDocument document) =>
        new() { Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference(component, document) };
}
