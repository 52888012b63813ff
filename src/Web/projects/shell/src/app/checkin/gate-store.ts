import { Injectable } from '@angular/core';
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { BundleResponse, RosterEntry } from '@tf/common';

/** A roster entry; `deviceKey` (the fingerprint of the device a ticket is bound to) comes with newer servers. */
export type GateRosterEntry = RosterEntry & { readonly deviceKey?: string | null };

/** The event's offline bundle as this scanner keeps it: the roster by ticket id, merged across `since` downloads. */
export interface StoredBundle {
  readonly eventId: string;
  readonly checkInOpens: string;
  readonly checkInCloses: string;
  readonly keys: readonly { readonly keyId: number; readonly publicKey: string }[];
  readonly roster: Readonly<Record<string, GateRosterEntry>>;
  readonly nextToken: string;
  readonly generatedAt: string;
  readonly downloadedAt: string;
}

/** A ticket this device admitted (offline, or online and remembered for when the network goes). */
export interface LocalAdmission {
  readonly eventId: string;
  readonly ticketId: string;
  readonly gate: string;
  readonly at: string;
}

/** An offline admission waiting for `POST /api/checkin/sync`. */
export interface QueuedScan {
  readonly id?: number;
  readonly eventId: string;
  readonly gate: string;
  readonly code: string;
  readonly scannedAt: string;
  readonly ticketId: string;
}

interface GateDb extends DBSchema {
  bundles: { key: string; value: StoredBundle };
  admissions: { key: [string, string]; value: LocalAdmission };
  queue: { key: number; value: QueuedScan; indexes: { byEvent: string } };
}

/**
 * The scanner's IndexedDB: bundles, the local "first scan wins" admissions and the queue of scans to sync. The queue
 * loses nothing: a scan leaves it only when the server has answered the sync that carried it.
 */
@Injectable({ providedIn: 'root' })
export class GateStore {
  private db: Promise<IDBPDatabase<GateDb>> | null = null;

  async bundle(eventId: string): Promise<StoredBundle | undefined> {
    return (await this.open()).get('bundles', eventId);
  }

  /** Keeps a download; a `since` download only carries changes, so its roster is laid over the kept one. */
  async keepBundle(download: BundleResponse, previous: StoredBundle | undefined): Promise<StoredBundle> {
    const roster: Record<string, GateRosterEntry> = { ...(previous?.roster ?? {}) };
    for (const entry of download.tickets as GateRosterEntry[]) roster[entry.ticketId] = entry;
    const bundle: StoredBundle = {
      eventId: download.eventId,
      checkInOpens: download.checkInOpens,
      checkInCloses: download.checkInCloses,
      keys: download.keys.map((k) => ({ keyId: k.keyId, publicKey: k.publicKey })),
      roster,
      nextToken: download.nextToken,
      generatedAt: download.generatedAt,
      downloadedAt: new Date().toISOString(),
    };
    await (await this.open()).put('bundles', bundle);
    return bundle;
  }

  async admission(eventId: string, ticketId: string): Promise<LocalAdmission | undefined> {
    return (await this.open()).get('admissions', [eventId, ticketId]);
  }

  /**
   * Admits a ticket once on this device: in one transaction, the first admission wins and the scan joins the queue;
   * a later scan gets the first admission back. (One transaction, so two quick scans cannot both admit.)
   */
  async admitOnce(scan: QueuedScan): Promise<{ admitted: true } | { admitted: false; first: LocalAdmission }> {
    const tx = (await this.open()).transaction(['admissions', 'queue'], 'readwrite');
    const admissions = tx.objectStore('admissions');
    const first = await admissions.get([scan.eventId, scan.ticketId]);
    if (first) {
      await tx.done;
      return { admitted: false, first };
    }
    await admissions.put({ eventId: scan.eventId, ticketId: scan.ticketId, gate: scan.gate, at: scan.scannedAt });
    await tx.objectStore('queue').add(scan);
    await tx.done;
    return { admitted: true };
  }

  /** An online admission, remembered so this device still knows it if the network goes. */
  async rememberAdmission(admission: LocalAdmission): Promise<void> {
    const db = await this.open();
    if (!(await db.get('admissions', [admission.eventId, admission.ticketId]))) await db.put('admissions', admission);
  }

  async queued(): Promise<QueuedScan[]> {
    return (await this.open()).getAll('queue');
  }

  async queuedCount(eventId: string): Promise<number> {
    return (await this.open()).countFromIndex('queue', 'byEvent', eventId);
  }

  async removeQueued(ids: readonly number[]): Promise<void> {
    const tx = (await this.open()).transaction('queue', 'readwrite');
    await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
  }

  private open(): Promise<IDBPDatabase<GateDb>> {
    return (this.db ??= openDB<GateDb>('tf-gate', 1, {
      upgrade(db) {
        db.createObjectStore('bundles', { keyPath: 'eventId' });
        db.createObjectStore('admissions', { keyPath: ['eventId', 'ticketId'] });
        db.createObjectStore('queue', { keyPath: 'id', autoIncrement: true }).createIndex('byEvent', 'eventId');
      },
    }));
  }
}
