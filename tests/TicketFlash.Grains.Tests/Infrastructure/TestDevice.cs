using System.Security.Cryptography;
using TicketFlash.Grains.Tickets.Codes;

namespace TicketFlash.Grains.Tests.Infrastructure;

/// <summary>A fan's device as the browser has it: a P-256 key pair whose public half is exported raw (0x04 || X || Y).</summary>
public sealed class TestDevice : IDisposable
{
    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public byte[] PublicKey
    {
        get
        {
            var q = Key.ExportParameters(false).Q;
            return [0x04, .. q.X!, .. q.Y!];
        }
    }

    /// <summary>The code this device shows at <paramref name="at"/> (its 15 s step), or for an explicit step.</summary>
    public string Code(byte[] certificate, DateTimeOffset? at = null, uint? step = null) =>
        DeviceCertificate.CreateCode(certificate, step ?? DeviceCertificate.StepAt(at ?? DateTimeOffset.UtcNow), Key);

    public void Dispose() => Key.Dispose();
}
