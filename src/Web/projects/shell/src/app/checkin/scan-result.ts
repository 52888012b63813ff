import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { CheckInResult } from '@tf/common';
import { type ShownScan, shortTicket, time } from './gate-station';

/** What the gate staff must do for each answer, in a few words readable at arm's length. */
const Words: Record<CheckInResult, { readonly title: string; readonly action: string }> = {
  Admitted: { title: 'Admitted', action: 'Let them in.' },
  AlreadyCheckedIn: { title: 'Already checked in', action: 'Do not admit: this ticket was already used.' },
  Revoked: { title: 'Revoked', action: 'Do not admit: this code is void.' },
  WrongEvent: { title: 'Wrong event', action: 'Do not admit: this ticket is for another event.' },
  TooEarly: { title: 'Too early', action: 'Do not admit yet: check-in has not opened for this ticket.' },
  TooLate: { title: 'Too late', action: 'Do not admit: check-in for this ticket has closed.' },
  NotActive: { title: 'Not active', action: 'Do not admit: the ticket cannot be used now (listed for resale, expired or not issued).' },
  Invalid: { title: 'Invalid code', action: 'Do not admit: this is not a valid TicketFlash ticket.' },
};

/** The big answer to the last scan: green to admit, red for everything else, always with the reason in words. */
@Component({
  selector: 'tf-scan-result',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section
      class="result"
      role="status"
      aria-live="polite"
      aria-atomic="true"
      data-testid="scan-result"
      [class.good]="scan()?.result === 'Admitted'"
      [class.bad]="scan() && scan()?.result !== 'Admitted'"
      [attr.data-result]="scan()?.result ?? null"
      [attr.data-scan]="scan()?.seq ?? 0"
      [attr.data-ticket]="scan()?.ticketId ?? null"
      [attr.data-offline]="scan()?.offline ?? null"
    >
      @if (scan(); as s) {
        <p class="verdict"><span aria-hidden="true">{{ s.result === 'Admitted' ? '✓' : '✗' }}</span> {{ words()!.title }}</p>
        <p class="action">{{ words()!.action }}</p>
        @if (s.firstGate || s.firstScanAt) {
          <p class="first" data-testid="first-scan">
            First scanned at gate <strong>{{ s.firstGate ?? 'unknown' }}</strong>@if (s.firstScanAt) {, {{ time(s.firstScanAt) }}}.
          </p>
        }
        @if (s.detail && !(s.result === 'AlreadyCheckedIn' && s.firstGate && !s.offline)) {
          <p class="detail">{{ s.detail }}</p>
        }
        <p class="meta">
          @if (s.seat) {
            {{ s.seat }} ·
          }
          @if (s.ticketId) {
            Ticket {{ shortTicket(s.ticketId) }} ·
          }
          {{ s.offline ? 'Checked offline' : 'Checked online' }} at {{ time(s.at) }}
        </p>
      } @else {
        <p class="verdict">Ready to scan</p>
        <p class="action">Scan with the camera, upload a QR image, or enter the code text.</p>
      }
    </section>
  `,
  styles: `
    .result { border-radius: .6rem; padding: 1rem 1.2rem; margin: 0 0 1rem; background: #eef0f5; color: #1a1a1a; border: 3px solid #9aa0a6; }
    .result.good { background: #065f46; color: #fff; border-color: #064e3b; }
    .result.bad { background: #991b1b; color: #fff; border-color: #7f1d1d; }
    .result p { margin: .2rem 0; overflow-wrap: anywhere; }
    .verdict { font-size: clamp(1.8rem, 8vw, 2.8rem); font-weight: 800; line-height: 1.1; }
    .action { font-size: 1.15rem; font-weight: 600; }
    .meta { font-size: .9rem; opacity: .92; }
  `,
})
export class ScanResult {
  readonly scan = input<ShownScan | null>(null);
  protected readonly words = computed(() => {
    const s = this.scan();
    return s ? Words[s.result] : null;
  });
  protected readonly time = time;
  protected readonly shortTicket = shortTicket;
}
