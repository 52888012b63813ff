import { Injectable, inject } from '@angular/core';
import { Api, type EventDetails, Session } from '@tf/common';

/** A venue the organizer can pick: its id and, when known, its name. */
export interface KnownVenue {
  readonly id: string;
  readonly name: string;
}

const KeyPrefix = 'tf.organizer.venues.';
const MaxRemembered = 50;
const MaxLookedUp = 20;

/**
 * The venues an organizer can choose from. The API has no venue list, so this browser remembers the venues it created
 * (per tenant, in localStorage) and adds the venues of the tenant's existing events, named through GET /api/venues/{id}.
 */
@Injectable({ providedIn: 'root' })
export class KnownVenues {
  private readonly api = inject(Api);
  private readonly session = inject(Session);

  remember(venue: KnownVenue): void {
    const rest = this.remembered().filter((v) => v.id !== venue.id);
    this.write([{ id: venue.id, name: venue.name }, ...rest].slice(0, MaxRemembered));
  }

  remembered(): KnownVenue[] {
    try {
      const raw = JSON.parse(localStorage.getItem(this.key()) ?? '[]') as unknown;
      return Array.isArray(raw) ? raw.filter((v): v is KnownVenue => typeof v?.id === 'string' && typeof v?.name === 'string') : [];
    } catch {
      return []; // storage blocked or corrupted: start afresh rather than fail the page
    }
  }

  /** Remembered venues first, then the venues of the tenant's events (a venue that no longer answers keeps its id). */
  async all(): Promise<KnownVenue[]> {
    const known = this.remembered();
    const seen = new Set(known.map((v) => v.id));
    let events: readonly EventDetails[] = [];
    try {
      events = await this.api.ok(this.api.client.GET('/api/events'));
    } catch {
      return known; // the list is a convenience; pasting an id still works
    }
    const tenant = this.session.user()?.tenant ?? null;
    const ids = [...new Set(events.filter((e) => tenant === null || e.tenant === tenant).map((e) => e.venueId))]
      .filter((id) => !seen.has(id))
      .slice(0, MaxLookedUp);
    const found = await Promise.all(ids.map(async (id) => {
      try {
        const venue = await this.api.ok(this.api.client.GET('/api/venues/{id}', { params: { path: { id } } }));
        return { id, name: venue.name };
      } catch {
        return { id, name: `Venue ${id.slice(0, 8)}` };
      }
    }));
    return [...known, ...found];
  }

  private key(): string {
    return KeyPrefix + (this.session.user()?.tenant ?? '-');
  }

  private write(venues: KnownVenue[]): void {
    try {
      localStorage.setItem(this.key(), JSON.stringify(venues));
    } catch {
      // Storage full or blocked: the venue still exists; the organizer can paste its id.
    }
  }
}
