import { Injectable, inject } from '@angular/core';
import type { ClientConfig } from '../api/api-types';
import { ClientSettings } from '../config/client-settings';

/** Which gateway pays orders, from GET /api/config: Stripe (with its publishable key) or the simulated one. */
export type PaymentMode = { gateway: 'Stripe'; publishableKey: string } | { gateway: 'Simulated' };

/** The app's payment settings, read once per page load (the server's config decides; one build runs against either gateway). */
@Injectable({ providedIn: 'root' })
export class PaymentSettings {
  private readonly settings = inject(ClientSettings);
  private mode?: Promise<PaymentMode>;

  get(): Promise<PaymentMode> {
    this.mode ??= this.settings.load().then(
      (config: ClientConfig): PaymentMode =>
        config.payments.gateway === 'Stripe' && config.payments.stripePublishableKey
          ? { gateway: 'Stripe', publishableKey: config.payments.stripePublishableKey }
          : { gateway: 'Simulated' },
      () => ({ gateway: 'Simulated' }) as PaymentMode,
    );
    return this.mode;
  }
}
