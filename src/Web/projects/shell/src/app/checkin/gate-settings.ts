import { Injectable, effect, signal } from '@angular/core';

const DeviceKey = 'tf.gate.device';
const GateKey = 'tf.gate.name';
const EventKey = 'tf.gate.event';

/**
 * What this scanning station is: its device id (made once and kept, so the server can tell devices apart in syncs and
 * conflicts), the gate it stands at and the event it admits to. Kept in localStorage so a reload keeps the station.
 */
@Injectable()
export class GateSettings {
  readonly deviceId = signal(GateSettings.device());
  readonly gate = signal(read(GateKey) ?? 'Gate 1');
  readonly eventId = signal(read(EventKey) ?? '');

  constructor() {
    effect(() => write(GateKey, this.gate()));
    effect(() => write(EventKey, this.eventId()));
  }

  private static device(): string {
    const kept = read(DeviceKey);
    if (kept) return kept;
    const made = `scanner-${[...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
    write(DeviceKey, made);
    return made;
  }
}

export const EventIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Storage can be refused (private modes, quotas); the station then works for this visit only.
function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // see read()
  }
}
