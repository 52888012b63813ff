using TicketFlash.Abstractions.Tickets;
using TicketFlash.Api.Endpoints;
using TicketFlash.Grains.Tickets.Codes;
using TicketFlash.Tickets.Tests.Infrastructure;

namespace TicketFlash.Tickets.Tests.Codes;

/// <summary>The API's QR rendering, read back by a real decoder (zbarimg) and verified.</summary>
[Collection(ClusterCollection.Name)]
public sealed class QrRoundTripTests(ClusterFixture cluster)
{
    [Theory]
    [InlineData(TicketCodeMode.Static)]
    [InlineData(TicketCodeMode.Rotating)]
    public async Task A_rendered_PNG_decodes_to_the_code_and_verifies(TicketCodeMode mode)
    {
        var sale = await Sale.Create(cluster.GrainFactory);
        var signed = await cluster.GrainFactory.GetGrain<ITicketCodeIssuerGrain>(0).Issue(sale.Fan, sale.Ticket.TicketId, mode);
        var ring = new TicketKeyRing(await cluster.GrainFactory.GetGrain<ITicketKeyGrain>(sale.Event.Id).GetPublicKeys());

        var png = TicketQr.Png(signed.Code);
        var decoded = await Zbar.Decode(png);

        Assert.Equal(signed.Code, decoded);
        var check = TicketCode.Verify(decoded, ring, DateTimeOffset.UtcNow);
        Assert.Equal(TicketCodeVerdict.Valid, check.Verdict);
        Assert.Equal(sale.Ticket.TicketId, check.Payload!.TicketId);
    }

    [Fact]
    public async Task A_flipped_byte_survives_the_QR_and_fails_verification()
    {
        using var key = new TestKey();
        var signed = key.Sign(key.Payload());
        Assert.True(Base45.TryDecode(signed.Code, out var bytes));
        bytes[30] ^= 0x01; // inside the ticket id
        var tampered = Base45.Encode(bytes);

        var decoded = await Zbar.Decode(TicketQr.Png(tampered));

        Assert.Equal(tampered, decoded);
        Assert.Equal(TicketCodeVerdict.BadSignature, TicketCode.Verify(decoded, key.Ring(), DateTimeOffset.UtcNow).Verdict);
    }

    [Theory]
    [InlineData(TicketCodeMode.Static, 7)]
    [InlineData(TicketCodeMode.Rotating, 7)]
    public void A_realistic_code_needs_at_most_QR_version_8_at_level_M(TicketCodeMode mode, int expectedVersion)
    {
        using var key = new TestKey(keyId: uint.MaxValue);
        // Largest field values: the version does not depend on them (fixed layout), but nothing hides behind small numbers.
        var payload = key.Payload(mode, validFrom: DateTimeOffset.FromUnixTimeSeconds(uint.MaxValue - 10L),
            validTo: DateTimeOffset.FromUnixTimeSeconds(uint.MaxValue), window: uint.MaxValue, serial: uint.MaxValue);
        var signed = key.Sign(payload);

        using var qr = TicketQr.Encode(signed.Code);

        Assert.Equal(expectedVersion, qr.Version);
        Assert.True(qr.Version <= 8);
        Assert.Equal(TicketQr.Level, QRCoder.QRCodeGenerator.ECCLevel.M);
    }

    [Fact]
    public void The_SVG_is_an_SVG_of_the_same_symbol()
    {
        using var key = new TestKey();
        var code = key.Sign(key.Payload()).Code;

        var svg = TicketQr.Svg(code);

        Assert.StartsWith("<svg", svg.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("</svg>", svg, StringComparison.Ordinal);
        Assert.Contains("<rect", svg, StringComparison.Ordinal);
    }
}
