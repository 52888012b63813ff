import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Api, ApiProblem, type EventDetails, ProblemAlert, Session, when } from '@tf/common';
import { EventActions } from './event-actions';
import { statusBadge } from './event-status';

/** The organizer's home: the tenant's events (drafts included), their status and sale actions, and what to create next. */
@Component({
  selector: 'tf-organizer-console-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, ProblemAlert, EventActions],
  templateUrl: './console.page.html',
  styles: `.events { display: grid; gap: 1rem; } .events h3 { margin: 0 0 .3rem; } .events p { margin: .3rem 0; }`,
})
export class ConsolePage {
  private readonly api = inject(Api);
  protected readonly session = inject(Session);
  protected readonly events = signal<EventDetails[] | null>(null);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly when = when;
  protected readonly badge = statusBadge;

  /** The session's tenant's events, soonest first (an admin without a tenant sees every event). */
  protected readonly mine = computed(() => {
    const tenant = this.session.user()?.tenant ?? null;
    return (this.events() ?? [])
      .filter((e) => tenant === null || e.tenant === tenant)
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  });

  constructor() {
    void this.load();
  }

  protected replace(updated: EventDetails): void {
    this.events.update((all) => (all ?? []).map((e) => (e.id === updated.id ? updated : e)));
  }

  private async load(): Promise<void> {
    try {
      this.events.set([...(await this.api.ok(this.api.client.GET('/api/events')))]);
    } catch (error) {
      this.problem.set(ApiProblem.from(error));
    }
  }
}
