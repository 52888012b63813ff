import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, signal, viewChild } from '@angular/core';
import { ProblemAlert, Session } from '@tf/common';
import { CameraScanner } from './camera-scanner';
import { GateConnection } from './gate-connection';
import { GateCounts } from './gate-counts';
import { GateSettings } from './gate-settings';
import { GateStation } from './gate-station';
import { OfflinePanel } from './offline-panel';
import { ScanResult } from './scan-result';

/**
 * The gate scanner: pick the event and gate, then scan (camera, QR photo or the code text) and read the big answer.
 * Works online through the server, and offline with the downloaded bundle (see {@link GateStation}).
 */
@Component({
  selector: 'tf-gate-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ProblemAlert, ScanResult, CameraScanner, GateCounts, OfflinePanel],
  providers: [GateSettings, GateConnection, GateStation],
  template: `
    <h1>Gate scanner</h1>
    <section class="card" aria-labelledby="station-title">
      <h2 id="station-title">Station</h2>
      <div class="fields">
        <div>
          <label for="event">Event</label>
          <select id="event" (change)="choose($event)">
            <option value="" [selected]="!listed()">{{ station.events() ? 'Choose an event…' : 'Loading events…' }}</option>
            @for (e of events(); track e.id) {
              <option [value]="e.id" [selected]="e.id === settings.eventId()">{{ e.name }} · {{ day(e.startsAt) }}</option>
            }
          </select>
        </div>
        <div>
          <label for="event-id">Event id</label>
          <input id="event-id" autocomplete="off" spellcheck="false" [value]="settings.eventId()" (input)="pasted($event)" aria-describedby="event-id-hint" />
          <p id="event-id-hint" class="muted">Or paste the event's id.</p>
        </div>
        <div>
          <label for="gate">Gate name</label>
          <input id="gate" maxlength="64" autocomplete="off" [value]="settings.gate()" (input)="gateNamed($event)" />
        </div>
      </div>
      <p class="muted">This scanner: <span data-testid="device-id">{{ settings.deviceId() }}</span></p>
    </section>

    <div class="layout">
      <section class="card" aria-labelledby="scan-title">
        <h2 id="scan-title">Scan</h2>
        <tf-scan-result [scan]="station.shown()" />
        <tf-problem [problem]="station.problem()" />
        @if (station.notice(); as notice) {
          <p class="notice" role="alert" data-testid="gate-notice">{{ notice }}</p>
        }
        <form (submit)="check($event)" novalidate>
          <label for="code">Code text</label>
          <textarea
            #codeField
            id="code"
            rows="3"
            autocomplete="off"
            spellcheck="false"
            aria-describedby="code-hint"
            [value]="code()"
            (input)="typed($event)"
            (keydown.enter)="check($event)"
          ></textarea>
          <p id="code-hint" class="muted">Type or paste the code printed under the QR. A handheld scanner that types works too: Enter checks the code.</p>
          <button type="submit" [disabled]="station.busy()">Check code</button>
        </form>
        <h3>Camera</h3>
        <tf-camera-scanner [disabled]="station.busy()" (scanned)="station.scan($event)" />
      </section>
      <div>
        <tf-gate-counts [stats]="station.stats()" [offline]="connection.offline()" />
        <tf-offline-panel />
      </div>
    </div>
  `,
  styles: `
    .card > h2:first-child { margin-top: 0; }
    .fields { display: grid; gap: 0 1rem; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); }
    .fields select, .fields input { width: 100%; }
    .layout { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr)); align-items: start; }
    textarea { width: 100%; font-family: ui-monospace, monospace; font-size: .85rem; }
    .notice { border-left: 4px solid #b3261e; background: #fdecea; color: #5f1410; padding: .6rem .8rem; }
    h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
  `,
})
export class GatePage {
  private readonly session = inject(Session);
  protected readonly station = inject(GateStation);
  protected readonly settings = inject(GateSettings);
  protected readonly connection = inject(GateConnection);
  protected readonly code = signal('');
  private readonly codeField = viewChild.required<ElementRef<HTMLTextAreaElement>>('codeField');

  /** The events this staff member can scan for (their organization's; all for an admin), soonest first. */
  protected readonly events = computed(() => {
    const user = this.session.user();
    const admin = this.session.hasAnyRole('admin');
    return (this.station.events() ?? [])
      .filter((e) => e.status !== 'Draft' && (admin || e.tenant === user?.tenant))
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  });
  protected readonly listed = computed(() => this.events().some((e) => e.id === this.settings.eventId()));

  protected choose(event: Event): void {
    this.settings.eventId.set((event.target as HTMLSelectElement).value);
  }

  protected pasted(event: Event): void {
    this.settings.eventId.set((event.target as HTMLInputElement).value.trim().toLowerCase());
  }

  protected gateNamed(event: Event): void {
    this.settings.gate.set((event.target as HTMLInputElement).value);
  }

  protected typed(event: Event): void {
    this.code.set((event.target as HTMLTextAreaElement).value);
  }

  /** Checks the typed code, then empties the field and keeps the focus there for the next one. */
  protected async check(event: Event): Promise<void> {
    event.preventDefault();
    const text = this.code();
    if (!text.trim() || this.station.busy()) return;
    await this.station.scan(text);
    this.code.set('');
    this.codeField().nativeElement.focus();
  }

  protected day(iso: string): string {
    return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }
}
