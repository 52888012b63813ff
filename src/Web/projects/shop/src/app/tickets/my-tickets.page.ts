import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Api, ApiProblem, type EventDetails, ProblemAlert, type TicketSummary } from '@tf/common';
import { TicketCard } from './ticket-card';

/** The fan's tickets, with each one's code, history, transfer and resale. */
@Component({
  selector: 'tf-my-tickets-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, ProblemAlert, TicketCard],
  template: `
    <h1>My tickets</h1>
    <tf-problem [problem]="problem()" />
    @if (tickets(); as list) {
      <ul class="plain grid tickets">
        @for (t of list; track t.ticketId) {
          <li><tf-ticket-card [ticket]="t" [event]="events()[t.eventId] ?? null" (changed)="reload()" /></li>
        } @empty {
          <li class="muted">No tickets yet. <a routerLink="/">Find an event</a>.</li>
        }
      </ul>
    } @else if (!problem()) {
      <p class="muted" role="status">Loading…</p>
    }
  `,
})
export class MyTicketsPage {
  private readonly api = inject(Api);
  protected readonly tickets = signal<TicketSummary[] | null>(null);
  protected readonly events = signal<Record<string, EventDetails>>({});
  protected readonly problem = signal<ApiProblem | null>(null);

  constructor() {
    void this.reload();
  }

  protected async reload(): Promise<void> {
    try {
      const [tickets, events] = await Promise.all([this.api.ok(this.api.client.GET('/api/me/tickets')), this.api.ok(this.api.client.GET('/api/events'))]);
      this.events.set(Object.fromEntries(events.map((e) => [e.id, e])));
      this.tickets.set([...tickets]);
    } catch (error) {
      this.problem.set(ApiProblem.from(error));
    }
  }
}
