import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, computed, effect, inject, input, signal, viewChild } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Api, ApiProblem, type OrderDetails, OrderTracker, type PaymentMode, PaymentSettings, ProblemAlert, money } from '@tf/common';
import { StripeElementsPayment } from './stripe-elements';

/**
 * The checkout of one order: what is held, a countdown to the hold's expiry, pay, confirmation. With the simulated
 * gateway "pay" charges at once; with Stripe it creates the payment intent, the Payment Element takes the card and
 * Stripe.js confirms, then "pay" again lets the server ask Stripe (the webhook may have confirmed already).
 */
@Component({
  selector: 'tf-checkout-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, ProblemAlert],
  templateUrl: './checkout.page.html',
  styles: `.countdown { font-size: 1.4rem; font-variant-numeric: tabular-nums; font-weight: 700; } .countdown.low { color: #8c1d18; } .stripe-element { margin: 1rem 0; min-height: 3rem; }`,
})
export class CheckoutPage {
  private readonly api = inject(Api);
  private readonly tracker = inject(OrderTracker);
  private readonly settings = inject(PaymentSettings);
  private readonly paymentHost = viewChild<ElementRef<HTMLElement>>('paymentElement');
  private stripe: Promise<StripeElementsPayment> | null = null;
  protected readonly mode = signal<PaymentMode | null>(null);
  protected readonly stripeReady = signal(false);
  protected readonly stripeError = signal<string | null>(null);
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
    void this.settings.get().then((mode) => this.mode.set(mode));
    queueMicrotask(() => void this.load());
    // Mount Stripe's Payment Element once an intent is pending and its host is on the page.
    effect(() => {
      const host = this.paymentHost()?.nativeElement;
      const secret = this.order()?.payment?.clientSecret;
      const mode = this.mode();
      if (!host || !secret || mode?.gateway !== 'Stripe' || this.stripe) return;
      this.stripe = StripeElementsPayment.mount(mode.publishableKey, secret, host);
      this.stripe.then(
        () => this.stripeReady.set(true),
        () => this.stripeError.set('The secure payment form (js.stripe.com) could not be loaded.'),
      );
    });
  }

  /** Stripe.js confirms the intent with the card in the Payment Element; then the server checks with Stripe. */
  protected async confirmWithStripe(): Promise<void> {
    if (!this.stripe) return;
    this.busy.set(true);
    this.stripeError.set(null);
    try {
      const error = await (await this.stripe).confirm(location.href);
      if (error) {
        this.stripeError.set(error);
        return;
      }
    } finally {
      this.busy.set(false);
    }
    await this.pay();
    // Processing (e.g. a bank debit): the webhook confirms later; look again for a little while.
    for (let i = 0; i < 10 && this.order()?.status === 'PaymentPending'; i++) {
      await new Promise((r) => setTimeout(r, 2000));
      await this.load();
    }
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
