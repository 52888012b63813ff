import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import type { CheckInResult } from '@tf/common';
import { GateStation, shortTicket, time } from './gate-station';

const ResultWords: Record<CheckInResult, string> = {
  Admitted: 'Admitted',
  AlreadyCheckedIn: 'Already checked in',
  Revoked: 'Revoked',
  WrongEvent: 'Wrong event',
  TooEarly: 'Too early',
  TooLate: 'Too late',
  NotActive: 'Not active',
  Invalid: 'Invalid code',
};

/** Offline scanning: the bundle download, the switch, the queue of scans waiting to sync, and what the sync found. */
@Component({
  selector: 'tf-offline-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" aria-labelledby="offline-title">
      <h2 id="offline-title">Offline scanning</h2>
      <p class="muted">Download the event's offline data while the network works; if it fails, this scanner checks codes by itself and syncs later.</p>
      <div class="row">
        <button type="button" class="secondary" (click)="station.download()" [disabled]="station.downloading() || !connection.mayTry()">Download for offline</button>
        <button type="button" class="secondary" (click)="station.sync()" [disabled]="station.syncing() || !connection.mayTry()">Sync now</button>
      </div>
      <p class="muted" role="status" data-testid="bundle-status">{{ station.bundleNote() ?? 'No offline data for this event yet.' }}</p>
      <div class="switch">
        <input type="checkbox" role="switch" id="offline-mode" [checked]="connection.forcedOffline()" (change)="switched($event)" aria-describedby="offline-mode-hint" />
        <label for="offline-mode">Scan offline</label>
      </div>
      <p id="offline-mode-hint" class="muted">Checks codes with the downloaded data even while the network works (for a slow or unreliable network).</p>
      <p class="status" [class.offline]="connection.offline()" role="status" data-testid="offline-status" [attr.data-offline]="connection.offline()" [attr.data-waiting]="station.waiting()">
        {{ connection.offline() ? 'Offline' : 'Online' }}: {{ station.waiting() }} {{ station.waiting() === 1 ? 'scan' : 'scans' }} waiting to sync{{ why() }}
      </p>
      @if (station.syncNote(); as note) {
        <p role="status" data-testid="sync-note">{{ note }}</p>
      }
      @if (station.syncResults().length > 0) {
        <h3>Last sync</h3>
        <div class="table-wrap">
          <table data-testid="sync-results">
            <caption class="sr-only">What the server decided for each synced scan</caption>
            <thead>
              <tr><th scope="col">Ticket</th><th scope="col">Scanned</th><th scope="col">Result</th><th scope="col">Conflict</th><th scope="col">Detail</th></tr>
            </thead>
            <tbody>
              @for (r of station.syncResults(); track $index) {
                <tr [attr.data-result]="r.result" [attr.data-conflict]="r.conflict">
                  <td class="nowrap">{{ r.ticketId ? shortTicket(r.ticketId) : '—' }}</td>
                  <td>{{ time(r.scannedAt) }}</td>
                  <td><span class="badge" [class.good]="r.result === 'Admitted'" [class.bad]="r.result !== 'Admitted'">{{ words[r.result] }}</span></td>
                  <td>{{ r.conflict ? 'Yes' : 'No' }}</td>
                  <td class="detail">{{ r.detail }}</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
      @if (station.conflicts(); as conflicts) {
        <h3>Conflicts</h3>
        @if (conflicts.length === 0) {
          <p class="muted" data-testid="no-conflicts">No conflicts: no ticket was scanned at two gates.</p>
        } @else {
          <div class="table-wrap">
            <table data-testid="conflicts">
              <caption class="sr-only">Tickets scanned more than once; the first scan counts</caption>
              <thead>
                <tr><th scope="col">Ticket</th><th scope="col">First (counts)</th><th scope="col">Second</th><th scope="col">Reported by</th></tr>
              </thead>
              <tbody>
                @for (c of conflicts; track $index) {
                  <tr>
                    <td class="nowrap">{{ shortTicket(c.ticketId) }}</td>
                    <td>{{ c.firstGate }}, {{ time(c.firstAt) }}</td>
                    <td>{{ c.secondGate }}, {{ time(c.secondAt) }}</td>
                    <td>{{ c.reportedBy }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        }
      }
    </section>
  `,
  styles: `
    .switch { display: flex; align-items: center; gap: .5rem; margin-top: .6rem; }
    .switch input { width: 1.25rem; height: 1.25rem; margin: 0; }
    .switch label { margin: 0; }
    .status { font-weight: 600; padding: .4rem .6rem; border-radius: .35rem; background: #d1fae5; color: #065f46; }
    .status.offline { background: #fef3c7; color: #7c2d12; }
    h3 { font-size: 1.05rem; margin: 1rem 0 .4rem; }
    .card > h2:first-child { margin-top: 0; }
    .badge, .nowrap { white-space: nowrap; }
    td.detail { overflow-wrap: break-word; min-width: 8rem; }
  `,
})
export class OfflinePanel {
  protected readonly station = inject(GateStation);
  protected readonly connection = this.station.connection;
  protected readonly words = ResultWords;
  protected readonly time = time;
  protected readonly shortTicket = shortTicket;
  protected readonly why = computed(() => {
    if (!this.connection.browserOnline()) return ' (no network)';
    if (this.connection.unreachable()) return ' (the server is out of reach)';
    if (this.connection.forcedOffline()) return ' (switched to offline)';
    return '';
  });

  protected switched(event: Event): void {
    this.station.setForcedOffline((event.target as HTMLInputElement).checked);
  }
}
