// The organizer console in a real browser: create a venue and an event through the forms, open the sale, watch a
// purchase arrive live, pause, cancel (confirmed in the page) and follow the refunds; and bad input answered in words.
// Each organizer page is scanned with axe and screenshotted at desktop and phone size.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { api, assertAccessible, closeBrowser, devToken, newPage, screenshot, signIn } from './support/harness.ts';

after(closeBrowser);

const unique = () => crypto.randomUUID().slice(0, 8);

/** The text of one live-sales cell (sold, held, available, capacity) of a section. */
function cell(page: Page, section: string, what: string) {
  return page.locator(`[data-testid="live-sales"] tr[data-section="${section}"] [data-testid="${what}"]`);
}

async function waitForText(page: Page, selector: string, text: string, timeout = 5000): Promise<void> {
  await page.waitForFunction(
    ([s, t]) => document.querySelector(s)?.textContent?.trim() === t,
    [selector, text] as const,
    { timeout },
  );
}

async function checkPage(page: Page, what: string, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await assertAccessible(page, what);
  await screenshot(page, name);
}

describe('organizer console', () => {
  test('create a venue and an event, open the sale, see a purchase live, pause, cancel and follow the refunds', async () => {
    const organizer = `org-${unique()}`;
    const org = await newPage();
    const { page } = org;
    await signIn(page, organizer, 'organizer');
    await page.getByRole('heading', { name: 'Organizer console' }).waitFor();
    await page.getByTestId('organizer-events').waitFor();
    await checkPage(page, 'organizer console', 'organizer-console');

    // The venue: one reserved section of 2 rows × 5 seats, one standing section of 50.
    await page.getByRole('link', { name: 'Create venue' }).click();
    await page.getByRole('heading', { name: 'Create a venue' }).waitFor();
    await checkPage(page, 'create venue', 'organizer-venue');
    const venueName = `Hall ${unique()}`;
    await page.getByLabel('Venue name').fill(venueName);
    await page.locator('#f-sections-0-kind').selectOption('reserved');
    await page.locator('#f-sections-0-id').fill('R');
    await page.locator('#f-sections-0-name').fill('Stalls');
    await page.locator('#f-sections-0-rows').fill('2');
    await page.locator('#f-sections-0-seatsPerRow').fill('5');
    await page.getByRole('button', { name: 'Add section' }).click();
    await page.locator('#f-sections-1-kind').selectOption('ga');
    await page.locator('#f-sections-1-id').fill('GA');
    await page.locator('#f-sections-1-name').fill('Floor');
    await page.locator('#f-sections-1-capacity').fill('50');
    await page.getByRole('button', { name: 'Create venue' }).click();

    // The event form opens with that venue chosen and its sections offered to the tier.
    await page.waitForURL(/\/organizer\/events\/new\?venueId=/);
    const venueId = new URL(page.url()).searchParams.get('venueId')!;
    await page.getByLabel('Stalls (R)').waitFor();
    assert.equal(await page.locator('#f-venueId').inputValue(), venueId);
    assert.match(await page.locator('#f-venueId option:checked').innerText(), new RegExp(venueName));
    await checkPage(page, 'create event', 'organizer-event-form');
    const eventName = `Concert ${unique()}`;
    await page.getByLabel('Event name').fill(eventName);
    await page.locator('#f-tiers-0-price').fill('30');
    await page.getByLabel('Stalls (R)').check();
    await page.getByLabel('Floor (GA)').check();
    await page.getByRole('button', { name: 'Create event' }).click();

    await page.waitForURL(/\/organizer\/events\/[0-9a-f-]{36}$/);
    const eventId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: eventName }).waitFor();
    assert.equal(await page.getByTestId('event-status').getAttribute('data-status'), 'Draft');
    await waitForText(page, '[data-testid="live-sales"] tr[data-section="GA"] [data-testid="available"]', '50');
    assert.equal(await cell(page, 'R', 'available').innerText(), '10');

    await page.getByRole('button', { name: /^Open sale/ }).click();
    await page.locator('[data-testid="event-status"][data-status="OnSale"]').waitFor();
    await checkPage(page, 'event detail (on sale)', 'organizer-event');

    // A fan buys 2 standing places through the API; the organizer's table shows them sold without a reload.
    const fan = await devToken(`fan-${unique()}`, ['fan']);
    const order = await api<{ orderId: string }>('POST', '/api/orders', fan, { eventId, sectionId: 'GA', quantity: 2 }, { 'Idempotency-Key': crypto.randomUUID() });
    await api('POST', `/api/orders/${order.orderId}/pay`, fan);
    const paid = Date.now();
    await waitForText(page, '[data-testid="live-sales"] tr[data-section="GA"] [data-testid="sold"]', '2', 5000);
    assert.ok(Date.now() - paid <= 5000);
    assert.equal(await cell(page, 'GA', 'available').innerText(), '48');
    assert.equal(await cell(page, 'GA', 'held').innerText(), '0');

    await page.getByRole('button', { name: /^Pause/ }).click();
    await page.locator('[data-testid="event-status"][data-status="Paused"]').waitFor();

    // Cancelling asks first, in the page; keeping the event changes nothing.
    await page.getByRole('button', { name: /^Cancel event/ }).click();
    await page.getByTestId('confirm-cancel').waitFor();
    await assertAccessible(page, 'cancel confirmation');
    await page.getByRole('button', { name: 'Keep the event' }).click();
    await page.getByTestId('confirm-cancel').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('event-status').getAttribute('data-status'), 'Paused');
    await page.getByRole('button', { name: /^Cancel event/ }).click();
    await page.getByRole('button', { name: 'Yes, cancel the event' }).click();
    await page.locator('[data-testid="event-status"][data-status="Cancelled"]').waitFor();
    await page.getByTestId('refund-progress').waitFor();
    await page.locator('[data-testid="refund-progress"][data-status="Completed"]').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('tickets-refunded').innerText(), '2');
    await checkPage(page, 'event detail (cancelled)', 'organizer-event-cancelled');

    // The console lists it, cancelled, with no sale actions left.
    await page.getByRole('link', { name: '← Organizer console' }).click();
    const card = page.locator(`li[data-event-id="${eventId}"]`);
    await card.waitFor();
    assert.equal(await card.getByTestId('status').innerText(), 'Cancelled');
    assert.equal(await card.getByRole('button').count(), 0);
    org.assertClean();

    // The same pages at 360 px: accessible, no sideways scrolling, no console errors.
    const phone = await newPage({ phone: true });
    await signIn(phone.page, organizer, 'organizer');
    for (const [path, name] of [
      ['/organizer', 'organizer-console'], ['/organizer/venues/new', 'organizer-venue'],
      [`/organizer/events/new?venueId=${venueId}`, 'organizer-event-form'], [`/organizer/events/${eventId}`, 'organizer-event-cancelled'],
    ] as const) {
      await phone.page.goto(path);
      await phone.page.locator('main h1').waitFor();
      await checkPage(phone.page, `${name} (phone)`, name);
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `${path} scrolls sideways by ${overflow}px at 360 px`);
    }
    phone.assertClean();
  });

  test('bad input in the forms is answered in words, next to the fields, without console errors', async () => {
    const organizer = `org-${unique()}`;
    const org = await newPage();
    const { page } = org;
    await signIn(page, organizer, 'organizer');

    // A venue without a name: the page says so before asking the server.
    await page.goto('/organizer/venues/new');
    await page.locator('#f-sections-0-id').fill('A');
    await page.locator('#f-sections-0-rows').fill('0');
    await page.locator('#f-sections-0-seatsPerRow').fill('5');
    await page.getByRole('button', { name: 'Create venue' }).click();
    const venueAlert = page.getByRole('alert').filter({ hasText: 'venue was not created' });
    await venueAlert.waitFor();
    assert.match(await venueAlert.innerText(), /Name: Enter the venue’s name/);
    assert.equal(await page.getByLabel('Venue name').getAttribute('aria-invalid'), 'true');

    // With a name, the server refuses the 0 rows, and says so in words next to the rows.
    await page.getByLabel('Venue name').fill(`Bad hall ${unique()}`);
    await page.getByRole('button', { name: 'Create venue' }).click();
    await page.locator('#f-sections-0-rows-error').waitFor();
    assert.match(await venueAlert.innerText(), /Section 1 rows: 1–500 rows of 1–500 seats/);
    assert.doesNotMatch(await venueAlert.innerText(), /sections\[0\]|\{|"/);
    assert.equal(await page.locator('#f-sections-0-rows').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Venue name').getAttribute('aria-invalid'), null);
    assert.match(page.url(), /\/organizer\/venues\/new$/);
    await checkPage(page, 'create venue (errors)', 'organizer-venue-errors');

    // An event that ends before it starts: the server refuses, the page explains.
    const token = await devToken(organizer, ['organizer'], 'demo-org');
    const venue = await api<{ id: string }>('POST', '/api/venues', token, { name: `Good hall ${unique()}`, sections: [{ id: 'GA', name: 'Floor', capacity: 20 }] });
    await page.goto(`/organizer/events/new?venueId=${venue.id}`);
    await page.getByLabel('Floor (GA)').waitFor();
    await page.getByLabel('Event name').fill(`Backwards ${unique()}`);
    await page.getByLabel('Starts').fill('2031-05-02T20:00');
    await page.getByLabel('Ends').fill('2031-05-01T20:00');
    await page.locator('#f-tiers-0-price').fill('10');
    await page.getByRole('button', { name: 'Create event' }).click();
    const eventAlert = page.getByRole('alert').filter({ hasText: 'event was not created' });
    await eventAlert.waitFor();
    assert.match(await eventAlert.innerText(), /End: End is required and after start/);
    assert.equal(await page.locator('#f-endsAt').getAttribute('aria-invalid'), 'true');
    await page.locator('#f-endsAt-error').waitFor();
    assert.match(page.url(), /\/organizer\/events\/new/);
    await checkPage(page, 'create event (errors)', 'organizer-event-errors');

    // A pasted venue id that is not one, then one that no venue has.
    await page.locator('#f-venueId').selectOption('__other');
    await page.getByLabel('Venue id').fill('not-a-venue');
    await page.getByRole('button', { name: 'Create event' }).click();
    await eventAlert.filter({ hasText: /Venue: A venue id looks like/ }).waitFor();
    await page.getByLabel('Venue id').fill(crypto.randomUUID());
    await page.getByRole('alert').filter({ hasText: 'We could not find that' }).waitFor();
    org.assertClean();
  });
});
