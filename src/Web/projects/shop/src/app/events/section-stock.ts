import { signal } from '@angular/core';
import type { Api, LiveSnapshot, SeatState, SectionAvailability } from '@tf/common';

/**
 * The event page's stock: counts per section and the seat list of each opened reserved section. Pushes carry the
 * changed seats per section with the versions they span, so the page applies only changes newer than the list it
 * read; a gap (`fromVersion` past the list's version) or a resync marker makes it read the section again, at most once
 * a second. Refetching on every push instead would cost 10,000 watchers a full seat list each, every second.
 */
export class SectionStock {
  readonly counts = signal<Record<string, SectionAvailability>>({});
  readonly seats = signal<Record<string, readonly SeatState[]>>({});
  private readonly versions = new Map<string, number>();
  private readonly lastRead = new Map<string, number>();

  constructor(private readonly api: Api) {}

  async loadSeats(eventId: string, sectionId: string, reserved: boolean): Promise<void> {
    this.lastRead.set(sectionId, Date.now());
    const availability = await this.api.ok(this.api.client.GET('/api/events/{id}/availability', {
      params: { path: { id: eventId }, query: { seats: reserved } },
    })).catch(() => null);
    if (!availability) return;
    for (const s of availability.sections) {
      this.counts.update((all) => ({ ...all, [s.sectionId]: s }));
      if (s.sectionId === sectionId && s.seats) {
        this.seats.update((all) => ({ ...all, [s.sectionId]: s.seats! }));
        this.versions.set(s.sectionId, s.version);
      }
    }
  }

  apply(eventId: string, snapshot: LiveSnapshot): void {
    for (const s of snapshot.sections) {
      const known = this.versions.get(s.sectionId);
      if (known === undefined || s.version > known) this.counts.update((all) => ({ ...all, [s.sectionId]: s }));
    }
    for (const change of snapshot.seatChanges ?? []) {
      const known = this.versions.get(change.sectionId);
      if (known === undefined || !this.seats()[change.sectionId] || change.version <= known) continue; // the list has it
      if (change.resync || change.fromVersion > known) {
        if (Date.now() - (this.lastRead.get(change.sectionId) ?? 0) >= 1000) void this.loadSeats(eventId, change.sectionId, true);
        continue;
      }
      this.patch(change.sectionId, change.seats);
      this.versions.set(change.sectionId, change.version);
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
