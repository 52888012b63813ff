// The gate scanner online: a fan's printed code is admitted once, a second scan names the first gate, a garbage code
// is refused in words, and the gate counts follow. Run: TF_WEB_URL=… node --test e2e/gate.e2e.ts
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertAccessible, baseUrl, buyStanding, closeBrowser, createEvent, devToken, newPage, scanCode, screenshot, signIn, staticCode } from './support/harness.ts';

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
  const ids = await buyStanding(fan, eventId, count);
  return Promise.all(ids.map(async (ticketId) => ({ fan, ticketId, code: await staticCode(fan, ticketId) })));
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


test('the gate admits a ticket once, names the first gate on a second scan, refuses garbage and counts per gate', async () => {
  const { eventId } = await createEvent(`Gate test ${run}`);
  const [ticket] = await buyTickets(eventId, 1);
  const { code } = ticket;
  const desktop = await newPage();
  const { page } = desktop;
  await signIn(page, `staff-${run}`, 'venue');
  await openScanner(page, eventId, 'North');

  const first = await scanCode(page, code, 1);
  assert.equal(await first.getAttribute('data-result'), 'Admitted');
  assert.match(await first.innerText(), /Admitted/);

  const second = await scanCode(page, code, 2);
  assert.equal(await second.getAttribute('data-result'), 'AlreadyCheckedIn');
  assert.match(await second.innerText(), /Already checked in/);
  assert.match(await second.getByTestId('first-scan').innerText(), /gate North/);

  const garbage = await scanCode(page, 'NOT A TICKET CODE', 3);
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
  const unread = page.getByTestId('camera-message').filter({ hasText: 'No QR code could be read' });
  await photo.or(unread).waitFor({ timeout: 60_000 });
  assert.equal(await unread.count(), 0, `the photo was not read: ${await page.getByTestId('camera-message').innerText().catch(() => '')}`);
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
  const again = await scanCode(phone.page, code, 1);
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
