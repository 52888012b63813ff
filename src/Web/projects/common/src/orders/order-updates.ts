import { Injectable, inject } from '@angular/core';
import type { OrderDetails } from '../api/api-types';
import { Api } from '../api/api';

/** The DOM event the shell dispatches on `window` whenever one of the fan's orders changes (as in the seed's sequence). */
export const OrderUpdateEvent = 'order-update';
export type OrderUpdate = CustomEvent<OrderDetails>;

/** Listens for order updates (the shop's optimistic stock change); returns the function that stops listening. */
export function onOrderUpdate(handler: (order: OrderDetails) => void): () => void {
  const listener = (e: Event) => handler((e as OrderUpdate).detail);
  window.addEventListener(OrderUpdateEvent, listener);
  return () => window.removeEventListener(OrderUpdateEvent, listener);
}

/**
 * The shell's order tracker: any area that changed an order (placed, paid, cancelled) reports it here, and the tracker
 * reads the order's state from the server and dispatches `order-update` for every listener on the page.
 */
@Injectable({ providedIn: 'root' })
export class OrderTracker {
  private readonly api = inject(Api);

  publish(order: OrderDetails): void {
    window.dispatchEvent(new CustomEvent(OrderUpdateEvent, { detail: order }));
  }

  async refresh(orderId: string): Promise<OrderDetails> {
    const order = await this.api.ok(this.api.client.GET('/api/orders/{id}', { params: { path: { id: orderId } } }));
    this.publish(order);
    return order;
  }
}
