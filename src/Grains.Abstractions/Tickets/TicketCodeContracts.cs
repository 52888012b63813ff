using Orleans.Concurrency;
using TicketFlash.Abstractions.Common;

namespace TicketFlash.Abstractions.Tickets;

/// <summary>How a ticket's QR code is meant to be shown. Never renumber: the value is a byte inside every signed code.</summary>
public enum TicketCodeMode : byte
{
    /// <summary>Printed or in the PDF: valid for the event's whole check-in window.</summary>
    Static = 0,

    /// <summary>In the app: also bound to a short time window, so a screenshot goes stale within a minute.</summary>
    Rotating = 1,

    /// <summary>
    /// In the app, made by the fan's own device: an event-signed certificate naming the device's P-256 key, plus the
    /// device's signature over a 15-second time step. A copied certificate is useless without the device's private key.
    /// </summary>
    Device = 2,
}

public static class DeviceCodeSteps
{
    /// <summary>The life of one device-code time step; a scanner accepts its own step and the one on either side.</summary>
    public const int Seconds = 15;
}

public static class TicketCodeWindows
{
    /// <summary>The life of one rotating-code time window; a code is accepted in its own window and the next.</summary>
    public const int Seconds = 30;

    /// <summary>When a rotating code's window ends: the app fetches the next code then.</summary>
    public static DateTimeOffset End(uint window) => DateTimeOffset.FromUnixTimeSeconds((window + 1L) * Seconds);
}

/// <summary>What a verifier concluded about a scanned code. Never renumber: scanners and silos of different versions exchange it.</summary>
public enum TicketCodeVerdict
{
    Valid = 0,

    /// <summary>Not a TicketFlash code at all: empty, foreign characters, wrong length or version. Nothing in it can be trusted.</summary>
    Malformed = 1,

    /// <summary>Well formed, but no public key is known for its (event, key id): a foreign event's code, or a scanner whose key list is stale.</summary>
    UnknownKey = 2,

    /// <summary>The signature does not match: forged or altered.</summary>
    BadSignature = 3,

    /// <summary>Authentic, but the validity window (the event's check-in window) has passed.</summary>
    Expired = 4,

    /// <summary>Authentic, but before its validity window (or, for a rotating code, from a time window that has not begun).</summary>
    NotYetValid = 5,

    /// <summary>An authentic rotating code from a time window older than the previous one: a screenshot or a replay.</summary>
    StaleWindow = 6,

    /// <summary>
    /// A device code whose event certificate is authentic but whose device signature is not: made without the private key
    /// of the device the certificate names (a copied certificate), or altered after the device signed it. Distinct from
    /// <see cref="BadSignature"/> (the event's signature) so a gate can tell a forged ticket from a copied one.
    /// </summary>
    BadDeviceSignature = 7,
}

/// <summary>What a ticket code asserts, before it is signed: the key grain adds the version and its current key id.</summary>
[GenerateSerializer, Immutable, Alias("tf.TicketCodeClaims")]
public sealed record TicketCodeClaims(
    [property: Id(0)] TicketCodeMode Mode,
    [property: Id(1)] Guid EventId,
    [property: Id(2)] Guid TicketId,
    [property: Id(3)] uint Serial,
    [property: Id(4)] DateTimeOffset ValidFrom,
    [property: Id(5)] DateTimeOffset ValidTo,
    [property: Id(6)] uint? Window);

/// <summary>
/// The signed content of a ticket code, as encoded: times are whole unix seconds. <see cref="Window"/> is the number of the
/// time window (unix seconds / window length) for rotating codes, null for static ones. Device codes carry instead the
/// device's public key (<see cref="DeviceKey"/>, 65-byte uncompressed P-256 point) and their <see cref="Step"/> (unix
/// seconds / <see cref="DeviceCodeSteps.Seconds"/>; null in a certificate on its own).
/// </summary>
[GenerateSerializer, Immutable, Alias("tf.TicketCodePayload")]
public sealed record TicketCodePayload(
    [property: Id(0)] byte Version,
    [property: Id(1)] TicketCodeMode Mode,
    [property: Id(2)] uint KeyId,
    [property: Id(3)] Guid EventId,
    [property: Id(4)] Guid TicketId,
    [property: Id(5)] uint Serial,
    [property: Id(6)] DateTimeOffset ValidFrom,
    [property: Id(7)] DateTimeOffset ValidTo,
    [property: Id(8)] uint? Window,
    [property: Id(9)] byte[]? DeviceKey = null,
    [property: Id(10)] uint? Step = null);

