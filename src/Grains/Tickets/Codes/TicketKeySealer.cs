using System.Security.Cryptography;
using System.Text;

namespace TicketFlash.Grains.Tickets.Codes;

/// <summary>
/// Encrypts signing keys at rest: AES-256-GCM under a master key that comes only from configuration
/// (<c>Keys:MasterKey</c>, base64 of 32 bytes, e.g. <c>TF_Keys__MasterKey</c>). The associated data names the event and
/// key id, so a sealed key copied into another event's row does not open. Without a master key (development only; the
/// silo refuses to start so in Production) keys are stored as they are.
/// </summary>
public sealed class TicketKeySealer
{
    public const string ConfigKey = "Keys:MasterKey";
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[]? _masterKey;

    public TicketKeySealer(byte[]? masterKey)
    {
        if (masterKey is not null && masterKey.Length != 32)
            throw new ArgumentException($"{ConfigKey} must be 32 bytes (base64), got {masterKey.Length}.", nameof(masterKey));
        _masterKey = masterKey;
    }

    public bool Seals => _masterKey is not null;

    public static TicketKeySealer FromConfiguration(string? base64MasterKey)
    {
        if (string.IsNullOrWhiteSpace(base64MasterKey)) return new TicketKeySealer(null);
        try
        {
            return new TicketKeySealer(Convert.FromBase64String(base64MasterKey.Trim()));
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{ConfigKey} is not base64.");
        }
    }

    /// <summary>version | nonce | tag | ciphertext.</summary>
    public byte[] Seal(ReadOnlySpan<byte> privateKey, Guid eventId, uint keyId)
    {
        var master = _masterKey ?? throw new InvalidOperationException($"{ConfigKey} is not configured.");
        var sealedKey = new byte[1 + NonceSize + TagSize + privateKey.Length];
        sealedKey[0] = FormatVersion;
        var nonce = sealedKey.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(master, TagSize);
        aes.Encrypt(nonce, privateKey, sealedKey.AsSpan(1 + NonceSize + TagSize), sealedKey.AsSpan(1 + NonceSize, TagSize), Context(eventId, keyId));
        return sealedKey;
    }

    /// <summary>The private key, or a <see cref="CryptographicException"/> when the master key or context is wrong.</summary>
    public byte[] Open(ReadOnlySpan<byte> sealedKey, Guid eventId, uint keyId)
    {
        var master = _masterKey ?? throw new InvalidOperationException($"This event's keys are sealed, but {ConfigKey} is not configured.");
        if (sealedKey.Length <= 1 + NonceSize + TagSize || sealedKey[0] != FormatVersion)
            throw new CryptographicException("Unknown sealed key format.");
        var privateKey = new byte[sealedKey.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(master, TagSize);
        aes.Decrypt(sealedKey.Slice(1, NonceSize), sealedKey[(1 + NonceSize + TagSize)..], sealedKey.Slice(1 + NonceSize, TagSize), privateKey, Context(eventId, keyId));
        return privateKey;
    }

    private static byte[] Context(Guid eventId, uint keyId) => Encoding.UTF8.GetBytes($"ticketflash/ticket-key/{eventId:N}/{keyId}");
}
