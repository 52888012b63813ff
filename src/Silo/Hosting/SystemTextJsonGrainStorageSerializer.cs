using System.Text.Json;
using Orleans.Storage;

namespace TicketFlash.Silo.Hosting;

/// <summary>
/// Grain state as plain System.Text.Json: no CLR type names in the stored document, so renaming or moving a class
/// does not break state already in the database. Polymorphic values carry explicit, stable discriminators.
/// </summary>
public sealed class SystemTextJsonGrainStorageSerializer : IGrainStorageSerializer
{
    internal static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
    };

    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    public T Deserialize<T>(BinaryData input) =>
        JsonSerializer.Deserialize<T>(input.ToMemory().Span, Options) ?? throw new JsonException($"Stored state of {typeof(T).Name} is null.");
}
