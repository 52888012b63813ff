// The gate scanner offline: with the event's bundle downloaded, codes are judged in the browser, a second scan is
// refused from the device's own store, and the queued scans sync once the network is back, counted once by the server.
// Run: TF_WEB_URL=… node --test e2e/offline.e2e.ts
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertAccessible, buyStanding, closeBrowser, createEvent, devToken, newPage, scanCode, screenshot, signIn, staticCode } from './support/harness.ts';

after(() => closeBrowser());

const run = crypto.randomUUID().slice(0, 8);

/** A fan buys `count` standing places through the API; the printed (static) code of each ticket. */
async function buyCodes(eventId: string, count: number): Promise<string[]> {
  const fan = await devToken(`fan-${run}`, ['fan']);
  return Promise.all((await buyStanding(fan, eventId, count)).map((ticketId) => staticCode(fan, ticketId)));
}

test('offline: admits from the downloaded bundle, refuses a repeat locally, syncs once back online', async () => {
  const { eventId, organizerToken } = await createEvent(`Offline gate ${run}`);
  const [a, b] = await buyCodes(eventId, 2);
  const w = await newPage();
  const { page, context } = w;
  await signIn(page, `staff-${run}`, 'venue');
  await page.getByRole('heading', { name: 'Gate scanner' }).waitFor();
  await page.getByLabel('Event', { exact: true }).selectOption(eventId);
  await page.getByLabel('Gate name').fill('East');

  await page.getByRole('button', { name: 'Download for offline' }).click();
  await page.getByTestId('bundle-status').filter({ hasText: 'Offline data ready' }).waitFor();

  await context.setOffline(true);
  const status = page.getByTestId('offline-status');
  await status.and(page.locator('[data-offline="true"]')).waitFor();

  for (const [nth, code] of [a, b].entries()) {
    const result = await scanCode(page, code, nth + 1);
    assert.equal(await result.getAttribute('data-result'), 'Admitted');
    assert.equal(await result.getAttribute('data-offline'), 'true');
    assert.match((await result.getAttribute('class')) ?? '', /\bgood\b/);
  }
  const repeat = await scanCode(page, a, 3);
  assert.equal(await repeat.getAttribute('data-result'), 'AlreadyCheckedIn');
  assert.match(await repeat.getByTestId('first-scan').innerText(), /gate East/);
  assert.match(await status.innerText(), /Offline: 2 scans waiting to sync/);
  await screenshot(page, 'gate-offline');

  await context.setOffline(false);
  await page.getByRole('button', { name: 'Sync now' }).click();
  await status.and(page.locator('[data-offline="false"][data-waiting="0"]')).waitFor();
  await page.getByTestId('sync-results').locator('tr[data-result="Admitted"]').nth(1).waitFor();

  const stats = await api<{ admitted: number; gates: { gate: string; admitted: number }[] }>('GET', `/api/events/${eventId}/checkin/stats`, organizerToken);
  assert.equal(stats.admitted, 2);
  assert.equal(stats.gates.find((g) => g.gate === 'East')?.admitted, 2);
  const counts = page.getByTestId('gate-counts');
  await counts.getByTestId('admitted-total').filter({ hasText: /^2$/ }).waitFor();
  await counts.locator('[data-testid="gate-count"][data-gate="East"][data-admitted="2"]').waitFor();

  // A second sync has nothing left to send, and counts nothing twice.
  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.getByTestId('sync-note').filter({ hasText: 'Nothing was waiting to sync' }).waitFor();
  const again = await api<{ admitted: number }>('GET', `/api/events/${eventId}/checkin/stats`, organizerToken);
  assert.equal(again.admitted, 2);

  await assertAccessible(page, 'the gate scanner after an offline sync');
  await screenshot(page, 'gate-synced');
  w.assertClean();
  await context.close();
});
