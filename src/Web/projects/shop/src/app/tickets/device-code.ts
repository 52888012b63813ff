import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, input, signal } from '@angular/core';
import { Api, ApiProblem, DeviceKeys, DeviceStepSeconds, ProblemAlert, QrCode, type StoredCertificate, fromBase64 } from '@tf/common';

/**
 * The in-app code: bound to this browser's non-extractable device key. The certificate is fetched once (and kept, so
 * the code works offline); every 15 s the device signs the new step and the QR changes. A screenshot goes stale
 * within 30 s, and a copied certificate is useless without the key.
 */
@Component({
  selector: 'tf-device-code',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [QrCode, ProblemAlert],
  template: `
    @if (code(); as c) {
      <tf-qr-code [text]="c" [label]="'Ticket code for ' + ticketLabel() + ', changes every 15 seconds'" />
      <p class="muted">Changes in {{ secondsToNext() }} s · bound to this device</p>
    } @else if (!problem()) {
      <p class="muted" role="status">Preparing your code…</p>
    }
    <tf-problem [problem]="problem()" />
  `,
})
export class DeviceCode {
  private readonly api = inject(Api);
  private readonly keys = inject(DeviceKeys);
  readonly ticketId = input.required<string>();
  readonly ticketLabel = input('your ticket');
  protected readonly code = signal<string | null>(null);
  protected readonly problem = signal<ApiProblem | null>(null);
  private readonly now = signal(Date.now());
  protected readonly secondsToNext = computed(() => DeviceStepSeconds - (Math.floor(this.now() / 1000) % DeviceStepSeconds));
  private certificate: StoredCertificate | null = null;
  private step = -1;

  constructor() {
    const timer = setInterval(() => this.tick(), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
    queueMicrotask(() => void this.start());
  }

  private async start(): Promise<void> {
    try {
      this.certificate = await this.currentCertificate();
      await this.tick();
    } catch (error) {
      this.problem.set(ApiProblem.from(error));
    }
  }

  private async tick(): Promise<void> {
    this.now.set(Date.now());
    const step = Math.floor(Date.now() / 1000 / DeviceStepSeconds);
    if (!this.certificate || step === this.step) return;
    this.step = step;
    this.code.set(await this.keys.code(this.certificate, Date.now()));
  }

  /** The kept certificate while it names the ticket's current serial; otherwise (new ticket, transfer) bind again. */
  private async currentCertificate(): Promise<StoredCertificate> {
    const kept = await this.keys.certificate(this.ticketId());
    let serial: number;
    try {
      serial = (await this.api.ok(this.api.client.GET('/api/tickets/{id}', { params: { path: { id: this.ticketId() } } }))).serial;
    } catch (error) {
      if (kept && ApiProblem.from(error).slug === 'network') return kept; // offline: the kept certificate still works
      throw error;
    }
    if (kept && kept.serial === serial && new Date(kept.validTo).getTime() > Date.now()) return kept;
    const bound = await this.api.ok(this.api.client.POST('/api/tickets/{id}/devices', {
      params: { path: { id: this.ticketId() } },
      body: { publicKey: await this.keys.publicKey() },
    }));
    const certificate: StoredCertificate = {
      ticketId: this.ticketId(),
      serial: new DataView(fromBase64(bound.certificate).buffer).getUint32(38),
      certificate: bound.certificate,
      validTo: bound.validTo,
    };
    await this.keys.keepCertificate(certificate);
    return certificate;
  }
}
