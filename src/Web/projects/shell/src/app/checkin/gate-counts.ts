import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { CheckInStats } from '@tf/common';

/** The event's admissions per gate, as the server counts them (offline scans once they are synced). */
@Component({
  selector: 'tf-gate-counts',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" data-testid="gate-counts" aria-labelledby="gate-counts-title">
      <h2 id="gate-counts-title">Gate counts</h2>
      @if (stats(); as s) {
        <p class="totals">
          <strong class="big" data-testid="admitted-total">{{ s.admitted }}</strong> admitted ·
          <span data-testid="refused-total">{{ s.refused }}</span> refused
        </p>
        <p class="muted">{{ s.offlineScans }} offline scans synced · {{ s.conflicts }} conflicts</p>
        <div class="table-wrap">
          <table>
            <caption class="sr-only">Admitted and refused scans per gate</caption>
            <thead>
              <tr><th scope="col">Gate</th><th scope="col">Admitted</th><th scope="col">Refused</th></tr>
            </thead>
            <tbody>
              @for (g of s.gates; track g.gate) {
                <tr data-testid="gate-count" [attr.data-gate]="g.gate" [attr.data-admitted]="g.admitted">
                  <th scope="row">{{ g.gate }}</th>
                  <td>{{ g.admitted }}</td>
                  <td>{{ g.refused }}</td>
                </tr>
              } @empty {
                <tr><td colspan="3" class="muted">No scans yet.</td></tr>
              }
            </tbody>
          </table>
        </div>
      } @else {
        <p class="muted">{{ offline() ? 'The counts come from the server: they show again when the network is back.' : 'Choose an event to see its counts.' }}</p>
      }
    </section>
  `,
  styles: `.card > h2:first-child { margin-top: 0; } .big { font-size: 1.8rem; } .totals { margin: 0 0 .3rem; }`,
})
export class GateCounts {
  readonly stats = input<CheckInStats | null>(null);
  readonly offline = input(false);
}
