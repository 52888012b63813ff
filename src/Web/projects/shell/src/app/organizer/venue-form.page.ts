import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { Api, ApiProblem, type CreateVenueRequest, ProblemAlert } from '@tf/common';
import { FieldError, FieldState, type FieldMessages, FormErrors } from './form-errors';
import { KnownVenues } from './known-venues';

/** One row of the sections editor: reserved seating (rows × seats per row) or general admission (a capacity). */
interface SectionDraft {
  readonly key: number;
  readonly kind: 'reserved' | 'ga';
  readonly id: string;
  readonly name: string;
  readonly rows: number | null;
  readonly seatsPerRow: number | null;
  readonly capacity: number | null;
}

let nextKey = 0;
const emptySection = (kind: SectionDraft['kind'] = 'reserved'): SectionDraft =>
  ({ key: nextKey++, kind, id: '', name: '', rows: null, seatsPerRow: null, capacity: null });

/** Creates a venue (POST /api/venues), remembers it in this browser, then goes on to create an event there. */
@Component({
  selector: 'tf-venue-form-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, ProblemAlert, FormErrors, FieldState, FieldError],
  templateUrl: './venue-form.page.html',
  styleUrl: './organizer-forms.css',
})
export class VenueFormPage {
  private readonly api = inject(Api);
  private readonly venues = inject(KnownVenues);
  private readonly router = inject(Router);
  protected readonly name = signal('');
  protected readonly sections = signal<readonly SectionDraft[]>([emptySection()]);
  protected readonly errors = signal<FieldMessages>({});
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly busy = signal(false);

  protected patch(index: number, change: Partial<Omit<SectionDraft, 'key'>>): void {
    this.sections.update((all) => all.map((s, i) => (i === index ? { ...s, ...change } : s)));
  }

  protected add(): void {
    this.sections.update((all) => [...all, emptySection()]);
  }

  protected remove(index: number): void {
    this.sections.update((all) => all.filter((_, i) => i !== index));
  }

  protected async submit(): Promise<void> {
    this.problem.set(null);
    const missing = this.missing();
    this.errors.set(missing);
    if (Object.keys(missing).length > 0) return;
    this.busy.set(true);
    try {
      const body: CreateVenueRequest = {
        name: this.name().trim(),
        sections: this.sections().map((s) => {
          const id = s.id.trim();
          const name = s.name.trim() || id;
          return s.kind === 'reserved'
            ? { id, name, rows: s.rows, seatsPerRow: s.seatsPerRow, capacity: null }
            : { id, name, rows: null, seatsPerRow: null, capacity: s.capacity };
        }),
      };
      const venue = await this.api.ok(this.api.client.POST('/api/venues', { body }));
      this.venues.remember({ id: venue.id, name: venue.name });
      await this.router.navigate(['/organizer/events/new'], { queryParams: { venueId: venue.id } });
    } catch (error) {
      const problem = ApiProblem.from(error);
      // Field problems go next to their fields and into the list; anything else is one sentence.
      if (Object.keys(problem.fieldErrors).length > 0) this.errors.set(problem.fieldErrors);
      else this.problem.set(problem);
    } finally {
      this.busy.set(false);
    }
  }

  /** Only what is plainly missing; ranges and the rest are the server's to judge. */
  private missing(): FieldMessages {
    const errors: Record<string, string[]> = {};
    if (!this.name().trim()) errors['name'] = ['Enter the venue’s name.'];
    if (this.sections().length === 0) errors['sections'] = ['Add at least one section.'];
    this.sections().forEach((s, i) => {
      if (!s.id.trim()) errors[`sections[${i}].id`] = ['Enter a short id, for example A or FLOOR.'];
      if (s.kind === 'reserved' && (s.rows === null || s.seatsPerRow === null)) errors[`sections[${i}].rows`] = ['Enter the rows and the seats per row.'];
      if (s.kind === 'ga' && s.capacity === null) errors[`sections[${i}].capacity`] = ['Enter how many people it holds.'];
    });
    return errors;
  }
}
