import { ChangeDetectionStrategy, Component, ElementRef, effect, inject, input, signal, viewChild } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { Api, ApiProblem, type EventDetails, PaymentSettings, ProblemAlert, type PublicListing, Session, idempotencyKey, money, when } from '@tf/common';
import { StripeElementsPayment } from '../orders/stripe-elements';

/** A purchase waiting for the buyer's card (Stripe): the listing is held for this buyer meanwhile. */
type PendingPurchase = { listing: PublicListing; key: string; clientSecret: string; publishableKey: string };

/** An event's open resale listings (no seller identity), at or under the event's cap; buy one. */
@Component({
  selector: 'tf-resale-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, ProblemAlert],
  template: `
    <h1>Resale{{ event() ? ': ' + event()!.name : '' }}</h1>
    <p><a [routerLink]="['/events', id()]">Back to the event</a></p>
    @if (bought(); as b) { <p role="status" class="card">{{ b }} <a routerLink="/me/tickets">See it in my tickets</a>.</p> }
    <tf-problem [problem]="problem()" />
    @if (paying(); as p) {
      <section class="card" aria-labelledby="pay-heading">
        <h2 id="pay-heading">Pay {{ money(p.listing.price, p.listing.currency) }} for section {{ p.listing.sectionId }}{{ p.listing.seatId ? ', seat ' + p.listing.seatId : '' }}</h2>
        <div #paymentElement class="stripe-element" data-testid="stripe-payment-element"></div>
        @if (!stripeReady()) { <p class="muted">Loading the secure payment form…</p> }
        @if (stripeError(); as message) { <p role="alert">{{ message }}</p> }
        <button type="button" [disabled]="busy() || !stripeReady()" (click)="confirmWithStripe(p)">Pay {{ money(p.listing.price, p.listing.currency) }}</button>
      </section>
    }
    @if (listings(); as list) {
      <div class="table-wrap">
        <table>
          <caption class="sr-only">Tickets offered by other fans</caption>
          <thead><tr><th scope="col">Place</th><th scope="col">Price</th><th scope="col">Face value</th><th scope="col">Listed</th><th scope="col"><span class="sr-only">Buy</span></th></tr></thead>
          <tbody>
            @for (l of list; track l.listingId) {
              <tr>
                <td>Section {{ l.sectionId }}{{ l.seatId ? ', seat ' + l.seatId : '' }}</td>
                <td>{{ money(l.price, l.currency) }}</td>
                <td>{{ money(l.faceValue, l.currency) }}</td>
                <td>{{ when(l.listedAt) }}</td>
                <td><button type="button" [disabled]="busy()" (click)="buy(l)">Buy for {{ money(l.price, l.currency) }}</button></td>
              </tr>
            } @empty {
              <tr><td colspan="5" class="muted">Nobody is reselling tickets for this event right now.</td></tr>
            }
          </tbody>
        </table>
      </div>
    }
  `,
})
export class ResalePage {
  private readonly api = inject(Api);
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  readonly id = input.required<string>();
  protected readonly event = signal<EventDetails | null>(null);
  protected readonly listings = signal<PublicListing[] | null>(null);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly bought = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly money = money;
  protected readonly when = when;
  private readonly keys = new Map<string, string>();
  private readonly settings = inject(PaymentSettings);
  private readonly paymentHost = viewChild<ElementRef<HTMLElement>>('paymentElement');
  private stripe: Promise<StripeElementsPayment> | null = null;
  protected readonly paying = signal<PendingPurchase | null>(null);
  protected readonly stripeReady = signal(false);
  protected readonly stripeError = signal<string | null>(null);

  constructor() {
    queueMicrotask(() => void this.load());
    effect(() => {
      const host = this.paymentHost()?.nativeElement;
      const pending = this.paying();
      if (!host || !pending || this.stripe) return;
      this.stripe = StripeElementsPayment.mount(pending.publishableKey, pending.clientSecret, host);
      this.stripe.then(
        () => this.stripeReady.set(true),
        () => this.stripeError.set('The secure payment form (js.stripe.com) could not be loaded.'),
      );
    });
  }

  /** Stripe.js confirms the buyer's intent; then buy again (same key) lets the server check with Stripe. */
  protected async confirmWithStripe(pending: PendingPurchase): Promise<void> {
    if (!this.stripe) return;
    this.busy.set(true);
    this.stripeError.set(null);
    try {
      const error = await (await this.stripe).confirm(location.href);
      if (error) {
        this.stripeError.set(error);
        return;
      }
      const listing = await this.api.ok(
        this.api.client.POST('/api/listings/{id}/buy', { params: { path: { id: pending.listing.listingId }, header: { 'Idempotency-Key': pending.key } } }),
      );
      if (listing.status === 'Sold') {
        this.paying.set(null);
        this.stripe = null;
        this.bought.set(`You bought section ${pending.listing.sectionId}${pending.listing.seatId ? ', seat ' + pending.listing.seatId : ''}.`);
      } else this.stripeError.set('Your payment is being processed; the ticket appears in your tickets once it is confirmed.');
    } catch (error) {
      this.problem.set(ApiProblem.from(error));
    } finally {
      this.busy.set(false);
      await this.load();
    }
  }

  protected async buy(listing: PublicListing): Promise<void> {
    if (!this.session.isSignedIn()) {
      await this.router.navigate(['/sign-in'], { queryParams: { returnUrl: `/events/${this.id()}/resale` } });
      return;
    }
    this.busy.set(true);
    this.problem.set(null);
    const key = this.keys.get(listing.listingId) ?? idempotencyKey();
    this.keys.set(listing.listingId, key); // a retry of the same purchase never charges twice
    try {
      const result = await this.api.ok(this.api.client.POST('/api/listings/{id}/buy', { params: { path: { id: listing.listingId }, header: { 'Idempotency-Key': key } } }));
      const mode = await this.settings.get();
      if (result.status === 'Paying' && result.payment?.clientSecret && mode.gateway === 'Stripe') {
        this.paying.set({ listing, key, clientSecret: result.payment.clientSecret, publishableKey: mode.publishableKey });
        return;
      }
      this.bought.set(`You bought section ${listing.sectionId}${listing.seatId ? ', seat ' + listing.seatId : ''}.`);
    } catch (error) {
      this.problem.set(ApiProblem.from(error));
    } finally {
      this.busy.set(false);
      await this.load();
    }
  }

  private async load(): Promise<void> {
    try {
      const [event, listings] = await Promise.all([
        this.api.ok(this.api.client.GET('/api/events/{id}', { params: { path: { id: this.id() } } })),
        this.api.ok(this.api.client.GET('/api/events/{id}/listings', { params: { path: { id: this.id() } } })),
      ]);
      this.event.set(event);
      this.listings.set([...listings]);
    } catch (error) {
      this.problem.set(ApiProblem.from(error));
    }
  }
}
