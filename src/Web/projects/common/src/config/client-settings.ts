import { Injectable, inject } from '@angular/core';
import { Api } from '../api/api';
import type { ClientConfig } from '../api/api-types';

/**
 * The server's public runtime settings (`GET /api/config`): which OIDC issuer to sign in at, whether the development
 * sign-in exists, the payment gateway. Fetched once per page load; one build runs against any issuer.
 */
@Injectable({ providedIn: 'root' })
export class ClientSettings {
  private readonly api = inject(Api);
  private loading: Promise<ClientConfig> | null = null;

  load(): Promise<ClientConfig> {
    this.loading ??= this.api.ok(this.api.client.GET('/api/config')).catch((error: unknown) => {
      this.loading = null; // a failed fetch is tried again next time
      throw error;
    });
    return this.loading;
  }
}
