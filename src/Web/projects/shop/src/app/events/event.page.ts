import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import {
  Api, ApiProblem, type EventDetails, LiveConnection, type LiveSnapshot, OrderTracker, ProblemAlert, type SectionDefinition,
  idempotencyKey, money, onOrderUpdate, when,
} from '@tf/common';
import { SeatMap } from './seat-map';
import { SectionStock } from './section-stock';

/**
 * An event: its tiers and sections, live stock, an SVG seat map per reserved section, a tier-and-quantity picker for
 * general admission, and best available. Placing an order holds places and opens the checkout.
 */
@Component({
  selector: 'tf-event-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, ProblemAlert, SeatMap],
  templateUrl: './event.page.html',
  styles: `.sections { display: grid; gap: 1rem; } .qty { width: 5rem; } .price { font-weight: 600; }`,
})
export class EventPage {
  private readonly api = inject(Api);
  private readonly live = inject(LiveConnection);
  private readonly orders = inject(OrderTracker);
  private readonly router = inject(Router);
  readonly id = input.required<string>();
  protected readonly event = signal<EventDetails | null>(null);
  protected readonly stock = new SectionStock(inject(Api));
  protected readonly sectionId = signal<string>('');
  protected readonly quantity = signal(1);
  protected readonly selected = signal<ReadonlySet<string>>(new Set());
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly busy = signal(false);
  protected readonly when = when;
  private pendingKey: string | null = null;

  protected readonly section = computed(() => this.event()?.sections.find((s) => s.id === this.sectionId()) ?? null);
  protected readonly onSale = computed(() => this.event()?.status === 'OnSale');
  protected readonly limit = computed(() => this.event()?.perCustomerLimit ?? 1);

  constructor() {
    const destroy = inject(DestroyRef);
    queueMicrotask(() => void this.load(destroy));
    destroy.onDestroy(onOrderUpdate((order) => {
      if (order.eventId === this.id() && order.status === 'Held') this.stock.markHeld(order.sectionId, order.seats, order.quantity);
    }));
  }

  protected price(section: SectionDefinition): string {
    const tier = this.event()?.tiers.find((t) => t.sections.includes(section.id));
    return tier ? `${tier.name}: ${money(tier.price, tier.currency)}` : '';
  }

  protected choose(sectionId: string): void {
    this.sectionId.set(sectionId);
    this.selected.set(new Set());
    this.problem.set(null);
    void this.stock.loadSeats(this.id(), sectionId, this.event()?.sections.find((s) => s.id === sectionId)?.isReservedSeating ?? false);
  }

  protected toggleSeat(seatId: string): void {
    const next = new Set(this.selected());
    if (next.has(seatId)) next.delete(seatId);
    else if (next.size < this.limit()) next.add(seatId);
    else {
      this.problem.set(new ApiProblem(422, { type: 'https://ticketflash.dev/problems/limit-exceeded', detail: `At most ${this.limit()} per fan.` }));
      return;
    }
    this.problem.set(null);
    this.selected.set(next);
  }

  /** Holds the chosen seats, or (best available, general admission) a quantity in the section. */
  protected async hold(bestAvailable: boolean): Promise<void> {
    const section = this.section();
    if (!section) return;
    const seats = section.isReservedSeating && !bestAvailable ? [...this.selected()] : null;
    const quantity = seats ? seats.length : Number(this.quantity());
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > this.limit()) {
      this.problem.set(new ApiProblem(400, { type: 'https://ticketflash.dev/problems/validation', detail: `Choose between 1 and ${this.limit()} places.` }));
      return;
    }
    this.busy.set(true);
    this.problem.set(null);
    // The same key until the server answers, so a retry after a lost connection reaches the same order.
    this.pendingKey ??= idempotencyKey();
    try {
      const order = await this.api.ok(this.api.client.POST('/api/orders', {
        headers: { 'Idempotency-Key': this.pendingKey },
        body: { eventId: this.id(), sectionId: section.id, quantity, seats },
      }));
      this.pendingKey = null;
      this.orders.publish(order);
      await this.router.navigate(['/orders', order.orderId]);
    } catch (error) {
      const problem = ApiProblem.from(error);
      if (problem.status !== 0 && problem.status !== 503) this.pendingKey = null;
      if (problem.slug === 'unauthorized') await this.router.navigate(['/sign-in'], { queryParams: { returnUrl: `/events/${this.id()}` } });
      this.problem.set(problem);
      void this.stock.loadSeats(this.id(), section.id, section.isReservedSeating ?? false);
      this.selected.set(new Set());
    } finally {
      this.busy.set(false);
    }
  }

  private async load(destroy: DestroyRef): Promise<void> {
    try {
      const event = await this.api.ok(this.api.client.GET('/api/events/{id}', { params: { path: { id: this.id() } } }));
      this.event.set(event);
      // Watch first, then read the seats: a push that races the read is recognised by its section version.
      destroy.onDestroy(this.live.watch(event.id, (snapshot: LiveSnapshot) => this.stock.apply(event.id, snapshot)));
      const first = event.sections.find((s) => s.isReservedSeating) ?? event.sections[0];
      if (first) this.choose(first.id);
    } catch (error) {
      this.problem.set(ApiProblem.from(error));
    }
  }
}
