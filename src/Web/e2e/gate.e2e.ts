// The gate scanner online: a fan's printed code is admitted once, a second scan names the first gate, a garbage code
// is refused in words, and the gate counts follow. Run: TF_WEB_URL=… node --test e2e/gate.e2e.ts
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { api, assertAccessible, baseUrl, closeBrowser, createEvent, devToken, newPage, screenshot, signIn } from './support/harness.ts';

after(() => closeBrowser());

const run = crypto.randomUUID().slice(0, 8);

interface Bought {
  readonly fan: string;
  readonly ticketId: string;
  readonly code: string;
}

/** A fan buys `count` standing places through the API; each ticket with its printed (static) code. */
async function buyTickets(eventId: string, count: number): Promise<Bought[]> {
  const fan = await devToken(`fan-${run}`, ['fan']);
  const order = await api<{ orderId: string }>('POST', '/api/orders', fan, { eventId, sectionId: 'GA', quantity: count }, { 'Idempotency-Key': crypto.randomUUID() });
  await api('POST', `/api/orders/${order.orderId}/pay`, fan);
  let tickets: { ticketId: string; eventId: string }[] = [];
  for (let i = 0; i < 50 && tickets.length < count; i++) {
    tickets = (await api<{ ticketId: string; eventId: string }[]>('GET', '/api/me/tickets', fan)).filter((t) => t.eventId === eventId);
    if (tickets.length < count) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(tickets.length, count, 'the paid order issued its tickets');
  return Promise.all(
    tickets.map(async (t) => ({ fan, ticketId: t.ticketId, code: (await api<{ code: string }>('GET', `/api/tickets/${t.ticketId}/code?mode=static`, fan)).code })),
  );
}

/** The ticket's QR as the server renders it (PNG), as a photo staff would upload. */
async function qrPhoto(ticket: Bought): Promise<Buffer> {
  const response = await fetch(new URL(`/api/tickets/${ticket.ticketId}/qr?format=png`, baseUrl), { headers: { Authorization: `Bearer ${ticket.fan}` } });
  assert.equal(response.status, 200, 'the QR image of the ticket');
  return Buffer.from(await response.arrayBuffer());
}

/** Opens the scanner for the event at the gate (the venue role lands on /gate after signing in). */
async function openScanner(page: Page, eventId: string, gate: string): Promise<void> {
  await page.getByRole('heading', { name: 'Gate scanner' }).waitFor();
  await page.getByLabel('Event', { exact: true }).selectOption(eventId);
  await page.getByLabel('Gate name').fill(gate);
}

/** Types a code and checks it; the answer of that scan (the nth on this page). */
async function scanManually(page: Page, code: string, nth: number): Promise<Locator> {
  await page.getByLabel('Code text').fill(code);
  await page.getByRole('button', { name: 'Check code' }).click();
  const result = page.locator(`[data-testid="scan-result"][data-scan="${nth}"]`);
  await result.waitFor();
  return result;
}

test('the gate admits a ticket once, names the first gate on a second scan, refuses garbage and counts per gate', async () => {
  const { eventId } = await createEvent(`Gate test ${run}`);
  const [ticket] = await buyTickets(eventId, 1);
  const { code } = ticket;
  const desktop = await newPage();
  const { page } = desktop;
  await signIn(page, `staff-${run}`, 'venue');
  await openScanner(page, eventId, 'North');

  const first = await scanManually(page, code, 1);
  assert.equal(await first.getAttribute('data-result'), 'Admitted');
  assert.match(await first.innerText(), /Admitted/);

  const second = await scanManually(page, code, 2);
  assert.equal(await second.getAttribute('data-result'), 'AlreadyCheckedIn');
  assert.match(await second.innerText(), /Already checked in/);
  assert.match(await second.getByTestId('first-scan').innerText(), /gate North/);

  const garbage = await scanManually(page, 'NOT A TICKET CODE', 3);
  assert.equal(await garbage.getAttribute('data-result'), 'Invalid');
  assert.match(await garbage.innerText(), /Invalid code/);
  assert.match(await garbage.innerText(), /not a valid TicketFlash ticket/i);
  assert.match((await garbage.getAttribute('class')) ?? '', /\bbad\b/);

  // The test browser has no camera: the page says so in words (or, given a camera, it runs and stops).
  await page.getByRole('button', { name: 'Start camera' }).click();
  await page.getByTestId('camera-message').or(page.getByRole('button', { name: 'Stop camera' })).waitFor();
  if (await page.getByRole('button', { name: 'Stop camera' }).isVisible()) await page.getByRole('button', { name: 'Stop camera' }).click();

  // A photo of the QR is read like a camera scan.
  await page.getByLabel('Scan a QR image').setInputFiles({ name: 'ticket.png', mimeType: 'image/png', buffer: await qrPhoto(ticket) });
  const photo = page.locator('[data-testid="scan-result"][data-scan="4"]');
  await photo.waitFor();
  assert.equal(await photo.getAttribute('data-result'), 'AlreadyCheckedIn');

  const counts = page.getByTestId('gate-counts');
  await counts.locator('[data-testid="gate-count"][data-gate="North"][data-admitted="1"]').waitFor();
  await counts.getByTestId('admitted-total').filter({ hasText: /^1$/ }).waitFor();

  await assertAccessible(page, 'the gate scanner');
  await screenshot(page, 'gate-scanner');

  // The same station on a 360 px phone: the second gate sees the ticket as used.
  const phone = await newPage({ phone: true });
  await signIn(phone.page, `staff-phone-${run}`, 'venue');
  await openScanner(phone.page, eventId, 'South');
  const again = await scanManually(phone.page, code, 1);
  assert.equal(await again.getAttribute('data-result'), 'AlreadyCheckedIn');
  assert.match(await again.innerText(), /gate North/);
  const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the scanner fits a 360 px phone (scroll width ${width})`);
  await assertAccessible(phone.page, 'the gate scanner on a phone');
  await screenshot(phone.page, 'gate-scanner');

  desktop.assertClean();
  phone.assertClean();
  await desktop.context.close();
  await phone.context.close();
});
