import { signal } from '@angular/core';
import type { Api, LiveSnapshot, SeatState, SectionAvailability, SectionDefinition } from '@tf/common';

/** A section as pushed live: counts, and (reserved seating) the seats that changed since the previous push. */
type SectionPush = SectionAvailability & { readonly version?: number; readonly seatChanges?: readonly SeatState[] | null; readonly resync?: boolean };

/**
 * The event page's stock: counts per section and the seat list of each opened reserved section. Live pushes carry the
 * changed seats with a per-section version, so the page applies only changes newer than the list it read; a resync
 * marker (too many changes in one push) makes it read the section again, at most once a second.
 */
export class SectionStock {
  readonly counts = signal<Record<string, SectionAvailability>>({});
  readonly seats = signal<Record<string, readonly SeatState[]>>({});
  private readonly versions = new Map<string, number>();
  private readonly lastRead = new Map<string, number>();

  constructor(private readonly api: Api) {}

  async loadSeats(eventId: string, sectionId: string, reserved: boolean): Promise<void> {
    const availability = await this.api.ok(this.api.client.GET('/api/events/{id}/availability', {
      params: { path: { id: eventId }, query: { seats: reserved } },
    })).catch(() => null);
    if (!availability) return;
    for (const s of availability.sections as readonly SectionPush[]) {
      this.counts.update((all) => ({ ...all, [s.sectionId]: s }));
      if (s.sectionId === sectionId && s.seats) {
        this.seats.update((all) => ({ ...all, [s.sectionId]: s.seats! }));
        this.versions.set(s.sectionId, s.version ?? 0);
        this.lastRead.set(s.sectionId, Date.now());
      }
    }
  }

  apply(eventId: string, snapshot: LiveSnapshot, sections: readonly SectionDefinition[]): void {
    for (const s of snapshot.sections as readonly SectionPush[]) {
      const known = this.versions.get(s.sectionId);
      if (known !== undefined && s.version !== undefined && s.version <= known) continue; // the list already has it
      this.counts.update((all) => ({ ...all, [s.sectionId]: s }));
      if (!this.seats()[s.sectionId]) continue;
      if (s.resync) {
        if (Date.now() - (this.lastRead.get(s.sectionId) ?? 0) >= 1000) {
          void this.loadSeats(eventId, s.sectionId, sections.find((d) => d.id === s.sectionId)?.isReservedSeating ?? false);
        }
        continue;
      }
      if (s.seatChanges?.length) this.patch(s.sectionId, s.seatChanges);
      if (s.version !== undefined) this.versions.set(s.sectionId, s.version);
    }
  }

  /** The optimistic update after the fan's own hold, before the push confirms it. */
  markHeld(sectionId: string, seatIds: readonly string[], quantity: number): void {
    if (seatIds.length > 0) this.patch(sectionId, seatIds.map((seatId) => ({ seatId, status: 'Reserved' as const })));
    this.counts.update((all) => {
      const s = all[sectionId];
      return s ? { ...all, [sectionId]: { ...s, available: Math.max(0, s.available - quantity), held: s.held + quantity } } : all;
    });
  }

  private patch(sectionId: string, changes: readonly SeatState[]): void {
    const list = this.seats()[sectionId];
    if (!list) return;
    const byId = new Map(changes.map((c) => [c.seatId, c.status]));
    this.seats.update((all) => ({ ...all, [sectionId]: list.map((seat) => (byId.has(seat.seatId) ? { ...seat, status: byId.get(seat.seatId)! } : seat)) }));
  }
}
