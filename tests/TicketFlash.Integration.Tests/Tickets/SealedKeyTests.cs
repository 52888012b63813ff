using System.Text.Json;
using NSec.Cryptography;
using TicketFlash.Grains.Tickets.Codes;
using TicketFlash.Integration.Tests.Api;
using TicketFlash.Integration.Tests.Infrastructure;

namespace TicketFlash.Integration.Tests.Tickets;

/// <summary>Ticket-signing keys at rest in PostgreSQL: sealed under the silo's master key, never in the clear.</summary>
[Collection(OneNodeCollection.Name)]
public sealed class SealedKeyTests(OneNodeCluster cluster)
{
    [Fact]
    public async Task Signing_keys_are_stored_sealed_and_open_only_under_the_master_key_for_their_own_event()
    {
        var api = cluster.Client;
        var world = await api.CreateGateWorldAsync("sealed");
        var (fan, order) = await api.BuyAsync(world.EventId, 1);
        var code = await api.CodeAsync(fan, order.Tickets[0].TicketId); // the event's first key is made and stored here

        Assert.Equal("Admitted", (await api.ScanAsync(world.Staff, world.EventId, code)).Result);

        var sealer = TicketKeySealer.FromConfiguration(ProcessCluster.MasterKey);
        var opened = new List<(byte[] PrivateKey, byte[] PublicKey)>();
        foreach (var json in await cluster.Db.JsonStatesAsync("ticketKeys"))
        {
            foreach (var key in JsonDocument.Parse(json).RootElement.GetProperty("keys").EnumerateArray())
            {
                Assert.Empty(key.GetProperty("privateKey").GetBytesFromBase64());
                var sealedKey = key.GetProperty("sealedPrivateKey").GetBytesFromBase64();
                // A rotated-out key keeps only its public half (other tests in this cluster rotate keys).
                if (key.TryGetProperty("retiredAt", out var retired) && retired.ValueKind != JsonValueKind.Null)
                {
                    Assert.Empty(sealedKey);
                    continue;
                }
                Assert.NotEmpty(sealedKey);
                try
                {
                    opened.Add((sealer.Open(sealedKey, world.EventId, key.GetProperty("keyId").GetUInt32()), key.GetProperty("publicKey").GetBytesFromBase64()));
                }
                catch (System.Security.Cryptography.CryptographicException)
                {
                    // another event's key: bound to its own event id
                }
            }
        }

        var (privateKey, publicKey) = Assert.Single(opened);
        using var signer = Key.Import(SignatureAlgorithm.Ed25519, privateKey, KeyBlobFormat.RawPrivateKey);
        Assert.Equal(publicKey, signer.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }
}
