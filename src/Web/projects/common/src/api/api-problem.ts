import type { HttpValidationProblemDetails } from './api-types';

const TypeBase = 'https://ticketflash.dev/problems/';

/** What a fan or organizer reads for each stable problem type: words, never the raw JSON. */
const Words: Record<string, string> = {
  validation: 'Some fields need attention.',
  'malformed-request': 'The request could not be read. Check the values and try again.',
  'unsupported-media-type': 'The request was sent in a format the server does not accept.',
  'payload-too-large': 'That is too much data for one request.',
  unauthorized: 'Please sign in to continue.',
  forbidden: 'Your account is not allowed to do that.',
  'not-found': 'We could not find that. It may have been removed.',
  'sold-out': 'Sold out: there are no places left in this section.',
  'seats-unavailable': 'Those places are no longer available.',
  'limit-exceeded': 'That would take you over the per-customer limit for this event.',
  'hold-expired': 'Your hold expired and the seats were released. Please start again.',
  'invalid-state': 'That is not possible right now.',
  'not-on-sale': 'This event is not on sale right now.',
  'idempotency-key-reused': 'This request was already used for a different purchase. Please start again.',
  'payment-declined': 'The payment was declined. No money was taken.',
  'resale-price-above-cap': 'That price is above the resale cap for this event.',
  'listing-unavailable': 'This listing is no longer for sale.',
  unavailable: 'The service is busy. Please try again in a moment.',
  'method-not-allowed': 'That action is not supported.',
  'too-many-requests': 'Too many requests.',
  network: 'No connection to TicketFlash. Check your network and try again.',
};

/** A refusal from the API (an RFC 9457 problem) or a network failure, with the words to show for it. */
export class ApiProblem extends Error {
  readonly slug: string;
  readonly status: number;
  readonly detail: string | null;
  readonly fieldErrors: Record<string, string[]>;
  /** Seconds to wait, from a 429's or 503's Retry-After header. */
  readonly retryAfterSeconds: number | null;

  constructor(status: number, body: Partial<HttpValidationProblemDetails> | null, retryAfter: string | null = null) {
    const slug = body?.type?.startsWith(TypeBase) ? body.type.slice(TypeBase.length) : status === 0 ? 'network' : 'internal';
    super(Words[slug] ?? 'Something went wrong. Please try again.');
    this.slug = slug;
    this.status = status;
    this.detail = typeof body?.detail === 'string' ? body.detail : null;
    this.fieldErrors = (body?.errors as Record<string, string[]> | undefined) ?? {};
    this.retryAfterSeconds = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) : null;
  }

  /** The sentence for the page: the words for the type, then the server's specific detail when it adds something. */
  get display(): string {
    if (this.slug === 'too-many-requests') {
      return this.retryAfterSeconds !== null ? `Too many requests: try again in ${this.retryAfterSeconds} s.` : 'Too many requests: try again in a moment.';
    }
    const fields = Object.values(this.fieldErrors).flat();
    if (fields.length > 0) return `${this.message} ${fields.join('; ')}.`;
    return this.detail && this.detail !== this.message ? `${this.message} (${this.detail})` : this.message;
  }

  static from(error: unknown): ApiProblem {
    if (error instanceof ApiProblem) return error;
    return new ApiProblem(0, null);
  }
}
