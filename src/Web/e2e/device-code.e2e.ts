// The device-bound rotating code end to end: a fan buys in the browser, My tickets shows a QR that the fan's own
// (non-extractable) device key signs every 15 s, and the gate scanner in another browser admits it once.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, closeBrowser, createEvent, newPage, scanCode, screenshot, signIn } from './support/harness.ts';

after(() => closeBrowser());

const run = crypto.randomUUID().slice(0, 8);

test('buy, show the device-bound code in my tickets, the scanner admits it once and then says already checked in', async () => {
  const { eventId } = await createEvent(`Device code ${run}`);
  const fan = await newPage();
  await signIn(fan.page, `fan-${run}`, 'fan');
  await fan.page.goto(`/events/${eventId}`);
  await fan.page.locator('svg[data-section="R"] [data-seat="A-2"]').click();
  await fan.page.getByRole('button', { name: 'Hold 1 selected seat(s)' }).click();
  await fan.page.getByRole('button', { name: /^Pay / }).click();
  await fan.page.getByRole('link', { name: 'Go to my tickets' }).click();
  const card = fan.page.locator('article.ticket').first();
  await card.getByRole('button', { name: 'Show code' }).click();
  const qr = card.locator('tf-qr-code [data-code]');
  await qr.waitFor();
  const code = (await qr.getAttribute('data-code'))!;
  assert.equal(code.length, 371, 'a device-bound code: certificate, step and device signature in Base45');
  assert.ok(await card.locator('tf-qr-code svg').isVisible(), 'the QR is drawn');
  await assertAccessible(fan.page, 'my tickets with the code shown');
  await screenshot(fan.page, 'ticket-code');

  // The code changes with the 15 s step, and the newer one is signed by the same device.
  const next = await fan.page.waitForFunction(
    (first) => {
      const now = document.querySelector('tf-qr-code [data-code]')?.getAttribute('data-code');
      return now && now !== first ? now : null;
    },
    code,
    { timeout: 20_000, polling: 250 },
  );
  const rotated = (await next.jsonValue()) as string;
  assert.notEqual(rotated, code);
  assert.equal(rotated.slice(0, 267), code.slice(0, 267), 'the certificate part (179 bytes) stays, the step and signature change');

  const gate = await newPage();
  await signIn(gate.page, `staff-${run}`, 'venue');
  await gate.page.getByRole('heading', { name: 'Gate scanner' }).waitFor();
  await gate.page.getByLabel('Event', { exact: true }).selectOption(eventId);
  await gate.page.getByLabel('Gate name').fill('East');
  assert.equal(await (await scanCode(gate.page, rotated, 1)).getAttribute('data-result'), 'Admitted');
  assert.equal(await (await scanCode(gate.page, rotated, 2)).getAttribute('data-result'), 'AlreadyCheckedIn');
  assert.match(await gate.page.getByTestId('first-scan').innerText(), /gate East/);

  // A code whose device signature was tampered with is refused.
  const last = rotated.at(-3) === 'A' ? 'B' : 'A';
  const forged = `${rotated.slice(0, -3)}${last}${rotated.slice(-2)}`;
  assert.notEqual(await (await scanCode(gate.page, forged, 3)).getAttribute('data-result'), 'Admitted');
  fan.assertClean();
  gate.assertClean();
});
