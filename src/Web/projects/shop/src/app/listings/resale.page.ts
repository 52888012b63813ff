import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { Api, ApiProblem, type EventDetails, ProblemAlert, type PublicListing, Session, idempotencyKey, money, when } from '@tf/common';

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

  constructor() {
    queueMicrotask(() => void this.load());
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
      await this.api.ok(this.api.client.POST('/api/listings/{id}/buy', { params: { path: { id: listing.listingId }, header: { 'Idempotency-Key': key } } }));
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
