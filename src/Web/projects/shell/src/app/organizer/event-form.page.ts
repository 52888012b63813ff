import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { Api, ApiProblem, type CreateEventRequest, ProblemAlert, type VenueDetails } from '@tf/common';
import { fromLocalInput, toLocalInput } from './datetime';
import { FieldError, FieldState, type FieldMessages, FormErrors } from './form-errors';
import { KnownVenues, type KnownVenue } from './known-venues';

/** One price tier being edited; `sections` are ids of the chosen venue's sections. */
interface TierDraft {
  readonly key: number;
  readonly id: string;
  readonly name: string;
  readonly price: number | null;
  readonly currency: string;
  readonly sections: readonly string[];
}

/** The venue select's last option: type or paste an id the list doesn't know. */
export const OtherVenue = '__other';
const Uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let nextKey = 0;
const tier = (id = '', name = ''): TierDraft => ({ key: nextKey++, id, name, price: null, currency: 'EUR', sections: [] });

/** Creates an event at a venue (POST /api/events) with its price tiers and sale terms, then opens its sales page. */
@Component({
  selector: 'tf-event-form-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, ProblemAlert, FormErrors, FieldState, FieldError],
  templateUrl: './event-form.page.html',
  styleUrl: './organizer-forms.css',
})
export class EventFormPage {
  private readonly api = inject(Api);
  private readonly known = inject(KnownVenues);
  private readonly router = inject(Router);
  protected readonly other = OtherVenue;
  protected readonly name = signal('');
  protected readonly venueOptions = signal<readonly KnownVenue[]>([]);
  protected readonly venueChoice = signal('');
  protected readonly pastedVenueId = signal('');
  protected readonly venueId = computed(() => (this.venueChoice() === OtherVenue ? this.pastedVenueId().trim() : this.venueChoice()));
  protected readonly venue = signal<VenueDetails | null>(null);
  protected readonly venueProblem = signal<ApiProblem | null>(null);
  protected readonly startsAt = signal('');
  protected readonly endsAt = signal('');
  protected readonly tiers = signal<readonly TierDraft[]>([tier('std', 'Standard')]);
  protected readonly perCustomerLimit = signal<number | null>(6);
  protected readonly holdMinutes = signal<number | null>(10);
  protected readonly resaleCapPercent = signal<number | null>(100);
  protected readonly errors = signal<FieldMessages>({});
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly busy = signal(false);
  private venueRequest = 0;

  constructor() {
    // A sensible default: tomorrow evening, three hours long.
    const start = new Date();
    start.setDate(start.getDate() + 1);
    start.setHours(20, 0, 0, 0);
    this.startsAt.set(toLocalInput(start));
    this.endsAt.set(toLocalInput(new Date(start.getTime() + 3 * 3_600_000)));

    const preselected = inject(ActivatedRoute).snapshot.queryParamMap.get('venueId');
    if (preselected && Uuid.test(preselected)) {
      this.venueOptions.set([{ id: preselected, name: `Venue ${preselected.slice(0, 8)}` }]);
      this.chooseVenue(preselected);
    }
    void this.loadVenueOptions();
  }


  protected chooseVenue(choice: string): void {
    this.venueChoice.set(choice);
    void this.loadVenue(this.venueId());
  }

  protected pasteVenue(text: string): void {
    this.pastedVenueId.set(text);
    void this.loadVenue(text.trim());
  }

  protected patchTier(index: number, change: Partial<Omit<TierDraft, 'key'>>): void {
    this.tiers.update((all) => all.map((t, i) => (i === index ? { ...t, ...change } : t)));
  }

  protected toggleSection(index: number, sectionId: string, on: boolean): void {
    const t = this.tiers()[index];
    const sections = on ? [...new Set([...t.sections, sectionId])] : t.sections.filter((s) => s !== sectionId);
    this.patchTier(index, { sections });
  }

  protected addTier(): void {
    this.tiers.update((all) => [...all, tier()]);
  }

  protected removeTier(index: number): void {
    this.tiers.update((all) => all.filter((_, i) => i !== index));
  }

