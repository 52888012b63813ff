namespace TicketFlash.Grains.Common;

public static class StorageNames
{
    /// <summary>The grain storage every aggregate uses (ADO.NET PostgreSQL in a cluster, memory in tests/dev).</summary>
    public const string Default = "Default";

    /// <summary>Stream subscriptions of memory streams.</summary>
    public const string PubSub = "PubSubStore";
}
