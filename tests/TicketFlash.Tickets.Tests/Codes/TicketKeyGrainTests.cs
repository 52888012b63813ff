using System.Text.Json;
using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tickets.Codes;
using TicketFlash.Tickets.Tests.Infrastructure;

namespace TicketFlash.Tickets.Tests.Codes;

[Collection(ClusterCollection.Name)]
public sealed class TicketKeyGrainTests(ClusterFixture cluster)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private ITicketKeyGrain Keys(Guid eventId) => cluster.GrainFactory.GetGrain<ITicketKeyGrain>(eventId);

    private static TicketCodeClaims Claims(Guid eventId, TicketCodeMode mode = TicketCodeMode.Static, DateTimeOffset? validTo = null) =>
        new(mode, eventId, Guid.NewGuid(), 1, Now.AddHours(-1), validTo ?? Now.AddHours(5),
            mode == TicketCodeMode.Rotating ? TicketCode.WindowAt(Now) : null);

    private async Task<TicketKeyRing> Ring(Guid eventId) => new(await Keys(eventId).GetPublicKeys());

    [Fact]
    public async Task The_first_use_creates_one_key_and_it_stays_the_same()
    {
        var eventId = Guid.NewGuid();

        var first = await Keys(eventId).GetPublicKeys();
        var again = await Keys(eventId).GetPublicKeys();

        var key = Assert.Single(first);
        Assert.Equal((eventId, 1u, "Ed25519", 32, (DateTimeOffset?)null), (key.EventId, key.KeyId, key.Algorithm, key.PublicKey.Length, key.RetiredAt));
        Assert.Equal(key.PublicKey, Assert.Single(again).PublicKey);
    }

    [Theory]
    [InlineData(TicketCodeMode.Static)]
    [InlineData(TicketCodeMode.Rotating)]
    public async Task A_code_the_grain_signs_verifies_with_its_public_keys(TicketCodeMode mode)
    {
        var eventId = Guid.NewGuid();
        var claims = Claims(eventId, mode);

        var signed = await Keys(eventId).Sign(claims);
        var check = TicketCode.Verify(signed.Code, await Ring(eventId), Now);

        Assert.Equal(TicketCodeVerdict.Valid, check.Verdict);
        Assert.Equal(signed.Payload, check.Payload);
        Assert.Equal((1u, claims.TicketId, claims.Mode, claims.Window), (check.Payload!.KeyId, check.Payload.TicketId, check.Payload.Mode, check.Payload.Window));
    }

    [Fact]
    public async Task Rotation_keeps_old_codes_valid_and_signs_new_ones_with_the_new_key()
    {
        var eventId = Guid.NewGuid();
        var before = await Keys(eventId).Sign(Claims(eventId));

        var rotated = await Keys(eventId).Rotate();
        var after = await Keys(eventId).Sign(Claims(eventId));
        var keys = await Keys(eventId).GetPublicKeys();
        var ring = new TicketKeyRing(keys);

        Assert.Equal(2u, rotated.KeyId);
        Assert.Equal((1u, 2u), (before.Payload.KeyId, after.Payload.KeyId));
        Assert.Equal([1u, 2u], keys.Select(k => k.KeyId));
        Assert.NotNull(keys[0].RetiredAt);
        Assert.Null(keys[1].RetiredAt);
        Assert.NotEqual(keys[0].PublicKey, keys[1].PublicKey);
        Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(before.Code, ring, Now).Verdict);
        Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(after.Code, ring, Now).Verdict);
        // A scanner that synced before the rotation does not know the new key yet.
        var stale = new TicketKeyRing(keys.Take(1));
        Assert.Equal(TicketCodeVerdict.UnknownKey, TicketCode.Verify(after.Code, stale, Now).Verdict);
    }

    [Fact]
    public async Task Rotating_from_nothing_creates_key_one()
    {
        var eventId = Guid.NewGuid();

        var first = await Keys(eventId).Rotate();
        var third = await Keys(eventId).Rotate().ContinueWith(_ => Keys(eventId).Rotate()).Unwrap();

        Assert.Equal((1u, 3u), (first.KeyId, third.KeyId));
        Assert.Equal([1u, 2u, 3u], (await Keys(eventId).GetPublicKeys()).Select(k => k.KeyId));
    }

    [Fact]
    public async Task Keys_survive_reactivation_from_storage()
    {
        var eventId = Guid.NewGuid();
        var before = await Keys(eventId).Sign(Claims(eventId));
        var publicBefore = await Keys(eventId).GetPublicKeys();

        await cluster.DeactivateIdleGrains();
        var after = await Keys(eventId).Sign(Claims(eventId));
        var publicAfter = await Keys(eventId).GetPublicKeys();

        Assert.Equal(publicBefore.Select(k => (k.KeyId, Convert.ToBase64String(k.PublicKey))), publicAfter.Select(k => (k.KeyId, Convert.ToBase64String(k.PublicKey))));
        var ring = new TicketKeyRing(publicAfter);
        Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(before.Code, ring, Now).Verdict);
        Assert.Equal(TicketCodeVerdict.Valid, TicketCode.Verify(after.Code, ring, Now).Verdict);
    }

    [Fact]
    public async Task A_key_signs_only_its_own_event()
    {
        var eventId = Guid.NewGuid();

        await DomainAssert.Refuses(DomainErrorCode.Validation, () => Keys(eventId).Sign(Claims(Guid.NewGuid())));
    }

    [Fact]
    public async Task Claims_outside_the_layout_are_a_validation_refusal()
    {
        var eventId = Guid.NewGuid();
        var claims = Claims(eventId) with { ValidFrom = new DateTimeOffset(1969, 1, 1, 0, 0, 0, TimeSpan.Zero) };

        await DomainAssert.Refuses(DomainErrorCode.Validation, () => Keys(eventId).Sign(claims));
        await DomainAssert.Refuses(DomainErrorCode.Validation, () => Keys(eventId).Sign(Claims(eventId) with { Window = 3 }));
    }

    [Fact]
    public async Task An_expired_validity_is_Expired()
    {
        var eventId = Guid.NewGuid();
        var signed = await Keys(eventId).Sign(Claims(eventId) with { ValidFrom = Now.AddDays(-3), ValidTo = Now.AddDays(-2) });

        Assert.Equal(TicketCodeVerdict.Expired, TicketCode.Verify(signed.Code, await Ring(eventId), Now).Verdict);
    }

    [Fact]
    public void Key_state_survives_the_production_json_serializer()
    {
        var state = new TicketKeyState
        {
            CurrentKeyId = 2,
            Keys =
            [
                new StoredTicketKey { KeyId = 1, PrivateKey = [], PublicKey = [1, 2], CreatedAt = Now, RetiredAt = Now },
                new StoredTicketKey { KeyId = 2, PrivateKey = [9, 8, 7], PublicKey = [3, 4], CreatedAt = Now },
            ],
        };
        var serializer = new TicketFlash.Silo.Hosting.SystemTextJsonGrainStorageSerializer();

        var back = serializer.Deserialize<TicketKeyState>(serializer.Serialize(state));

        Assert.Equal(JsonSerializer.Serialize(state), JsonSerializer.Serialize(back));
    }
}
