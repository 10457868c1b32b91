// The loader's promises to the page and the shopper: the command queue,
// referral codes validated before storage, consent mode and GPC.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openContext, shadowText, useDemoStore, waitFor } from './support/harness.mjs';

const store = useDemoStore();

const vouchStorage = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('vouch:')));
const vouchLines = (log) => log.console.filter((line) => line.includes('vouch:'));

test('calls queued before the script loads are applied once it arrives', async () => {
  const { context, log, acceptedOfType } = await openContext(store.browser, store.server);
  // Hold vouch.js back so the page's calls certainly come first.
  await context.route('**/vouch.js', async (route) => {
    await new Promise((r) => setTimeout(r, 700));
    await route.continue();
  });
  const page = await context.newPage();
  await page.goto(`${store.server.url}/fixtures/queue.html`);
  const [conversion] = await waitFor(() => acceptedOfType('conversion').length && acceptedOfType('conversion'), 'the queued conversion');
  assert.equal(conversion.order.order_id, 'Q-1001');
  assert.equal(conversion.order.value, 48.99);
  assert.deepEqual(await page.evaluate(() => typeof window.vouch === 'function' && window.vouch.loaded), true);
  assert.deepEqual(vouchLines(log), ['warning: vouch: unknown command "no-such-command"']);
  await context.close();
});

test('a referral code with a ";" or 10 KB of junk never reaches the cookie, storage or the server', async () => {
  const { context, log } = await openContext(store.browser, store.server);
  const page = await context.newPage();
  await page.goto(`${store.server.url}/fixtures/plain.html?ref=${encodeURIComponent('TESS10;domain=evil.example')}`);
  await page.goto(`${store.server.url}/fixtures/plain.html?via=${'A'.repeat(10240)}`);
  await page.waitForTimeout(1500);
  assert.equal((await context.cookies()).find((c) => c.name === 'vouch_ref'), undefined);
  assert.deepEqual(await page.evaluate(() => localStorage.getItem('vouch:touches')), null);
  assert.equal(log.sent.filter((e) => e.type === 'touch').length, 0);
  // One line per problem, not one per page view.
  assert.deepEqual(vouchLines(log), [
    'warning: vouch: ignored an invalid referral code in the URL',
    'warning: vouch: ignored an invalid referral code in the URL',
  ]);

  await page.goto(`${store.server.url}/fixtures/plain.html?via=sunnyhikingezra17`);
  const cookie = await waitFor(async () => (await context.cookies()).find((c) => c.name === 'vouch_ref'), 'the cookie');
  assert.match(cookie.value, /^sunnyhikingezra17%7C\d+$/);
  assert.equal(cookie.sameSite, 'Lax');
  const touches = await page.evaluate(() => JSON.parse(localStorage.getItem('vouch:touches')));
  assert.deepEqual(touches.map((t) => [t.code, t.source, t.landing]), [['sunnyhikingezra17', 'link', '/fixtures/plain.html']]);
  await context.close();
});

test('with data-consent="required" nothing is stored or sent until the shopper consents', async () => {
  const { context, log, acceptedOfType } = await openContext(store.browser, store.server);
  const page = await context.newPage();
  await page.goto(`${store.server.url}/fixtures/consent.html?ref=SUNNYHIKIN17`);
  // Social proof is content, not tracking: it still renders.
  await waitFor(async () => (await shadowText(page, '[data-vouch=social-proof]')).includes('Customer reviews'), 'the reviews');
  await page.evaluate(() => document.querySelector('[data-vouch=social-proof]').scrollIntoView());
  await page.waitForTimeout(1500);
  assert.deepEqual(await context.cookies(), []);
  assert.deepEqual(await vouchStorage(page), []);
  assert.equal(log.sent.length, 0);

  await page.evaluate(() => window.vouch('consent', true));
  await waitFor(() => acceptedOfType('touch').length === 1, 'the touch after consent');
  assert.equal(acceptedOfType('touch')[0].code, 'SUNNYHIKIN17');
  // The event has the landing's time (1.5 s and more before the consent), the
  // stored touch's: an order's copy of the touch is then the same click.
  const [stored] = await page.evaluate(() => JSON.parse(localStorage.getItem('vouch:touches')));
  assert.equal(acceptedOfType('touch')[0].at, stored.at);
  assert.ok((await context.cookies()).some((c) => c.name === 'vouch_ref'));
  await context.close();
});

test('Global Privacy Control means no referral storage and no events, even after consent', async () => {
  const { context, log } = await openContext(store.browser, store.server);
  await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  const page = await context.newPage();
  await page.goto(`${store.server.url}/fixtures/plain.html?ref=SUNNYHIKIN17`);
  await waitFor(async () => (await shadowText(page, '[data-vouch=social-proof]')).includes('Customer reviews'), 'the reviews');
  await page.evaluate(() => window.vouch('consent', true));
  await page.locator('[data-vouch=social-proof] button.helpful').first().click();
  await page.waitForTimeout(1500);
  assert.deepEqual(await context.cookies(), []);
  assert.deepEqual(await vouchStorage(page), []);
  assert.equal(log.sent.length, 0);
  await context.close();
});

test('withdrawing consent stops sending at once and erases the outbox, the referral and the cookies', async () => {
  const { context } = await openContext(store.browser, store.server);
  // The server is down: the touch waits in the outbox, retried with backoff.
  let down = true;
  const after = [];
  let withdrawn = false;
  await context.route('**/v1/events', (route) => {
    if (withdrawn) after.push(route.request().postData());
    return down ? route.fulfill({ status: 503, body: 'down' }) : route.continue();
  });
  const page = await context.newPage();
  await page.goto(`${store.server.url}/fixtures/bare.html?ref=SUNNYHIKIN17`);
  await waitFor(async () => (await page.evaluate(() => localStorage.getItem('vouch:outbox') || '')).includes('SUNNYHIKIN17'),
    'the touch in the outbox');
  const names = async () => (await context.cookies()).map((c) => c.name).filter((n) => n.startsWith('vouch_')).sort();
  assert.deepEqual(await names(), ['vouch_ref', 'vouch_vid']);

  await page.evaluate(() => window.vouch('consent', false));
  withdrawn = true;
  down = false;
  // Everything that could send: the retry timer, coming back online, a new
  // event, the page going away.
  await page.evaluate(() => {
    window.dispatchEvent(new Event('online'));
    window.vouch('track', 'click', { placement: 'test', target: '/after-withdrawal' });
  });
  await page.waitForTimeout(2500);
  await page.goto(`${store.server.url}/fixtures/bare.html`);
  await page.waitForTimeout(1000);
  assert.deepEqual(after, [], 'nothing was sent after the withdrawal');
  assert.deepEqual(await vouchStorage(page), []);
  assert.deepEqual(await names(), []);
  await context.close();
});
