import { verifyAsync } from '@noble/ed25519';
import { base45Decode } from './base45';

/**
 * Ticket codes as scanners read them (the layouts of src/Grains/Tickets/Codes: big-endian integers, RFC 4122 ids,
 * unix seconds). Static (printed) 114 bytes; rotating (server-issued, 30 s windows) 118; device-bound 247: a 179-byte
 * certificate signed by the event's Ed25519 key that binds the ticket, its serial and the fan's P-256 device key, then
 * the 15 s step and the device's ECDSA signature over SHA-256(certificate) ‖ step.
 */
export type CodeKind = 'static' | 'rotating' | 'device';

export interface ParsedCode {
  readonly kind: CodeKind;
  readonly keyId: number;
  readonly eventId: string;
  readonly ticketId: string;
  readonly serial: number;
  readonly validFrom: number;
  readonly validTo: number;
  /** Rotating: the 30 s window number; device: the 15 s step. */
  readonly window: number | null;
  readonly deviceKey: Uint8Array | null;
  readonly signed: Uint8Array;
  readonly signature: Uint8Array;
  readonly deviceSigned: Uint8Array | null;
  readonly deviceSignature: Uint8Array | null;
}

export type CodeVerdict = 'Valid' | 'Malformed' | 'UnknownKey' | 'BadSignature' | 'BadDeviceSignature' | 'Expired' | 'NotYetValid' | 'StaleWindow';

export const RotatingWindowSeconds = 30;
export const DeviceStepSeconds = 15;
const ClockSkewSeconds = 5;
const Version = 1;
const CertificateLength = 179;
const Lengths: Record<number, number> = { 0: 114, 1: 118, 2: CertificateLength + 4 + 64 };

export function parseCode(text: string): ParsedCode | null {
  const bytes = base45Decode(text.trim());
  if (!bytes || bytes.length < 2 || bytes[0] !== Version || Lengths[bytes[1]] !== bytes.length) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind: CodeKind = bytes[1] === 0 ? 'static' : bytes[1] === 1 ? 'rotating' : 'device';
  const bodyLength = kind === 'static' ? 50 : kind === 'rotating' ? 54 : 115;
  return {
    kind,
    keyId: view.getUint32(2),
    eventId: uuid(bytes.subarray(6, 22)),
    ticketId: uuid(bytes.subarray(22, 38)),
    serial: view.getUint32(38),
    validFrom: view.getUint32(42),
    validTo: view.getUint32(46),
    window: kind === 'rotating' ? view.getUint32(50) : kind === 'device' ? view.getUint32(CertificateLength) : null,
    deviceKey: kind === 'device' ? bytes.slice(50, 115) : null,
    signed: bytes.slice(0, bodyLength),
    signature: bytes.slice(bodyLength, bodyLength + 64),
    deviceSigned: kind === 'device' ? bytes.slice(0, CertificateLength) : null,
    deviceSignature: kind === 'device' ? bytes.slice(CertificateLength + 4) : null,
  };
}

/** Checks in the server's order: authentic first (event key, then device key), then the times. */
export async function verifyCode(
  code: ParsedCode,
  publicKey: (keyId: number) => Uint8Array | null,
  nowMs: number,
): Promise<CodeVerdict> {
  const key = publicKey(code.keyId);
  if (!key) return 'UnknownKey';
  if (!(await verifyAsync(code.signature, code.signed, key).catch(() => false))) return 'BadSignature';
  if (code.kind === 'device' && !(await verifyDeviceSignature(code))) return 'BadDeviceSignature';
  const now = Math.floor(nowMs / 1000);
  if (now < code.validFrom) return 'NotYetValid';
  if (now > code.validTo) return 'Expired';
  if (code.kind === 'rotating') {
    if (code.window! + 1 < Math.floor(now / RotatingWindowSeconds)) return 'StaleWindow';
    if (code.window! > Math.floor((now + ClockSkewSeconds) / RotatingWindowSeconds)) return 'NotYetValid';
  }
  if (code.kind === 'device') {
    const step = Math.floor(now / DeviceStepSeconds);
    if (code.window! < step - 1) return 'StaleWindow';
    if (code.window! > step + 1) return 'NotYetValid';
  }
  return 'Valid';
}

/** The message a device signs for one step: SHA-256(certificate) ‖ step (uint32, big-endian). */
export async function deviceMessage(certificate: Uint8Array, step: number): Promise<Uint8Array> {
  const message = new Uint8Array(36);
  message.set(new Uint8Array(await crypto.subtle.digest('SHA-256', certificate as BufferSource)), 0);
  new DataView(message.buffer).setUint32(32, step);
  return message;
}

async function verifyDeviceSignature(code: ParsedCode): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey('raw', code.deviceKey! as BufferSource, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    const message = await deviceMessage(code.deviceSigned!, code.window!);
    return await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, code.deviceSignature! as BufferSource, message as BufferSource);
  } catch {
    return false;
  }
}

/** The roster's fingerprint of a device key: base64 of the first 16 bytes of its SHA-256. */
export async function deviceFingerprint(deviceKey: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', deviceKey as BufferSource));
  return btoa(String.fromCharCode(...hash.subarray(0, 16)));
}

function uuid(bytes: Uint8Array): string {
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