/// <summary>What a device certificate asserts, before it is signed: the key grain adds the version and its current key id.</summary>
[GenerateSerializer, Immutable, Alias("tf.DeviceCertificateClaims")]
public sealed record DeviceCertificateClaims(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] Guid TicketId,
    [property: Id(2)] uint Serial,
    [property: Id(3)] DateTimeOffset ValidFrom,
    [property: Id(4)] DateTimeOffset ValidTo,
    [property: Id(5)] byte[] DeviceKey);

/// <summary>A signed device certificate (179 bytes, see DeviceCertificate in the grains) and what it says.</summary>
[GenerateSerializer, Immutable, Alias("tf.SignedDeviceCertificate")]
public sealed record SignedDeviceCertificate(
    [property: Id(0)] byte[] Certificate,
    [property: Id(1)] TicketCodePayload Payload);

/// <summary>A code string ready for a QR (Base45: QR alphanumeric mode) and what it says.</summary>
[GenerateSerializer, Immutable, Alias("tf.SignedTicketCode")]
public sealed record SignedTicketCode(
    [property: Id(0)] string Code,
    [property: Id(1)] TicketCodePayload Payload);

/// <summary>
/// The outcome of checking a code. <see cref="Payload"/> is null only for <see cref="TicketCodeVerdict.Malformed"/>; for
/// <see cref="TicketCodeVerdict.UnknownKey"/> and <see cref="TicketCodeVerdict.BadSignature"/> it is what the code claims,
/// unauthenticated, useful for reporting only.
/// </summary>
[GenerateSerializer, Immutable, Alias("tf.TicketCodeCheck")]
public sealed record TicketCodeCheck(
    [property: Id(0)] TicketCodeVerdict Verdict,
    [property: Id(1)] TicketCodePayload? Payload)
{
    public bool IsValid => Verdict == TicketCodeVerdict.Valid;
}

/// <summary>An event's signing key as scanners see it: public, with its id and life. There is no secret in it.</summary>
[GenerateSerializer, Immutable, Alias("tf.TicketPublicKey")]
public sealed record TicketPublicKey(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] uint KeyId,
    [property: Id(2)] string Algorithm,
    [property: Id(3)] byte[] PublicKey,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset? RetiredAt);

/// <summary>
/// The Ed25519 signing keys of one event, keyed by event id. The private keys live only in this grain's state; callers
/// get signatures and public keys. Callers establish that the event exists: first use creates a key.
/// </summary>
[Alias("tf.ITicketKeyGrain")]
public interface ITicketKeyGrain : IGrainWithGuidKey
{
    /// <summary>Signs with the current key; <paramref name="claims"/> must name this grain's event.</summary>
    [Alias("Sign")]
    Task<SignedTicketCode> Sign(TicketCodeClaims claims);

    /// <summary>Certifies a fan's device key for one ticket and serial with the current key; <paramref name="claims"/> must name this grain's event.</summary>
    [Alias("SignDeviceCertificate")]
    Task<SignedDeviceCertificate> SignDeviceCertificate(DeviceCertificateClaims claims);

    /// <summary>Starts a new current key. Older keys stay (retired) so the codes they signed still verify.</summary>
    [Alias("Rotate")]
    Task<TicketPublicKey> Rotate();

    /// <summary>Every key this event ever signed with, oldest first.</summary>
    [Alias("GetPublicKeys")]
    Task<IReadOnlyList<TicketPublicKey>> GetPublicKeys();

    /// <summary>
    /// The keys, for the event's staff (organizers, artists and venue staff of its tenant) and admins. Public keys hold no
    /// secret, but which events exist and when their keys rotate is the tenant's business. The event is read first, so an
    /// unknown event is a 404 and never gets keys.
    /// </summary>
    [Alias("GetPublicKeysFor")]
    Task<IReadOnlyList<TicketPublicKey>> GetPublicKeys(Actor actor);

    /// <summary><see cref="Rotate()"/>, for the event's staff and admins (checked as in <see cref="GetPublicKeys(Actor)"/>).</summary>
    [Alias("RotateFor")]
    Task<TicketPublicKey> Rotate(Actor actor);
}

/// <summary>
/// Issues the code of a ticket to its owner (or an admin). Stateless: it reads the ticket and the event and has the
/// event's key grain sign, so any number of activations serve fans refreshing rotating codes.
/// </summary>
[Alias("tf.ITicketCodeIssuerGrain")]
public interface ITicketCodeIssuerGrain : IGrainWithIntegerKey
{
    [Alias("Issue")]
    Task<SignedTicketCode> Issue(Actor actor, Guid ticketId, TicketCodeMode mode);
}
