using NSec.Cryptography;
using TicketFlash.Abstractions.Tickets;

namespace TicketFlash.Grains.Tickets.Codes;

/// <summary>Where a verifier finds the public key a code names. Key ids are scoped to their event.</summary>
public interface ITicketKeyResolver
{
    PublicKey? Find(Guid eventId, uint keyId);
}

/// <summary>
/// Public keys as a scanner or a check-in grain holds them (from <see cref="ITicketKeyGrain.GetPublicKeys"/>), imported
/// once so each verification is a dictionary lookup plus the signature check. Immutable: build a new ring to refresh.
/// </summary>
public sealed class TicketKeyRing : ITicketKeyResolver
{
    private readonly Dictionary<(Guid EventId, uint KeyId), PublicKey> _keys = [];

    public TicketKeyRing(IEnumerable<TicketPublicKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            // A key in an unknown algorithm or with a broken blob verifies nothing: leaving it out makes its codes
            // UnknownKey instead of failing the whole ring.
            if (key.Algorithm != TicketCode.Algorithm) continue;
            if (PublicKey.TryImport(SignatureAlgorithm.Ed25519, key.PublicKey, KeyBlobFormat.RawPublicKey, out var imported) && imported is not null)
                _keys[(key.EventId, key.KeyId)] = imported;
        }
    }

    public int Count => _keys.Count;

    public PublicKey? Find(Guid eventId, uint keyId) => _keys.GetValueOrDefault((eventId, keyId));
}
