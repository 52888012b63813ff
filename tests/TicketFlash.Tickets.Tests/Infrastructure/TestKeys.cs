using NSec.Cryptography;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tickets.Codes;

namespace TicketFlash.Tickets.Tests.Infrastructure;

/// <summary>A local Ed25519 key with its event and id, for tests of the code format that need no cluster.</summary>
public sealed class TestKey : IDisposable
{
    public TestKey(Guid? eventId = null, uint keyId = 7)
    {
        EventId = eventId ?? Guid.NewGuid();
        KeyId = keyId;
        Key = Key.Create(SignatureAlgorithm.Ed25519);
    }

    public Guid EventId { get; }

    public uint KeyId { get; }

    public Key Key { get; }

    public TicketPublicKey Public => new(EventId, KeyId, TicketCode.Algorithm, Key.PublicKey.Export(KeyBlobFormat.RawPublicKey), DateTimeOffset.UtcNow, null);

    public TicketKeyRing Ring() => new([Public]);

    public TicketCodePayload Payload(TicketCodeMode mode = TicketCodeMode.Static, DateTimeOffset? validFrom = null, DateTimeOffset? validTo = null,
        uint? window = null, uint serial = 3) =>
        new(TicketCode.CurrentVersion, mode, KeyId, EventId, Guid.NewGuid(), serial,
            validFrom ?? DateTimeOffset.UtcNow.AddHours(-1), validTo ?? DateTimeOffset.UtcNow.AddHours(6),
            mode == TicketCodeMode.Rotating ? window ?? TicketCode.WindowAt(DateTimeOffset.UtcNow) : null);

    public SignedTicketCode Sign(TicketCodePayload payload) => TicketCode.Sign(payload, Key);

    public void Dispose() => Key.Dispose();
}
