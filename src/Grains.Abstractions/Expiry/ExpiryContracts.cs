namespace TicketFlash.Abstractions.Expiry;

[GenerateSerializer, Immutable, Alias("tf.ExpiryProgress")]
public sealed record ExpiryProgress(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] bool Started,
    [property: Id(2)] bool Completed,
    [property: Id(3)] int OrdersVisited,
    [property: Id(4)] int TicketsExpired,
    [property: Id(5)] int TicketsUnchanged,
    [property: Id(6)] DateTimeOffset? CompletedAt);

/// <summary>
/// Expires the unused tickets of one event (keyed by event id) once its check-in window has closed: started once by the
/// event's reminder, resumable like the refund run.
/// </summary>
[Alias("tf.IExpiryRunGrain")]
public interface IExpiryRunGrain : IGrainWithGuidKey
{
    [Alias("Start")]
    Task<ExpiryProgress> Start(IReadOnlyList<string> sectionIds);

    [Alias("GetProgress")]
    Task<ExpiryProgress> GetProgress();
}
