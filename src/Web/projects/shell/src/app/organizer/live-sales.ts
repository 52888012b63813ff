import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { Api, LiveConnection, type LiveSnapshot, type SectionAvailability, type SectionDefinition } from '@tf/common';

/** A section's counts as pushed; pushes may carry a per-section version that orders them. */
type SectionCounts = SectionAvailability & { readonly version?: number };

/**
 * Sold, held and available per section, kept current by the shell's live connection (the watch delivers a snapshot
 * first, then every push); one availability read covers the moment before the first push arrives.
 */
@Component({
  selector: 'tf-live-sales',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './live-sales.html',
  styles: `td, th.num { text-align: right; font-variant-numeric: tabular-nums; } tfoot th, tfoot td { font-weight: 600; border-bottom: 0; }
    caption { text-align: left; font-weight: 600; padding: 0 0 .4rem; }
    @media (max-width: 420px) { th, td { padding: .35rem .3rem; } }`,
})
export class LiveSales {
  private readonly api = inject(Api);
  private readonly live = inject(LiveConnection);
  readonly eventId = input.required<string>();
  readonly sections = input.required<readonly SectionDefinition[]>();
  protected readonly counts = signal<Readonly<Record<string, SectionCounts>>>({});
  protected readonly updatedAt = signal<string | null>(null);
  protected readonly state = this.live.state;
  protected readonly time = (iso: string) => new Date(iso).toLocaleTimeString();

  protected readonly rows = computed(() => this.sections().map((def) => ({ def, counts: (this.counts()[def.id] as SectionCounts | undefined) ?? null })));
  protected readonly totals = computed(() => {
    const known = Object.values(this.counts());
    const sum = (pick: (c: SectionCounts) => number) => known.reduce((n, c) => n + pick(c), 0);
    return { sold: sum((c) => c.sold), held: sum((c) => c.held), available: sum((c) => c.available), capacity: sum((c) => c.capacity) };
  });

  constructor() {
    effect((onCleanup) => {
      const eventId = this.eventId();
      untracked(() => {
        this.counts.set({});
        onCleanup(this.live.watch(eventId, (snapshot) => this.apply(snapshot)));
        void this.read(eventId);
      });
    });
  }

  private apply(snapshot: LiveSnapshot): void {
    if (snapshot.eventId !== this.eventId()) return;
    this.counts.update((all) => {
      const next = { ...all };
      for (const s of snapshot.sections as readonly SectionCounts[]) {
        const known = next[s.sectionId]?.version;
        if (known !== undefined && s.version !== undefined && s.version < known) continue; // an older push arrived late
        next[s.sectionId] = s;
      }
      return next;
    });
    this.updatedAt.set(snapshot.at ?? new Date().toISOString());
  }

  /** Fills sections no push has described yet (a push is never older than this read's answer for the same section). */
  private async read(eventId: string): Promise<void> {
    try {
      const availability = await this.api.ok(this.api.client.GET('/api/events/{id}/availability', { params: { path: { id: eventId } } }));
      if (eventId !== this.eventId()) return;
      this.counts.update((all) => {
        const next = { ...all };
        for (const s of availability.sections) next[s.sectionId] ??= s;
        return next;
      });
    } catch {
      // The live watch still delivers its snapshot; the table shows dashes until then.
    }
  }
}
