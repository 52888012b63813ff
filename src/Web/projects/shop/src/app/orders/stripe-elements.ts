import type { Stripe, StripeElements } from '@stripe/stripe-js';

/**
 * Stripe's Payment Element for one payment intent: card details go from the browser to Stripe (never to us), and
 * Stripe.js confirms the intent. The server then learns the outcome from Stripe (webhook, or our next "pay").
 */
export class StripeElementsPayment {
  private constructor(
    private readonly stripe: Stripe,
    private readonly elements: StripeElements,
  ) {}

  /** Loads Stripe.js (from js.stripe.com, as Stripe requires) and mounts the Payment Element into `host`. */
  static async mount(publishableKey: string, clientSecret: string, host: HTMLElement): Promise<StripeElementsPayment> {
    // Imported only now: the package fetches js.stripe.com when it is loaded, which no page should do with the
    // simulated gateway. (Its "pure" entry has no import-map entry in the federation build, so the main one it is.)
    const { loadStripe } = await import('@stripe/stripe-js');
    const stripe = await loadStripe(publishableKey);
    if (!stripe) throw new Error('Stripe.js could not be loaded.');
    const elements = stripe.elements({ clientSecret });
    elements.create('payment').mount(host);
    return new StripeElementsPayment(stripe, elements);
  }

  /** Confirms with Stripe; stays on the page unless the payment method needs a redirect (3-D Secure, bank pages). */
  async confirm(returnUrl: string): Promise<string | null> {
    const { error } = await this.stripe.confirmPayment({ elements: this.elements, confirmParams: { return_url: returnUrl }, redirect: 'if_required' });
    return error ? (error.message ?? 'The payment did not go through.') : null;
  }
}
