import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { Api, ApiProblem, type EventDetails, LiveConnection, ProblemAlert, type SectionAvailability, money, when } from '@tf/common';

interface Stock {
  readonly available: number;
  readonly capacity: number;
}

/** Every event on sale or coming up: search by name, filter by date, "from" price, and stock that updates live. */
@Component({
  selector: 'tf-event-list-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, ProblemAlert],
  templateUrl: './event-list.page.html',
})
export class EventListPage {
  private readonly api = inject(Api);
  private readonly live = inject(LiveConnection);
  private readonly watching = new Map<string, () => void>();
  protected readonly events = signal<EventDetails[] | null>(null);
  protected readonly stock = signal<Record<string, Stock>>({});
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly query = signal('');
  protected readonly from = signal('');
  protected readonly to = signal('');
  protected readonly when = when;

  protected readonly shown = computed(() => {
    const q = this.query().trim().toLowerCase();
    const from = this.from() ? new Date(this.from()).getTime() : -Infinity;
    const to = this.to() ? new Date(this.to()).getTime() + 86_400_000 : Infinity;
    return (this.events() ?? [])
      .filter((e) => e.status !== 'Draft')
      .filter((e) => !q || e.name.toLowerCase().includes(q))
      .filter((e) => new Date(e.startsAt).getTime() >= from && new Date(e.startsAt).getTime() < to)
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => this.watching.forEach((stop) => stop()));
    void this.load();
  }

  protected fromPrice(e: EventDetails): string {
    if (e.tiers.length === 0) return '';
    const cheapest = e.tiers.reduce((a, b) => (b.price < a.price ? b : a));
    return money(cheapest.price, cheapest.currency);
  }

  protected badge(e: EventDetails): { text: string; tone: string } {
    if (e.status === 'Cancelled') return { text: 'Cancelled', tone: 'bad' };
    if (e.status === 'Paused') return { text: 'Sale paused', tone: 'warn' };
    if (e.status === 'Ended') return { text: 'Ended', tone: '' };
    const s = this.stock()[e.id];
    if (e.status === 'SoldOut' || (s && s.available === 0)) return { text: 'Sold out', tone: 'bad' };
    if (!s) return { text: e.status === 'OnSale' ? 'On sale' : e.status, tone: 'good' };
    const share = s.available / Math.max(1, s.capacity);
    return { text: `${s.available} left`, tone: share < 0.1 ? 'warn' : 'good' };
  }

  private async load(): Promise<void> {
    try {
      this.events.set([...(await this.api.ok(this.api.client.GET('/api/events')))]);
      for (const e of this.shown().slice(0, 50)) {
        this.watching.set(e.id, this.live.watch(e.id, (snapshot) => this.track(e.id, snapshot.sections)));
      }
    } catch (error) {
      this.problem.set(ApiProblem.from(error));
    }
  }

  private track(eventId: string, sections: readonly SectionAvailability[]): void {
    const available = sections.reduce((n, s) => n + s.available, 0);
    const capacity = sections.reduce((n, s) => n + s.capacity, 0);
    this.stock.update((all) => ({ ...all, [eventId]: { available, capacity } }));
  }
}
