import { ChangeDetectionStrategy, Component, effect, inject, input, signal, untracked } from '@angular/core';
import { Api, ApiProblem, type CheckInStats } from '@tf/common';

/** A short summary of the gates (GET /api/events/{id}/checkin/stats), read on demand: it matters on the day, not live. */
@Component({
  selector: 'tf-checkin-stats',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" aria-labelledby="checkin-title" data-testid="checkin-stats">
      <h2 id="checkin-title">Check-in</h2>
      @if (stats(); as s) {
        <p>Admitted <strong>{{ s.admitted }}</strong> · refused <strong>{{ s.refused }}</strong> · scanned offline {{ s.offlineScans }} ·
          conflicts {{ s.conflicts }}</p>
        @if (s.gates.length) {
          <ul>
            @for (g of s.gates; track g.gate) { <li>{{ g.gate }}: {{ g.admitted }} admitted, {{ g.refused }} refused</li> }
          </ul>
        }
      } @else if (unavailable()) {
        <p class="muted">{{ unavailable() }}</p>
      } @else {
        <p class="muted">Reading check-in figures…</p>
      }
      <button type="button" class="secondary" (click)="refresh()" [disabled]="busy()">Refresh check-in figures</button>
    </section>
  `,
})
export class CheckInStatsView {
  private readonly api = inject(Api);
  readonly eventId = input.required<string>();
  protected readonly stats = signal<CheckInStats | null>(null);
  protected readonly unavailable = signal<string | null>(null);
  protected readonly busy = signal(false);

  constructor() {
    effect(() => {
      const eventId = this.eventId();
      untracked(() => void this.load(eventId));
    });
  }

  protected refresh(): void {
    void this.load(this.eventId());
  }

  private async load(eventId: string): Promise<void> {
    this.busy.set(true);
    try {
      this.stats.set(await this.api.ok(this.api.client.GET('/api/events/{id}/checkin/stats', { params: { path: { id: eventId } } })));
      this.unavailable.set(null);
    } catch (error) {
      this.stats.set(null);
      this.unavailable.set(`Check-in figures are not available: ${ApiProblem.from(error).display}`);
    } finally {
      this.busy.set(false);
    }
  }
}
