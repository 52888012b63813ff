import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Api, ApiProblem, type OrderDetails, OrderTracker, ProblemAlert, money } from '@tf/common';

/** The checkout of one order: what is held, a countdown to the hold's expiry, pay (the simulated gateway), confirmation. */
@Component({
  selector: 'tf-checkout-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, ProblemAlert],
  templateUrl: './checkout.page.html',
  styles: `.countdown { font-size: 1.4rem; font-variant-numeric: tabular-nums; font-weight: 700; } .countdown.low { color: #8c1d18; }`,
})
export class CheckoutPage {
  private readonly api = inject(Api);
  private readonly tracker = inject(OrderTracker);
  readonly id = input.required<string>();
  protected readonly order = signal<OrderDetails | null>(null);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly busy = signal(false);
  private readonly now = signal(Date.now());
  protected readonly money = money;

  protected readonly secondsLeft = computed(() => {
    const o = this.order();
    return o ? Math.max(0, Math.floor((new Date(o.expiresAt).getTime() - this.now()) / 1000)) : 0;
  });
  protected readonly countdown = computed(() => {
    const s = this.secondsLeft();
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  });

  constructor() {
    const timer = setInterval(() => this.now.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
    queueMicrotask(() => void this.load());
  }

  protected async pay(): Promise<void> {
    await this.act(() => this.api.ok(this.api.client.POST('/api/orders/{id}/pay', { params: { path: { id: this.id() } } })));
  }

  protected async cancel(): Promise<void> {
    await this.act(() => this.api.ok(this.api.client.DELETE('/api/orders/{id}', { params: { path: { id: this.id() } } })));
  }

  private async act(call: () => Promise<OrderDetails>): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    try {
      const order = await call();
      this.order.set(order);
      this.tracker.publish(order);
    } catch (error) {
      this.problem.set(ApiProblem.from(error));
      await this.load(); // show the order as it stands now (e.g. Expired after hold-expired)
    } finally {
      this.busy.set(false);
    }
  }

  private async load(): Promise<void> {
    try {
      this.order.set(await this.tracker.refresh(this.id()));
    } catch (error) {
      this.problem.set(ApiProblem.from(error));
    }
  }
}
