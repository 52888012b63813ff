/** Money as the fan's browser formats it (the amount is the server's decimal, the currency its ISO code). */
export function money(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '';
}

/** A key that makes a retried purchase reach the same order (the server derives the order id from it). */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