  protected async submit(): Promise<void> {
    this.problem.set(null);
    const missing = this.missing();
    this.errors.set(missing);
    if (Object.keys(missing).length > 0) return;
    this.busy.set(true);
    try {
      const body: CreateEventRequest = {
        name: this.name().trim(),
        venueId: this.venueId(),
        startsAt: fromLocalInput(this.startsAt()),
        endsAt: fromLocalInput(this.endsAt()),
        tiers: this.tiers().map((t) => ({
          id: t.id.trim(), name: t.name.trim() || t.id.trim(), price: t.price, currency: t.currency.trim().toUpperCase(), sections: [...t.sections],
        })),
        perCustomerLimit: this.perCustomerLimit(),
        holdMinutes: this.holdMinutes(),
        resaleCapPercent: this.resaleCapPercent(),
      };
      const event = await this.api.ok(this.api.client.POST('/api/events', { body }));
      await this.router.navigate(['/organizer/events', event.id]);
    } catch (error) {
      const problem = ApiProblem.from(error);
      if (Object.keys(problem.fieldErrors).length > 0) this.errors.set(problem.fieldErrors);
      else this.problem.set(problem);
    } finally {
      this.busy.set(false);
    }
  }

  /** Only plainly missing or unreadable values; the server judges the rest (e.g. an end before the start). */
  private missing(): FieldMessages {
    const errors: Record<string, string[]> = {};
    const add = (key: string, message: string) => (errors[key] = [message]);
    if (!this.name().trim()) add('name', 'Enter the event’s name.');
    const venueId = this.venueId();
    if (!venueId) add('venueId', 'Choose a venue, or paste a venue id.');
    else if (!Uuid.test(venueId)) add('venueId', 'A venue id looks like 3f2504e0-4f89-41d3-9a0c-0305e82c3301.');
    if (!fromLocalInput(this.startsAt())) add('startsAt', 'Enter when the event starts.');
    if (!fromLocalInput(this.endsAt())) add('endsAt', 'Enter when the event ends.');
    if (this.tiers().length === 0) add('tiers', 'Add at least one price tier.');
    this.tiers().forEach((t, i) => {
      if (!t.id.trim()) add(`tiers[${i}].id`, 'Enter a short id, for example std.');
      if (t.price === null) add(`tiers[${i}].price`, 'Enter a price (0 for free).');
      if (!t.currency.trim()) add(`tiers[${i}].currency`, 'Enter a currency code, for example EUR.');
      if (t.sections.length === 0) add(`tiers[${i}].sections`, 'Choose at least one section sold at this price.');
    });
    return errors;
  }

  private async loadVenueOptions(): Promise<void> {
    const found = await this.known.all(); // never throws: an unreachable list still leaves "paste an id"
    const current = this.venueOptions();
    const merged = [...current.filter((c) => !found.some((f) => f.id === c.id)), ...found];
    this.venueOptions.set(merged);
  }

  /** Reads the venue's sections for the tier checkboxes; the first tier starts with every section. */
  private async loadVenue(id: string): Promise<void> {
    const request = ++this.venueRequest;
    this.venue.set(null);
    this.venueProblem.set(null);
    if (!Uuid.test(id)) return;
    try {
      const venue = await this.api.ok(this.api.client.GET('/api/venues/{id}', { params: { path: { id } } }));
      if (request !== this.venueRequest) return; // the organizer picked another venue meanwhile
      this.venue.set(venue);
      this.venueOptions.update((all) => all.map((v) => (v.id === venue.id ? { id: v.id, name: venue.name } : v)));
      const ids = venue.sections.map((s) => s.id);
      this.tiers.update((all) => all.map((t, i) => {
        const kept = t.sections.filter((s) => ids.includes(s));
        return { ...t, sections: i === 0 && kept.length === 0 && all.length === 1 ? ids : kept };
      }));
    } catch (error) {
      if (request === this.venueRequest) this.venueProblem.set(ApiProblem.from(error));
    }
  }
}
