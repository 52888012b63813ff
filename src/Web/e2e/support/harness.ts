// Browser-test harness: Debian's Chromium driven by playwright-core (no browser download), against the stack that
// deploy/web-test.sh started (TF_WEB_URL). Every page a test visits is checked for console errors and uncaught
// exceptions, scanned with axe-core, and screenshotted at desktop and phone size into TF_SCREENSHOTS.
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const baseUrl = process.env['TF_WEB_URL'] ?? 'http://127.0.0.1:5080';
const screenshots = process.env['TF_SCREENSHOTS'] ?? join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');
const executablePath = process.env['TF_CHROMIUM'] ?? '/usr/bin/chromium';

let browser: Browser | null = null;

export async function launch(): Promise<Browser> {
  browser ??= await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  return browser;
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = null;
}

/** A page whose console errors and uncaught exceptions are collected; `assertClean` fails the test on any. */
export interface WatchedPage {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly errors: string[];
  assertClean(): void;
}

export async function newPage(options: { phone?: boolean } = {}): Promise<WatchedPage> {
  const context = await (await launch()).newContext({
    baseURL: baseUrl,
    viewport: options.phone ? { width: 360, height: 740 } : { width: 1280, height: 900 },
    isMobile: options.phone ?? false,
    hasTouch: options.phone ?? false,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !ignorable(m.text())) errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return {
    page,
    context,
    errors,
    assertClean: () => assert.deepEqual(errors, [], `the page logged errors:\n${errors.join('\n')}`),
  };
}

/**
 * A refused request shows up in Chromium's console as "Failed to load resource: … 4xx": that is the browser reporting
 * the network answer the page then handles (tests assert the page shows it in words). Anything else is an error.
 */
function ignorable(text: string): boolean {
  return /Failed to load resource: the server responded with a status of 4\d\d/.test(text);
}

/** Signs in through the development sign-in page, as a user would. */
export async function signIn(page: Page, user: string, role: 'fan' | 'organizer' | 'venue' | 'admin', tenant = 'demo-org'): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('User name').fill(user);
  await page.locator(`#role-${role}`).check();
  if (role !== 'fan') await page.getByLabel('Organization (tenant)').fill(tenant);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').filter({ hasText: user }).waitFor();
}

/** axe-core on the page as it is now: no serious or critical violation. */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`),
    [],
    `axe found serious or critical violations on ${what}`,
  );
}

/** A full-page screenshot at the current size, named `<name>-desktop.png` or `<name>-phone.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  const phone = (page.viewportSize()?.width ?? 1280) < 500;
  await page.screenshot({ path: join(screenshots, `${name}-${phone ? 'phone' : 'desktop'}.png`), fullPage: true });
}

/** Calls the API directly (setup only, never what a test asserts about the UI). */
export async function api<T>(method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function devToken(sub: string, roles: string[], tenant?: string): Promise<string> {
  return (await api<{ accessToken: string }>('POST', '/api/dev/token', null, { sub, roles, tenant })).accessToken;
}

/** A fresh on-sale event of the demo-org tenant with a reserved section (R: 4 rows × 10) and a standing one (GA: 200). */
export async function createEvent(name: string, options: { open?: boolean; startsInHours?: number } = {}): Promise<{ eventId: string; organizerToken: string }> {
  const organizerToken = await devToken(`org-${crypto.randomUUID().slice(0, 8)}`, ['organizer'], 'demo-org');
  const venue = await api<{ id: string }>('POST', '/api/venues', organizerToken, {
    name: `${name} venue`,
    sections: [
      { id: 'R', name: 'Stalls', rows: 4, seatsPerRow: 10 },
      { id: 'GA', name: 'Standing', capacity: 200 },
    ],
  });
  const start = Date.now() + (options.startsInHours ?? 1) * 3_600_000;
  const event = await api<{ id: string }>('POST', '/api/events', organizerToken, {
    name,
    venueId: venue.id,
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + 3 * 3_600_000).toISOString(),
    tiers: [
      { id: 'std', name: 'Standard', price: 40, currency: 'EUR', sections: ['R'] },
      { id: 'ga', name: 'Standing', price: 25, currency: 'EUR', sections: ['GA'] },
    ],
    perCustomerLimit: 6,
    holdMinutes: 5,
    resaleCapPercent: 110,
  });
  if (options.open ?? true) await api('POST', `/api/events/${event.id}/open-sale`, organizerToken);
  return { eventId: event.id, organizerToken };
}

/** A fan buys `quantity` standing (GA) places through the API and pays; the ids of the tickets the order issued. */
export async function buyStanding(token: string, eventId: string, quantity = 1): Promise<string[]> {
  const order = await api<{ orderId: string }>('POST', '/api/orders', token, { eventId, sectionId: 'GA', quantity }, { 'Idempotency-Key': crypto.randomUUID() });
  const paid = await api<{ tickets: { ticketId: string }[] }>('POST', `/api/orders/${order.orderId}/pay`, token);
  assert.equal(paid.tickets.length, quantity, 'the paid order issued its tickets');
  return paid.tickets.map((t) => t.ticketId);
}

/** The ticket's printed (static) code, as its holder fetches it. */
export async function staticCode(token: string, ticketId: string): Promise<string> {
  return (await api<{ code: string }>('GET', `/api/tickets/${ticketId}/code?mode=static`, token)).code;
}

/** Types a code into the gate scanner and checks it; the answer of that scan (the nth on this page). */
export async function scanCode(page: Page, code: string, nth: number): Promise<Locator> {
  await page.getByLabel('Code text').fill(code);
  await page.getByRole('button', { name: 'Check code' }).click();
  const result = page.locator(`[data-testid="scan-result"][data-scan="${nth}"]`);
  await result.waitFor();
  return result;
}
