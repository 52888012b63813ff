using System.Security.Cryptography;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tickets.Codes;

namespace TicketFlash.Tickets.Tests.Infrastructure;

/// <summary>A fan's device as the browser has it: a P-256 key pair whose public half is exported raw (0x04 || X || Y).</summary>
public sealed class TestDevice : IDisposable
{
    public TestDevice(ECDsa? key = null) => Key = key ?? ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ECDsa Key { get; }

    public byte[] PublicKey
    {
        get
        {
            var q = Key.ExportParameters(false).Q;
            return [0x04, .. q.X!, .. q.Y!];
        }
    }

    /// <summary>The code this device shows at <paramref name="at"/> (its step), or for an explicit step.</summary>
    public string Code(byte[] certificate, DateTimeOffset? at = null, uint? step = null) =>
        DeviceCertificate.CreateCode(certificate, step ?? DeviceCertificate.StepAt(at ?? DateTimeOffset.UtcNow), Key);

    public void Dispose() => Key.Dispose();
}

public static class TestKeyDevices
{
    /// <summary>A certificate of <paramref name="device"/> signed with the test key (valid an hour back to six ahead by default).</summary>
    public static SignedDeviceCertificate Certify(this TestKey key, TestDevice device, DateTimeOffset? validFrom = null, DateTimeOffset? validTo = null, uint serial = 3) =>
        DeviceCertificate.Sign(key.Payload(validFrom: validFrom, validTo: validTo, serial: serial) with { Mode = TicketCodeMode.Device, DeviceKey = device.PublicKey }, key.Key);
}
