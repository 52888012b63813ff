import { DestroyRef, Injectable, effect, inject, signal, untracked } from '@angular/core';
import { Api, ApiProblem, type CheckInOutcome, type CheckInStats, type EventDetails, type SyncedScanResult } from '@tf/common';
import { GateConnection } from './gate-connection';
import { EventIdPattern, GateSettings } from './gate-settings';
import { GateStore, type QueuedScan, type StoredBundle } from './gate-store';
import { type ScanOutcome, checkOffline } from './offline-verifier';

/** The last scan on the page; `seq` tells two equal answers in a row apart. */
export type ShownScan = ScanOutcome & { readonly seq: number; readonly at: string };

export interface ConflictRow {
  readonly ticketId: string;
  readonly firstGate: string;
  readonly firstAt: string;
  readonly secondGate: string;
  readonly secondAt: string;
  readonly reportedBy: string;
}

const RefreshMs = 10_000;
// While online, the kept bundle is brought up to date this often, so a sudden outage finds other gates' admissions in it.
const BundleRefreshMs = 60_000;
const MaxScansPerSync = 500; // the server's OfflineLimits.MaxScansPerSync

/**
 * One scanning station: scans online through `POST /api/checkin`, or offline against the downloaded bundle and this
 * device's first-scan-wins store, queues offline admissions and syncs them when the server is reachable again.
 * Every failure ends up in words on the page (`problem` or `notice`), never as an uncaught error.
 */
@Injectable()
export class GateStation {
  private readonly api = inject(Api);
  private readonly store = inject(GateStore);
  readonly settings = inject(GateSettings);
  readonly connection = inject(GateConnection);

  readonly events = signal<EventDetails[] | null>(null);
  readonly shown = signal<ShownScan | null>(null);
  readonly busy = signal(false);
  readonly problem = signal<ApiProblem | null>(null);
  readonly notice = signal<string | null>(null);
  readonly stats = signal<CheckInStats | null>(null);
  readonly bundle = signal<StoredBundle | null>(null);
  readonly downloading = signal(false);
  readonly bundleNote = signal<string | null>(null);
  readonly waiting = signal(0);
  readonly syncing = signal(false);
  readonly syncNote = signal<string | null>(null);
  readonly syncResults = signal<SyncedScanResult[]>([]);
  readonly conflicts = signal<ConflictRow[] | null>(null);
  private seq = 0;
  private syncRun: Promise<void> | null = null;

  constructor() {
    effect(() => {
      const eventId = this.settings.eventId();
      untracked(() => void this.select(eventId));
    });
    const timer = setInterval(() => void this.tick(), RefreshMs);
    const stop = this.connection.onBack(() => void this.sync());
    inject(DestroyRef).onDestroy(() => {
      clearInterval(timer);
      stop();
    });
    void this.loadEvents();
  }

  async loadEvents(): Promise<void> {
    if (!this.connection.mayTry()) return;
    try {
      this.events.set(await this.api.ok(this.api.client.GET('/api/events')));
    } catch (error) {
      this.notice.set(`The list of events could not be loaded (${ApiProblem.from(error).display}). Paste the event id instead.`);
    }
  }

