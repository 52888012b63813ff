using System.Security.Cryptography;
using TicketFlash.Grains.Tickets.Codes;

namespace TicketFlash.Tickets.Tests.Codes;

public sealed class TicketKeySealerTests
{
    private static readonly byte[] MasterKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] PrivateKey = RandomNumberGenerator.GetBytes(32);
    private static readonly Guid EventId = Guid.NewGuid();

    [Fact]
    public void A_sealed_key_opens_to_the_same_bytes_and_does_not_contain_them()
    {
        var sealer = new TicketKeySealer(MasterKey);

        var sealedKey = sealer.Seal(PrivateKey, EventId, 1);

        Assert.Equal(PrivateKey, sealer.Open(sealedKey, EventId, 1));
        Assert.Equal(-1, sealedKey.AsSpan().IndexOf(PrivateKey));
        Assert.NotEqual(sealedKey, sealer.Seal(PrivateKey, EventId, 1)); // a fresh nonce every time
    }

    [Fact]
    public void A_sealed_key_does_not_open_for_another_event_another_key_id_or_another_master_key()
    {
        var sealedKey = new TicketKeySealer(MasterKey).Seal(PrivateKey, EventId, 1);

        Assert.ThrowsAny<CryptographicException>(() => new TicketKeySealer(MasterKey).Open(sealedKey, Guid.NewGuid(), 1));
        Assert.ThrowsAny<CryptographicException>(() => new TicketKeySealer(MasterKey).Open(sealedKey, EventId, 2));
        Assert.ThrowsAny<CryptographicException>(() => new TicketKeySealer(RandomNumberGenerator.GetBytes(32)).Open(sealedKey, EventId, 1));
    }

    [Fact]
    public void A_flipped_byte_anywhere_is_refused()
    {
        var sealer = new TicketKeySealer(MasterKey);
        var sealedKey = sealer.Seal(PrivateKey, EventId, 1);

        for (var i = 0; i < sealedKey.Length; i++)
        {
            var tampered = (byte[])sealedKey.Clone();
            tampered[i] ^= 0x01;
            Assert.ThrowsAny<CryptographicException>(() => sealer.Open(tampered, EventId, 1));
        }
    }

    [Fact]
    public void The_master_key_must_be_32_bytes_of_base64_and_without_one_nothing_is_sealed()
    {
        Assert.Throws<ArgumentException>(() => TicketKeySealer.FromConfiguration(Convert.ToBase64String(new byte[16])));
        Assert.Throws<ArgumentException>(() => TicketKeySealer.FromConfiguration("not base64!"));
        Assert.True(TicketKeySealer.FromConfiguration(Convert.ToBase64String(MasterKey)).Seals);
        var none = TicketKeySealer.FromConfiguration(null);
        Assert.False(none.Seals);
        Assert.Throws<InvalidOperationException>(() => none.Seal(PrivateKey, EventId, 1));
    }
}
