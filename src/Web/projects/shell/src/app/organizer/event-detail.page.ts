import { ChangeDetectionStrategy, Component, effect, inject, input, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Api, ApiProblem, type EventDetails, ProblemAlert, money, when } from '@tf/common';
import { CheckInStatsView } from './checkin-stats';
import { EventActions } from './event-actions';
import { statusBadge } from './event-status';
import { LiveSales } from './live-sales';
import { RefundProgressView } from './refund-progress';

/** One event for its organizer: status and sale actions, live sales per section, refunds once cancelled, check-in. */
@Component({
  selector: 'tf-event-detail-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, ProblemAlert, EventActions, LiveSales, RefundProgressView, CheckInStatsView],
  templateUrl: './event-detail.page.html',
  styles: `.facts { margin: .2rem 0 .8rem; } .facts p { margin: .2rem 0; }`,
})
export class EventDetailPage {
  private readonly api = inject(Api);
  /** The route's :id (component input binding). */
  readonly id = input.required<string>();
  protected readonly event = signal<EventDetails | null>(null);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly badge = statusBadge;
  protected readonly money = money;
  protected readonly when = when;

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => void this.load(id));
    });
  }

  private async load(id: string): Promise<void> {
    this.problem.set(null);
    try {
      this.event.set(await this.api.ok(this.api.client.GET('/api/events/{id}', { params: { path: { id } } })));
    } catch (error) {
      this.problem.set(ApiProblem.from(error));
    }
  }
}
