import { Injectable, inject } from '@angular/core';
import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { ApiProblem } from './api-problem';
import { Session } from '../auth/session';

type Outcome<T> = { data?: T; error?: unknown; response: Response };

/**
 * The typed API client (openapi-fetch over the generated `paths`), with the signed-in user's bearer token. Pages call
 * `api.client.GET(...)` and pass the outcome through `ok()`, which turns a problem into an {@link ApiProblem}.
 */
@Injectable({ providedIn: 'root' })
export class Api {
  private readonly session = inject(Session);
  readonly client = createClient<paths>({ baseUrl: location.origin });

  constructor() {
    this.client.use({
      onRequest: ({ request }) => {
        const token = this.session.token();
        if (token) request.headers.set('Authorization', `Bearer ${token}`);
        return request;
      },
      onResponse: ({ response }) => {
        if (response.status === 401 && this.session.token()) this.session.expire();
        return response;
      },
    });
  }

  /** The body of a successful answer; a problem (or a failed connection) is thrown as an ApiProblem. */
  async ok<T>(call: Promise<Outcome<T>>): Promise<T> {
    let outcome: Outcome<T>;
    try {
      outcome = await call;
    } catch {
      throw new ApiProblem(0, null);
    }
    if (outcome.error !== undefined || !outcome.response.ok) {
      throw new ApiProblem(outcome.response.status, (outcome.error as object | undefined) ?? null, outcome.response.headers.get('Retry-After'));
    }
    return outcome.data as T;
  }
}
