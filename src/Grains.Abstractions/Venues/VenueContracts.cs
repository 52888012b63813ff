using TicketFlash.Abstractions.Common;

namespace TicketFlash.Abstractions.Venues;

/// <summary>A section is either reserved seating (rows × seats per row) or general admission (a capacity).</summary>
[GenerateSerializer, Immutable, Alias("tf.SectionDefinition")]
public sealed record SectionDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] int? Rows,
    [property: Id(3)] int? SeatsPerRow,
    [property: Id(4)] int? Capacity)
{
    public bool IsReservedSeating => Rows is not null;

    public int TotalCapacity => IsReservedSeating ? Rows!.Value * SeatsPerRow!.Value : Capacity!.Value;
}

[GenerateSerializer, Immutable, Alias("tf.VenueDetails")]
public sealed record VenueDetails(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Tenant,
    [property: Id(2)] string Name,
    [property: Id(3)] IReadOnlyList<SectionDefinition> Sections);

[Alias("tf.IVenueGrain")]
public interface IVenueGrain : IGrainWithGuidKey
{
    [Alias("Create")]
    Task<VenueDetails> Create(Actor actor, string name, IReadOnlyList<SectionDefinition> sections);

    [Alias("Get")]
    Task<VenueDetails> Get();
}
