using System.Security.Cryptography;
using NSec.Cryptography;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Common;

namespace TicketFlash.Grains.Tickets.Codes;

public sealed class TicketKeyState
{
    /// <summary>0 while the event has no key yet; key ids start at 1.</summary>
    public uint CurrentKeyId { get; set; }

    public List<StoredTicketKey> Keys { get; set; } = [];
}

public sealed class StoredTicketKey
{
    public uint KeyId { get; set; }

    /// <summary>
    /// The raw 32-byte Ed25519 private key, only when no master key is configured (development) or in state written before
    /// keys were sealed; empty once retired or sealed.
    /// </summary>
    public byte[] PrivateKey { get; set; } = [];

    /// <summary>The private key sealed by <see cref="TicketKeySealer"/> (AES-GCM under the configured master key).</summary>
    public byte[] SealedPrivateKey { get; set; } = [];

    public byte[] PublicKey { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it stopped signing. It still verifies: codes it signed stay valid until their own validity ends.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}

/// <summary>
/// One event's Ed25519 keys. Private keys are created here, stored only in this grain's state and never returned:
/// callers get signatures and public keys. The imported signing key is kept in memory for the activation's life.
/// </summary>
public sealed class TicketKeyGrain(
    [PersistentState("ticketKeys", StorageNames.Default)] IPersistentState<TicketKeyState> keys,
    TicketKeySealer sealer,
    TimeProvider clock) : Grain, ITicketKeyGrain
{
    private static SignatureAlgorithm Ed25519 => SignatureAlgorithm.Ed25519;

    private Key? _signer;
    private uint _signerId;

    public async Task<SignedTicketCode> Sign(TicketCodeClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        // Key ids are scoped to the event, so a key must never vouch for another event's tickets.
        if (claims.EventId != this.GetPrimaryKey()) throw DomainException.Invalid("These keys sign only their own event's tickets.");
        await EnsureKey();
        var payload = new TicketCodePayload(TicketCode.CurrentVersion, claims.Mode, keys.State.CurrentKeyId, claims.EventId, claims.TicketId,
            claims.Serial, claims.ValidFrom, claims.ValidTo, claims.Window);
        try
        {
            return TicketCode.Sign(payload, Signer());
        }
        catch (ArgumentException error)
        {
            throw DomainException.Invalid(error.Message);
        }
    }

    public async Task<SignedDeviceCertificate> SignDeviceCertificate(DeviceCertificateClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.EventId != this.GetPrimaryKey()) throw DomainException.Invalid("These keys sign only their own event's tickets.");
        await EnsureKey();
        var payload = new TicketCodePayload(TicketCode.CurrentVersion, TicketCodeMode.Device, keys.State.CurrentKeyId, claims.EventId, claims.TicketId,
            claims.Serial, claims.ValidFrom, claims.ValidTo, Window: null, DeviceKey: claims.DeviceKey);
        try
        {
            return DeviceCertificate.Sign(payload, Signer());
        }
        catch (ArgumentException error)
        {
            throw DomainException.Invalid(error.Message);
        }
    }

    public async Task<TicketPublicKey> Rotate()
    {
        if (keys.State.Keys.Count == 0)
        {
            await EnsureKey(); // the first key is a rotation from nothing
            return Describe(keys.State.Keys[^1]);
        }
        var now = clock.GetUtcNow();
        var next = new TicketKeyState
        {
            CurrentKeyId = keys.State.Keys.Max(k => k.KeyId) + 1,
            Keys = [.. keys.State.Keys.Select(k => k.KeyId == keys.State.CurrentKeyId ? Retired(k, now) : k)],
        };
        next.Keys.Add(NewKey(next.CurrentKeyId, now));
        await Persist(next);
        return Describe(next.Keys[^1]);
    }

    public async Task<IReadOnlyList<TicketPublicKey>> GetPublicKeys(Actor actor)
    {
        await EnsureEventStaff(actor);
        return await GetPublicKeys();
    }

    public async Task<TicketPublicKey> Rotate(Actor actor)
    {
        await EnsureEventStaff(actor);
        return await Rotate();
    }

