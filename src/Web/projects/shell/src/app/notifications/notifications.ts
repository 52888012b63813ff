import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { onOrderUpdate, type OrderDetails } from '@tf/common';

interface Notice {
  readonly id: number;
  readonly text: string;
}

/** Notices about the fan's orders, from the shell's `order-update` events; announced politely, gone after 8 s. */
@Component({
  selector: 'tf-notifications',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<section class="notices" aria-live="polite" aria-label="Notifications">
    @for (n of notices(); track n.id) {
      <p class="notice" data-testid="notice">{{ n.text }}</p>
    }
  </section>`,
  styles: `.notices { position: fixed; right: 1rem; bottom: 1rem; display: grid; gap: .5rem; max-width: min(22rem, calc(100vw - 2rem)); z-index: 5; }
    .notice { margin: 0; background: #1b1f3b; color: #fff; padding: .7rem .9rem; border-radius: .5rem; box-shadow: 0 4px 14px #0003; }`,
})
export class Notifications {
  protected readonly notices = signal<Notice[]>([]);
  private next = 1;

  constructor() {
    const stop = onOrderUpdate((order) => this.show(Notifications.describe(order)));
    inject(DestroyRef).onDestroy(stop);
  }

  private show(text: string | null): void {
    if (!text) return;
    const id = this.next++;
    this.notices.update((list) => [...list.slice(-2), { id, text }]);
    setTimeout(() => this.notices.update((list) => list.filter((n) => n.id !== id)), 8000);
  }

  private static describe(order: OrderDetails): string | null {
    switch (order.status) {
      case 'Held':
        return `${order.quantity} place(s) held for you.`;
      case 'Confirmed':
        return `Order confirmed: ${order.quantity} ticket(s).`;
      case 'Cancelled':
        return 'Order cancelled; the places were released.';
      case 'Expired':
        return 'Your hold expired.';
      default:
        return null;
    }
  }
}
