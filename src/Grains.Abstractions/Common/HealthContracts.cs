
namespace TicketFlash.Abstractions.Common;

/// <summary>Readiness probe: answers only if a silo is reachable and can read grain storage.</summary>
[Alias("tf.IClusterHealthGrain")]
public interface IClusterHealthGrain : IGrainWithIntegerKey
{
    [Alias("Check")]
    Task<bool> Check();
}