    /// <summary>Reads the event first, so an unknown id is a 404 and never creates keys.</summary>
    private async Task EnsureEventStaff(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var evt = await GrainFactory.Ref<Abstractions.Events.IEventGrain>(this.GetPrimaryKey()).Get();
        if (!actor.CanManage(evt.Tenant)) throw DomainException.Forbidden("Only the event's own staff may read or rotate its keys.");
    }

    public async Task<IReadOnlyList<TicketPublicKey>> GetPublicKeys()
    {
        // Creating on first read lets a scanner's key list be complete before the first ticket code is issued.
        await EnsureKey();
        return [.. keys.State.Keys.Select(Describe)];
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Keys stored in the clear before a master key was configured are sealed now, once.
        if (sealer.Seals && keys.State.Keys.Any(k => k.PrivateKey.Length > 0))
            await Persist(new TicketKeyState { CurrentKeyId = keys.State.CurrentKeyId, Keys = [.. keys.State.Keys.Select(Sealed)] });
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        ForgetSigner();
        return Task.CompletedTask;
    }

    private async Task EnsureKey()
    {
        if (keys.State.CurrentKeyId != 0) return;
        const uint first = 1;
        await Persist(new TicketKeyState { CurrentKeyId = first, Keys = [NewKey(first, clock.GetUtcNow())] });
    }

    /// <summary>
    /// Replaces the state only once the write succeeded. A failed write (a stale ETag: another activation wrote keys
    /// during a failover) leaves the old state and ends this activation, so nothing is ever signed with a key that is
    /// not the stored one, and the next call reads the winner's keys.
    /// </summary>
    private async Task Persist(TicketKeyState next)
    {
        var previous = keys.State;
        keys.State = next;
        try
        {
            await keys.WriteStateAsync();
        }
        catch
        {
            keys.State = previous;
            DeactivateOnIdle();
            throw;
        }
        ForgetSigner();
    }

    private Key Signer()
    {
        var current = keys.State.CurrentKeyId;
        if (_signer is not null && _signerId == current) return _signer;
        ForgetSigner();
        var stored = keys.State.Keys.Single(k => k.KeyId == current);
        var privateKey = stored.SealedPrivateKey.Length > 0 ? sealer.Open(stored.SealedPrivateKey, this.GetPrimaryKey(), current) : stored.PrivateKey;
        try
        {
            _signer = Key.Import(Ed25519, privateKey, KeyBlobFormat.RawPrivateKey);
        }
        finally
        {
            if (privateKey != stored.PrivateKey) CryptographicOperations.ZeroMemory(privateKey);
        }
        _signerId = current;
        return _signer;
    }

    private void ForgetSigner()
    {
        _signer?.Dispose();
        _signer = null;
        _signerId = 0;
    }

    private StoredTicketKey NewKey(uint keyId, DateTimeOffset now)
    {
        // Plaintext export is allowed once, to seal the raw key into this grain's state; the imported copy used for
        // signing has the default policy and cannot be exported.
        using var key = Key.Create(Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextArchiving });
        return Sealed(new StoredTicketKey
        {
            KeyId = keyId,
            PrivateKey = key.Export(KeyBlobFormat.RawPrivateKey),
            PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey),
            CreatedAt = now,
        });
    }

    private StoredTicketKey Sealed(StoredTicketKey key)
    {
        if (!sealer.Seals || key.PrivateKey.Length == 0) return key;
        var sealedKey = sealer.Seal(key.PrivateKey, this.GetPrimaryKey(), key.KeyId);
        return new StoredTicketKey { KeyId = key.KeyId, SealedPrivateKey = sealedKey, PublicKey = key.PublicKey, CreatedAt = key.CreatedAt, RetiredAt = key.RetiredAt };
    }

    /// <summary>A retired key never signs again, so its private half is dropped: only the public half is needed to verify.</summary>
    private static StoredTicketKey Retired(StoredTicketKey key, DateTimeOffset now) => new()
    {
        KeyId = key.KeyId,
        PrivateKey = [],
        SealedPrivateKey = [],
        PublicKey = key.PublicKey,
        CreatedAt = key.CreatedAt,
        RetiredAt = now,
    };

    private TicketPublicKey Describe(StoredTicketKey key) =>
        new(this.GetPrimaryKey(), key.KeyId, TicketCode.Algorithm, [.. key.PublicKey], key.CreatedAt, key.RetiredAt);
}
