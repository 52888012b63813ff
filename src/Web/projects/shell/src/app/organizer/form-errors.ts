import { ChangeDetectionStrategy, Component, Directive, computed, input } from '@angular/core';

/** Field messages keyed like the server's ProblemDetails `errors` ("name", "sections[0].rows", "tiers[1].price"). */
export type FieldMessages = Readonly<Record<string, readonly string[]>>;

/** Request field names as an organizer reads them (the server's messages name the JSON fields). */
const FieldWords: Record<string, string> = {
  name: 'name', id: 'id', rows: 'rows', seatsPerRow: 'seats per row', capacity: 'capacity', sections: 'sections',
  venueId: 'venue', startsAt: 'start', endsAt: 'end', tiers: 'price tiers', price: 'price', currency: 'currency',
  perCustomerLimit: 'per-customer limit', holdMinutes: 'hold minutes', resaleCapPercent: 'resale cap',
  transferFreezeHours: 'transfer freeze hours',
};
const ItemWords: Record<string, string> = { sections: 'Section', tiers: 'Price tier' };

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "endsAt is required and after startsAt" → "End is required and after start". */
export function humanize(message: string): string {
  const words = message.replace(/\b[a-z]+[A-Z][A-Za-z]*\b/g, (w) => FieldWords[w] ?? w.replace(/([A-Z])/g, ' $1').toLowerCase());
  return capitalize(words);
}

/** "sections[0].rows" → "Section 1 rows"; "endsAt" → "End". */
export function fieldLabel(key: string): string {
  const item = /^(\w+)\[(\d+)\](?:\.(\w+))?$/.exec(key);
  if (item) {
    const [, list, index, field] = item;
    const base = `${ItemWords[list] ?? capitalize(FieldWords[list] ?? list)} ${Number(index) + 1}`;
    return field ? `${base} ${FieldWords[field] ?? field}` : base;
  }
  return capitalize(FieldWords[key] ?? key);
}

/** The element id of the input for a key: "sections[0].rows" → "f-sections-0-rows" (templates use the same scheme). */
export function fieldId(key: string): string {
  return 'f-' + key.replace(/\[(\d+)\]\.?/g, '-$1-').replace(/-$/, '');
}

/** One field's messages in words, or null (for the `field-error` line under an input). */
export function messageFor(errors: FieldMessages, key: string): string | null {
  const list = errors[key];
  return list?.length ? list.map(humanize).join(' ') : null;
}

/** The form's problems in one announced list: which field, and what the server (or the page) said about it. */
@Component({
  selector: 'tf-form-errors',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `@if (entries().length) {
    <div class="problem" role="alert" data-testid="form-errors">
      <p><strong>{{ heading() }}</strong></p>
      <ul>
        @for (e of entries(); track e.key) {
          <li [attr.data-field]="e.key">{{ e.label }}: {{ e.text }}</li>
        }
      </ul>
    </div>
  }`,
  styles: `.problem { border-left: 4px solid #b3261e; background: #fdecea; color: #5f1410; padding: .6rem .8rem; margin: .8rem 0; }
    .problem p { margin: 0 0 .3rem; } .problem ul { margin: 0; padding-left: 1.2rem; }`,
})
export class FormErrors {
  readonly errors = input<FieldMessages>({});
  readonly heading = input('Please correct the following:');
  protected readonly entries = computed(() =>
    Object.entries(this.errors())
      .filter(([, list]) => list.length > 0)
      .map(([key, list]) => ({ key, label: fieldLabel(key), text: list.map(humanize).join(' ') })),
  );
}

/**
 * On an input: its id (from the key, so labels and messages can point at it), and aria-invalid / aria-describedby
 * while the key has a message, so a screen reader reads the problem with the field.
 */
@Directive({
  selector: '[tfField]',
  host: { '[id]': 'id()', '[attr.aria-invalid]': 'text() ? "true" : null', '[attr.aria-describedby]': 'describedBy()' },
})
export class FieldState {
  readonly tfField = input.required<string>();
  /** The key whose message describes this field, when it differs (seats per row shares "sections[i].rows"). */
  readonly errorKey = input<string | null>(null);
  readonly fieldErrors = input<FieldMessages>({});
  /** The id of a hint that always describes the field (the error, when there is one, is added to it). */
  readonly hint = input<string | null>(null);
  protected readonly id = computed(() => fieldId(this.tfField()));
  protected readonly text = computed(() => messageFor(this.fieldErrors(), this.errorKey() ?? this.tfField()));
  protected readonly describedBy = computed(() => {
    const ids = [this.hint(), this.text() ? fieldId(this.errorKey() ?? this.tfField()) + '-error' : null].filter((id) => id !== null);
    return ids.length > 0 ? ids.join(' ') : null;
  });
}

/** The message line under a field; its id is what {@link FieldState} points aria-describedby at. */
@Component({
  selector: 'tf-field-error',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `@if (text(); as t) {
    <p class="field-error" [id]="id()">{{ t }}</p>
  }`,
})
export class FieldError {
  readonly key = input.required<string>();
  readonly errors = input<FieldMessages>({});
  protected readonly id = computed(() => fieldId(this.key()) + '-error');
  protected readonly text = computed(() => messageFor(this.errors(), this.key()));
}
