// Sign-in at a real OIDC issuer in a real browser: oidc-provider (tests/oidc-issuer) and an API node that trusts it,
// both started by deploy/web-test.sh (TF_WEB_OIDC_URL). The app offers no development sign-in there; the user signs in
// on the issuer's own login page (authorization code + PKCE), comes back signed in with the token's subject, buys a
// ticket with that token and sees it under My tickets; then signs out (at the issuer too).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, closeBrowser, createEvent, newPage, screenshot } from './support/harness.ts';

after(closeBrowser);

const oidcUrl = process.env['TF_WEB_OIDC_URL'];

describe('OIDC sign-in', () => {
  test('sign in at the issuer, buy with its token, see the ticket, sign out', async () => {
    assert.ok(oidcUrl, 'TF_WEB_OIDC_URL names the API node that trusts the OIDC issuer (deploy/web-test.sh sets it)');
    const { eventId } = await createEvent(`OIDC night ${crypto.randomUUID().slice(0, 6)}`); // same cluster, any node
    const watched = await newPage();
    const { page } = watched;

    await page.goto(new URL('/sign-in?returnUrl=%2Fme%2Ftickets', oidcUrl).href);
    const button = page.getByRole('button', { name: 'Sign in with your account' });
    await button.waitFor();
    assert.equal(await page.getByLabel('User name').count(), 0, 'no development sign-in next to an issuer');
    await assertAccessible(page, 'sign-in (OIDC)');
    await screenshot(page, 'oidc-sign-in');
    await button.click();

    // The issuer's page, not ours (its console errors are its own: it imports a web font it can't reach here).
    await page.waitForURL((url) => url.pathname.startsWith('/interaction/'));
    assert.notEqual(new URL(page.url()).origin, new URL(oidcUrl).origin);
    await page.locator('input[name="login"]').fill('fan-ada');
    await page.locator('input[name="password"]').fill('any');
    await page.getByRole('button', { name: 'Sign-in' }).click();

    await page.waitForURL((url) => url.origin === new URL(oidcUrl).origin && url.pathname === '/me/tickets');
    watched.errors.length = 0;
    await page.getByTestId('signed-in-as').filter({ hasText: 'fan-ada' }).waitFor();
    assert.equal(new URL(page.url()).search, '', 'the code and state are gone from the address bar');
    await page.getByRole('heading', { name: 'My tickets' }).waitFor();
    await page.getByText('No tickets yet.').waitFor();

    // The token the app holds is the issuer's (RS256, audience ticketflash), and the API acts on it.
    const token = await page.evaluate(() => sessionStorage.getItem('tf.session'));
    assert.ok(token);
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    assert.equal(header.alg, 'RS256');
    assert.equal(claims.aud, 'ticketflash');
    assert.equal(claims.sub, 'fan-ada');
    assert.deepEqual(claims.roles, ['fan']);
    const paid = await page.evaluate(async ([event, bearer]) => {
      const headers = { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' };
      const order = await (await fetch('/api/orders', { method: 'POST', headers: { ...headers, 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify({ eventId: event, sectionId: 'GA', quantity: 1 }) })).json();
      const pay = await fetch(`/api/orders/${order.orderId}/pay`, { method: 'POST', headers });
      return pay.status;
    }, [eventId, token] as const);
    assert.equal(paid, 200);

    await page.reload();
    await page.getByTestId('signed-in-as').filter({ hasText: 'fan-ada' }).waitFor();
    await page.locator('tf-ticket-card').first().waitFor();
    assert.equal(await page.locator('tf-ticket-card').count(), 1);
    await screenshot(page, 'oidc-my-tickets');
    watched.assertClean();

    // Sign out: here and at the issuer, which asks to confirm and comes back to the app signed out.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL((url) => url.origin === new URL(oidcUrl).origin);
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('tf.session')), null);
    await watched.context.close();
  });
});
