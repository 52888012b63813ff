import { type CheckInResult, type CodeVerdict, type ParsedCode, deviceFingerprint, fromBase64, parseCode, verifyCode } from '@tf/common';
import type { GateRosterEntry, StoredBundle } from './gate-store';

/** A scan's answer as the page shows it, whether the server or this browser decided it. */
export interface ScanOutcome {
  readonly result: CheckInResult;
  readonly ticketId: string | null;
  readonly detail: string;
  readonly firstGate?: string | null;
  readonly firstScanAt?: string | null;
  readonly seat?: string | null;
  readonly offline: boolean;
}

/** Either a refusal, or an authentic, admissible code that still has to pass the device's first-scan-wins store. */
export type OfflineCheck = { readonly refused: ScanOutcome } | { readonly admissible: ParsedCode };

// Tickets the roster does not list have never left this state (the bundle's `unlistedTickets`).
const Unlisted: GateRosterEntry = { ticketId: '', serial: 1, status: 'Active' };

/**
 * Judges a code with the bundle alone, in the server's order (TicketCode.Verify, then the ticket grain's CheckIn):
 * the code is read, must name this event, must carry a valid signature by one of its keys (and, when device-bound, a
 * fresh signature by the device), must fall in its validity and the check-in window, and its ticket must be
 * admissible by the roster.
 */
export async function checkOffline(text: string, bundle: StoredBundle, nowMs: number): Promise<OfflineCheck> {
  const code = parseCode(text);
  if (!code) return refuse('Invalid', null, 'Not a TicketFlash code.');
  // Another event's keys are not in this bundle, so an offline scanner cannot tell a forgery from a real one here.
  if (code.eventId !== bundle.eventId) return refuse('WrongEvent', code.ticketId, 'This ticket is for another event.');

  const verdict = await verifyCode(code, (keyId) => publicKey(bundle, keyId), nowMs);
  if (verdict === 'NotYetValid') {
    // Within its validity yet "not valid": the code's time step is ahead of this scanner, so one of the clocks is wrong.
    const why = nowMs >= code.validFrom * 1000 ? "the code's time is ahead of this scanner's clock; check the clock" : `valid from ${stamp(code.validFrom)}`;
    return refuse('TooEarly', code.ticketId, `The code is not valid yet (${why}).`);
  }
  if (verdict === 'Expired') return refuse('TooLate', code.ticketId, `The code expired at ${stamp(code.validTo)}.`);
  if (verdict !== 'Valid') return refuse('Invalid', code.ticketId, `The code failed verification (${Verdicts[verdict]}).`);
  if (nowMs < Date.parse(bundle.checkInOpens)) return refuse('TooEarly', code.ticketId, `Check-in opens at ${iso(bundle.checkInOpens)}.`);
  if (nowMs > Date.parse(bundle.checkInCloses)) return refuse('TooLate', code.ticketId, `Check-in closed at ${iso(bundle.checkInCloses)}.`);

  const entry = bundle.roster[code.ticketId] ?? Unlisted;
  // A higher serial than the roster's means the ticket changed hands after the download: the new code is the live one.
  if (code.serial < entry.serial) return refuse('Revoked', code.ticketId, 'This code was replaced (the ticket changed hands); the old code is void.');
  if (code.kind === 'device' && entry.deviceKey && code.serial === entry.serial && entry.deviceKey !== (await deviceFingerprint(code.deviceKey!)))
    return refuse('Revoked', code.ticketId, 'This code is bound to a device the ticket no longer uses.');
  if (code.serial > entry.serial) return { admissible: code };
  switch (entry.status) {
    case 'Active':
    case 'Transferred':
      return { admissible: code };
    case 'CheckedIn':
      return refuse('AlreadyCheckedIn', code.ticketId, 'Already admitted (before this scanner downloaded its offline data).');
    case 'Revoked':
    case 'Refunded':
    case 'Cancelled':
      return refuse('Revoked', code.ticketId, `The ticket is ${entry.status}.`);
    default:
      return refuse('NotActive', code.ticketId, `A ticket in state ${entry.status} cannot be admitted.`);
  }
}

const Verdicts: Record<CodeVerdict, string> = {
  Valid: 'valid',
  Malformed: 'malformed',
  UnknownKey: 'signed with a key this scanner does not have; download the offline data again',
  BadSignature: 'the signature does not match',
  BadDeviceSignature: "the phone's signature does not match",
  Expired: 'expired',
  NotYetValid: 'not valid yet',
  StaleWindow: 'the code is too old: ask for the live code on the phone, not a screenshot',
};

const keyCache = new WeakMap<StoredBundle, Map<number, Uint8Array>>();

function publicKey(bundle: StoredBundle, keyId: number): Uint8Array | null {
  let keys = keyCache.get(bundle);
  if (!keys) keyCache.set(bundle, (keys = new Map(bundle.keys.map((k) => [k.keyId, fromBase64(k.publicKey)]))));
  return keys.get(keyId) ?? null;
}

function refuse(result: CheckInResult, ticketId: string | null, detail: string): OfflineCheck {
  return { refused: { result, ticketId, detail, offline: true } };
}

function stamp(unixSeconds: number): string {
  return iso(new Date(unixSeconds * 1000).toISOString());
}

function iso(at: string): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
