using System.Text;
using Orleans.Storage;

namespace TicketFlash.Silo.Storage;

/// <summary>
/// A grain's row key in <c>orleans_storage</c>, derived exactly as Orleans' ADO.NET provider derives it (the same
/// columns, the same StableHash of the same bytes), so a row written here can be read by <c>AdoNetGrainStorage</c>
/// and the other way round: the batched writer changes how rows travel, not what they are.
/// </summary>
internal readonly record struct StorageRowKey(int GrainIdHash, int GrainTypeHash, long N0, long N1, string GrainType, string? Extension)
    : IComparable<StorageRowKey>
{
    private static readonly OrleansDefaultHasher Hasher = new();

    public static StorageRowKey For(string stateName, GrainId grainId)
    {
        // The ADO.NET provider rewrites generic CLR type names; TicketFlash stores under plain state names only.
        if (stateName.Contains('`', StringComparison.Ordinal))
            throw new NotSupportedException($"State name '{stateName}' looks like a generic type name; use a plain [PersistentState] name.");

        long n0 = 0, n1 = 0;
        string? extension;
        byte[] idBytes;
        if (grainId.TryGetGuidKey(out var guid, out extension))
        {
            idBytes = guid.ToByteArray();
            n0 = BitConverter.ToInt64(idBytes, 0);
            n1 = BitConverter.ToInt64(idBytes, 8);
            idBytes = Append(idBytes, extension);
        }
        else if (grainId.TryGetIntegerKey(out var number, out extension))
        {
            n1 = number;
            idBytes = Append(BitConverter.GetBytes(number), extension);
        }
        else
        {
            // String keys: the whole key is the "extension" column and the only hashed bytes.
            extension = grainId.Key.ToString();
            idBytes = Encoding.UTF8.GetBytes(extension);
        }
        if (BitConverter.IsLittleEndian) Array.Reverse(idBytes);
        return new StorageRowKey(Hasher.Hash(idBytes), Hasher.Hash(Encoding.UTF8.GetBytes(stateName)), n0, n1, stateName, extension);
    }

    public int CompareTo(StorageRowKey other)
    {
        var order = GrainIdHash.CompareTo(other.GrainIdHash);
        if (order == 0) order = GrainTypeHash.CompareTo(other.GrainTypeHash);
        if (order == 0) order = N0.CompareTo(other.N0);
        if (order == 0) order = N1.CompareTo(other.N1);
        if (order == 0) order = string.CompareOrdinal(GrainType, other.GrainType);
        return order == 0 ? string.CompareOrdinal(Extension, other.Extension) : order;
    }

    private static byte[] Append(byte[] key, string? extension) =>
        extension is null ? key : [.. key, .. Encoding.UTF8.GetBytes(extension)];
}