  /** Judges one code (from the camera, an image or the keyboard) and shows the answer. */
  async scan(raw: string): Promise<void> {
    const code = raw.trim();
    const eventId = this.settings.eventId();
    if (!code || this.busy()) return;
    if (!EventIdPattern.test(eventId)) {
      this.notice.set('Choose the event first.');
      return;
    }
    if (!this.settings.gate().trim()) {
      this.notice.set('Enter the gate name first.');
      return;
    }
    this.busy.set(true);
    this.problem.set(null);
    this.notice.set(null);
    try {
      const outcome = this.connection.offline() ? await this.scanOffline(eventId, code) : await this.scanOnline(eventId, code);
      if (outcome) this.shown.set({ ...outcome, seq: ++this.seq, at: new Date().toISOString() });
    } catch (error) {
      this.notice.set(`The scan could not be judged: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.busy.set(false);
    }
  }

  private async scanOnline(eventId: string, code: string): Promise<ScanOutcome | null> {
    const gate = this.settings.gate().trim();
    let outcome: CheckInOutcome;
    try {
      outcome = await this.api.ok(this.api.client.POST('/api/checkin', { body: { eventId, code, gate, deviceId: this.settings.deviceId() } }));
    } catch (error) {
      const problem = ApiProblem.from(error);
      if (problem.status !== 0) {
        this.problem.set(problem);
        return null;
      }
      // The server is out of reach: judge this scan (and the next ones) with the offline data, if there is any.
      this.connection.unreachable.set(true);
      if (!this.bundle()) {
        this.problem.set(problem);
        this.notice.set('No offline data for this event on this scanner, so the code cannot be checked. Download it when the network is back.');
        return null;
      }
      return this.scanOffline(eventId, code);
    }
    this.connection.reached();
    if (outcome.result === 'Admitted' && outcome.ticketId) {
      // Remembered so that, if the network goes, this device still refuses a second entry.
      void this.store.rememberAdmission({ eventId, ticketId: outcome.ticketId, gate, at: new Date().toISOString() }).catch(() => undefined);
    }
    void this.refreshStats();
    const seat = outcome.sectionId ? `Section ${outcome.sectionId}${outcome.seatId ? `, seat ${outcome.seatId}` : ''}` : null;
    return { result: outcome.result, ticketId: outcome.ticketId, detail: outcome.detail, firstGate: outcome.firstGate, firstScanAt: outcome.firstScanAt, seat, offline: false };
  }

  private async scanOffline(eventId: string, code: string): Promise<ScanOutcome | null> {
    const bundle = this.bundle();
    if (!bundle || bundle.eventId !== eventId) {
      this.notice.set('This scanner has no offline data for this event. Download it (Download for offline) while the network works.');
      return null;
    }
    const check = await checkOffline(code, bundle, Date.now());
    if ('refused' in check) return check.refused;
    const ticketId = check.admissible.ticketId;
    const gate = this.settings.gate().trim();
    const answer = await this.store.admitOnce({ eventId, gate, code, scannedAt: new Date().toISOString(), ticketId });
    await this.countWaiting();
    if (!answer.admitted) {
      const { gate: firstGate, at: firstScanAt } = answer.first;
      return { result: 'AlreadyCheckedIn', ticketId, detail: 'Already admitted by this scanner.', firstGate, firstScanAt, offline: true };
    }
    return { result: 'Admitted', ticketId, detail: 'Welcome. Admitted offline; the scan is kept until it is synced.', offline: true };
  }

  /** Gets the offline bundle: everything the first time, then only what changed since the last download. */
  async download(quiet = false): Promise<void> {
    const eventId = this.settings.eventId();
    if (!EventIdPattern.test(eventId)) {
      this.notice.set('Choose the event first.');
      return;
    }
    this.downloading.set(true);
    if (!quiet) this.problem.set(null);
    try {
      const previous = this.bundle()?.eventId === eventId ? this.bundle()! : undefined;
      const query = previous ? { since: previous.nextToken } : {};
      const download = await this.api.ok(this.api.client.GET('/api/events/{id}/checkin/bundle', { params: { path: { id: eventId }, query } }));
      const kept = await this.store.keepBundle(download, previous);
      this.connection.reached();
      if (this.settings.eventId() !== eventId) return;
      this.bundle.set(kept);
      this.bundleNote.set(`Offline data ready: ${describe(kept)}.`);
    } catch (error) {
      const problem = ApiProblem.from(error);
      if (problem.status === 0) this.connection.unreachable.set(true);
      // A background refresh that fails keeps the bundle already kept; only the staff's own click is answered.
      if (quiet) return;
      this.problem.set(problem);
      this.bundleNote.set('The offline data could not be downloaded.');
    } finally {
      this.downloading.set(false);
    }
  }

  /** Sends the queued offline scans (every event and gate they were made for); the queue keeps what was not answered. */
  sync(): Promise<void> {
    return (this.syncRun ??= this.runSync().finally(() => (this.syncRun = null)));
  }

  private async runSync(): Promise<void> {
    if (!this.connection.mayTry()) {
      this.syncNote.set('No network: the scans stay on this scanner until it is back.');
      return;
    }
    this.syncing.set(true);
    let sent = 0;
    const results: SyncedScanResult[] = [];
    try {
      for (const batch of batches(await this.store.queued())) {
        const body = { eventId: batch[0].eventId, deviceId: this.settings.deviceId(), gate: batch[0].gate, scans: batch.map((s) => ({ code: s.code, scannedAt: s.scannedAt })) };
        const answer = await this.api.ok(this.api.client.POST('/api/checkin/sync', { body }));
        // Only now, after the server's 2xx, may the scans leave the queue; a re-sent sync counts nothing twice.
        await this.store.removeQueued(batch.map((s) => s.id!));
        results.push(...answer.results);
        sent += batch.length;
      }
      this.connection.reached();
      this.syncNote.set(sent === 0 ? 'Nothing was waiting to sync.' : `Synced ${sent} offline ${sent === 1 ? 'scan' : 'scans'}.`);
      if (sent > 0) this.syncResults.set(results);
    } catch (error) {
      const problem = ApiProblem.from(error);
      if (problem.status === 0) this.connection.unreachable.set(true);
      if (results.length > 0) this.syncResults.set(results);
      this.syncNote.set(`Sync stopped: ${problem.display} The scans not yet synced stay on this scanner and will be sent again.`);
    } finally {
      this.syncing.set(false);
      await this.countWaiting();
    }
    if (!this.connection.unreachable()) await Promise.all([this.refreshStats(), this.refreshConflicts()]);
  }

  async refreshStats(): Promise<void> {
    const eventId = this.settings.eventId();
    if (!EventIdPattern.test(eventId) || !this.connection.mayTry()) return;
    try {
      const stats = await this.api.ok(this.api.client.GET('/api/events/{id}/checkin/stats', { params: { path: { id: eventId } } }));
      if (this.settings.eventId() === eventId) this.stats.set(stats);
      // The server answers again after being out of reach: send what was scanned meanwhile.
      if (this.connection.reached() && this.waiting() > 0) void this.sync();
    } catch (error) {
      const problem = ApiProblem.from(error);
      if (problem.status === 0) this.connection.unreachable.set(true);
      else if (this.settings.eventId() === eventId) this.problem.set(problem);
    }
  }

  async refreshConflicts(): Promise<void> {
    const eventId = this.settings.eventId();
    if (!EventIdPattern.test(eventId) || !this.connection.mayTry()) return;
    try {
      const conflicts = await this.api.ok(this.api.client.GET('/api/events/{id}/checkin/conflicts', { params: { path: { id: eventId } } }));
      if (this.settings.eventId() === eventId) this.conflicts.set(conflicts);
    } catch (error) {
      if (ApiProblem.from(error).status === 0) this.connection.unreachable.set(true);
    }
  }

  /** The staff's switch; turning offline scanning off sends what was queued. */
  setForcedOffline(on: boolean): void {
    this.connection.forcedOffline.set(on);
    if (!on) void this.sync();
  }

  private async select(eventId: string): Promise<void> {
    this.shown.set(null);
    this.stats.set(null);
    this.conflicts.set(null);
    this.bundle.set(null);
    this.bundleNote.set(null);
    this.problem.set(null);
    if (!EventIdPattern.test(eventId)) return;
    try {
      const bundle = await this.store.bundle(eventId);
      if (this.settings.eventId() !== eventId) return;
      this.bundle.set(bundle ?? null);
      if (bundle) this.bundleNote.set(`Offline data kept on this scanner: ${describe(bundle)}.`);
      await this.countWaiting();
    } catch (error) {
      this.notice.set(`This browser's offline storage could not be read (${error instanceof Error ? error.message : String(error)}).`);
    }
    await Promise.all([this.refreshStats(), this.refreshConflicts()]);
  }

  private async tick(): Promise<void> {
    await this.refreshStats();
    const reachable = this.connection.mayTry() && !this.connection.unreachable();
    if (this.waiting() > 0 && reachable) await this.sync();
    const bundle = this.bundle();
    if (bundle && reachable && !this.downloading() && Date.now() - Date.parse(bundle.downloadedAt) > BundleRefreshMs) await this.download(true);
  }

  private async countWaiting(): Promise<void> {
    const eventId = this.settings.eventId();
    try {
      this.waiting.set(EventIdPattern.test(eventId) ? await this.store.queuedCount(eventId) : 0);
    } catch {
      this.waiting.set(0);
    }
  }
}

function describe(bundle: StoredBundle): string {
  const changed = Object.keys(bundle.roster).length;
  const keys = bundle.keys.length;
  return `downloaded ${time(bundle.downloadedAt)}, ${keys} signing ${keys === 1 ? 'key' : 'keys'}, ${changed} ${changed === 1 ? 'ticket' : 'tickets'} changed since sale`;
}

/** The queue cut into requests: one event and gate each, at most the server's limit of scans, oldest first. */
function* batches(queued: readonly QueuedScan[]): Generator<QueuedScan[]> {
  const open = new Map<string, QueuedScan[]>();
  for (const scan of queued) {
    const key = `${scan.eventId}\n${scan.gate}`;
    const group = open.get(key) ?? [];
    group.push(scan);
    if (group.length < MaxScansPerSync) open.set(key, group);
    else {
      open.delete(key);
      yield group;
    }
  }
  yield* open.values();
}

/** A ticket as staff read it: ids of one order share their start, so the end tells them apart. */
export function shortTicket(ticketId: string): string {
  return `…${ticketId.slice(-8)}`;
}

export function time(at: string): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}
