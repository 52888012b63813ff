using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Events;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Common;
using TicketFlash.Grains.Tickets.Codes;

namespace TicketFlash.Grains.Tickets;

/// <summary>
/// The fan's device bound to this ticket: the one device whose codes the gate accepts. Binding is recorded in the history
/// (the status does not change); a replacement is reported to the roster so offline gates refuse the replaced device.
/// </summary>
public sealed partial class TicketGrain
{
    /// <summary>History reasons of device changes; <see cref="RosterNeedsUs"/> tells a first binding by its prefix.</summary>
    internal const string DeviceBound = "DeviceBound";
    internal const string DeviceReplaced = "DeviceReplaced";
    internal const string DeviceUnbound = "DeviceUnbound";

    public async Task<DeviceBinding> BindDevice(Actor actor, byte[] publicKey)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await EnsureMaterialized();
        if (actor.UserId != S.OwnerId) throw DomainException.Forbidden("Only the ticket's owner may bind a device to it.");
        if (!TicketCodeIssuer.HasCode(S.Status)) throw DomainException.State($"A ticket in state {S.Status} has no code to show on a device.");
        if (publicKey is null || !DeviceCertificate.IsValidDeviceKey(publicKey))
            throw DomainException.Invalid("publicKey must be an uncompressed P-256 public key: 65 bytes, 0x04 || X || Y, a point on the curve.");

        var evt = await GrainFactory.Ref<IEventGrain>(S.EventId).Get();
        var certificate = await TicketCodeIssuer.CertifyDevice(GrainFactory, Describe(), evt, publicKey);
        if (S.DeviceKey is { } bound && bound.AsSpan().SequenceEqual(publicKey))
            return Binding(certificate); // the same device again (a retry): a fresh certificate, nothing to record

        var replaced = S.DeviceKey;
        var reason = replaced is null
            ? $"{DeviceBound}: device {Fingerprint(publicKey)}"
            : $"{DeviceReplaced}: device {Fingerprint(publicKey)} replaces device {Fingerprint(replaced)}";
        var now = clock.GetUtcNow();
        S.History.Add(new TicketTransition(S.Status, S.Status, now, actor.UserId, reason));
        S.DeviceKey = [.. publicKey];
        S.DeviceBoundAt = now;
        await ticket.WriteOrReloadAsync(DeactivateOnIdle);
        // Offline gates must refuse the replaced device; a first binding needs no roster entry (no other device was certified).
        if (replaced is not null) await ReportToRoster();
        return Binding(certificate);
    }

    /// <summary>Before the write of a change of owner: the new owner's codes come from the new owner's device.</summary>
    private void UnbindDevice(string by, string why)
    {
        if (S.DeviceKey is not { } bound) return;
        S.History.Add(new TicketTransition(S.Status, S.Status, clock.GetUtcNow(), by, $"{DeviceUnbound}: device {Fingerprint(bound)} ({why})"));
        S.DeviceKey = null;
        S.DeviceBoundAt = null;
    }

    /// <summary>A device code passes only for the device bound now (static and rotating codes name no device).</summary>
    private bool IsBoundDevice(byte[] deviceKey) => S.DeviceKey is { } bound && bound.AsSpan().SequenceEqual(deviceKey);

    private static bool IsFirstBinding(TicketTransition entry) => entry.Reason.StartsWith(DeviceBound + ":", StringComparison.Ordinal);

    private byte[]? RosterDeviceKey => S.DeviceKey is { } bound ? DeviceCertificate.Fingerprint(bound) : null;

    private DeviceBinding Binding(SignedDeviceCertificate certificate) =>
        new(certificate.Certificate, certificate.Payload.KeyId, certificate.Payload.ValidFrom, certificate.Payload.ValidTo, DeviceCodeSteps.Seconds, S.DeviceBoundAt!.Value);

    private static string Fingerprint(byte[] deviceKey) => Convert.ToHexStringLower(DeviceCertificate.Fingerprint(deviceKey));
}
