import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Api, ApiProblem, type EventDetails, ProblemAlert, type TicketSummary, when, money } from '@tf/common';
import { DeviceCode } from './device-code';

type Panel = 'none' | 'code' | 'history' | 'transfer' | 'sell';
type Transition = { from: string; to: string; at: string; by: string; reason: string };

/** States in which the holder has a code to show (the server decides again; this only hides a useless button). */
const Showable = new Set(['Sold', 'Minted', 'Active', 'Transferred', 'CheckedIn']);
const Movable = new Set(['Sold', 'Minted', 'Active', 'Transferred']);

/** One ticket in "My tickets": its state and seat, the in-app code, history, transfer, resale listing. */
@Component({
  selector: 'tf-ticket-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, ProblemAlert, DeviceCode],
  templateUrl: './ticket-card.html',
})
export class TicketCard {
  private readonly api = inject(Api);
  readonly ticket = input.required<TicketSummary>();
  readonly event = input.required<EventDetails | null>();
  readonly changed = output<void>();
  protected readonly panel = signal<Panel>('none');
  protected readonly history = signal<Transition[] | null>(null);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly done = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected recipient = '';
  protected price: number | null = null;
  protected readonly when = when;

  protected readonly seat = computed(() => `Section ${this.ticket().sectionId}${this.ticket().seatId ? `, seat ${this.ticket().seatId}` : ''}`);
  protected readonly canShow = computed(() => Showable.has(this.ticket().status));
  protected readonly canMove = computed(() => Movable.has(this.ticket().status));
  protected readonly listed = computed(() => this.ticket().status === 'Listed');
  /** The resale cap: the event's percentage of the face value of this ticket's tier. */
  protected readonly cap = computed(() => {
    const e = this.event();
    const tier = e?.tiers.find((t) => t.sections.includes(this.ticket().sectionId));
    if (!e || !tier) return null;
    const amount = Math.floor(tier.price * e.resaleCapPercent) / 100;
    return { amount, currency: tier.currency, text: money(amount, tier.currency), percent: e.resaleCapPercent };
  });

  protected open(panel: Panel): void {
    this.problem.set(null);
    this.done.set(null);
    this.panel.set(this.panel() === panel ? 'none' : panel);
    if (this.panel() === 'history') void this.loadHistory();
  }

  protected async transfer(): Promise<void> {
    const to = this.recipient.trim();
    if (!to) {
      this.problem.set(new ApiProblem(400, { type: 'https://ticketflash.dev/problems/validation', detail: 'Enter the user name of the person you give it to.' }));
      return;
    }
    await this.run(`Sent to ${to}.`, () => this.api.ok(this.api.client.POST('/api/tickets/{id}/transfer', { params: { path: { id: this.ticket().ticketId } }, body: { to } })));
  }

  protected async sell(): Promise<void> {
    const price = Number(this.price);
    if (this.price === null || !Number.isFinite(price) || price < 0) {
      this.problem.set(new ApiProblem(400, { type: 'https://ticketflash.dev/problems/validation', detail: 'Enter a price of 0 or more.' }));
      return;
    }
    await this.run('Listed for resale.', () => this.api.ok(this.api.client.POST('/api/tickets/{id}/listings', { params: { path: { id: this.ticket().ticketId } }, body: { price } })));
  }

  protected async delist(): Promise<void> {
    await this.run('No longer for sale.', () => this.api.ok(this.api.client.DELETE('/api/tickets/{id}/listings', { params: { path: { id: this.ticket().ticketId } } })));
  }

  private async run(success: string, call: () => Promise<unknown>): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    try {
      await call();
      this.done.set(success);
      this.panel.set('none');
      this.changed.emit();
    } catch (error) {
      this.problem.set(ApiProblem.from(error));
    } finally {
      this.busy.set(false);
    }
  }

  private async loadHistory(): Promise<void> {
    try {
      this.history.set([...(await this.api.ok(this.api.client.GET('/api/tickets/{id}/history', { params: { path: { id: this.ticket().ticketId } } })))]);
    } catch (error) {
      this.problem.set(ApiProblem.from(error));
    }
  }
}
