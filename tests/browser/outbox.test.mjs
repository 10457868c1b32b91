// Nothing is lost when the shopper is offline or the server is down: events
// wait in the outbox until the server acknowledges them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openContext, useDemoStore, waitFor } from './support/harness.mjs';

const store = useDemoStore();

const order = { orderId: 'OFF-1', value: 103.99, currency: 'USD', items: [{ product: 'sku-1', qty: 1, price: 103.99 }] };
const outbox = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('vouch:outbox') || '[]'));

test('a conversion made offline is delivered when the connection comes back', async () => {
  const { context, acceptedOfType } = await openContext(store.browser, store.server);
  const page = await context.newPage();
  await page.clock.install();
  await page.goto(`${store.server.url}/fixtures/plain.html?ref=SUNNYHIKIN17`);
  await waitFor(() => acceptedOfType('touch').length === 1, 'the touch');
  await page.locator('[data-vouch=social-proof] .summary').waitFor();   // the engine and the feed are loaded
  // The shopper reads for two minutes: a purchase seconds after the click
  // would rightly be flagged as click injection and not credited.
  await page.clock.fastForward('02:00');

  await context.setOffline(true);
  await page.evaluate((o) => window.vouch('conversion', o), order);
  await waitFor(async () => (await outbox(page)).some((e) => e.type === 'conversion'), 'the conversion in the outbox');
  await page.waitForTimeout(1500);
  assert.equal(acceptedOfType('conversion').length, 0);

  await context.setOffline(false);
  const [conversion] = await waitFor(() => acceptedOfType('conversion').length && acceptedOfType('conversion'), 'delivery after reconnecting');
  assert.equal(conversion.order.order_id, 'OFF-1');
  // The browser sends no credits of its own: the touches travel with the
  // order and the server's attribution resolves the code and credits the creator.
  assert.equal(conversion.credits, undefined);
  assert.ok(conversion.touches.some((t) => t.influencer === null && t.code === 'SUNNYHIKIN17'));
  await waitFor(async () => (await outbox(page)).length === 0, 'an empty outbox');
  const report = await store.server.admin('/v1/reports/influencers');
  const credited = report.influencers.filter((row) => row.orders > 0).map((row) => [row.influencer, row.orders, row.revenue]);
  assert.deepEqual(credited, [['inf-17', 1, 103.99]]);
  await context.close();
});

test('events survive a server outage across pages and are delivered by a later page', async () => {
  const { context, acceptedOfType } = await openContext(store.browser, store.server);
  let down = true;
  await context.route('**/v1/events', (route) => (down ? route.fulfill({ status: 503, body: 'down' }) : route.continue()));
  const page = await context.newPage();
  await page.goto(`${store.server.url}/fixtures/plain.html?ref=SUNNYHIKIN17`);
  await page.evaluate((o) => window.vouch('conversion', Object.assign({}, o, { orderId: 'DOWN-1' })), order);
  await waitFor(async () => (await outbox(page)).some((e) => e.type === 'conversion'), 'the conversion in the outbox');
  await page.close();   // pagehide: a keepalive flush, still refused

  down = false;
  const next = await context.newPage();
  await next.goto(`${store.server.url}/fixtures/plain.html`);
  await waitFor(() => acceptedOfType('conversion').some((e) => e.order.order_id === 'DOWN-1'), 'delivery by the next page');
  assert.equal(acceptedOfType('touch').length, 1);
  await waitFor(async () => (await outbox(next)).length === 0, 'an empty outbox');
  await context.close();
});

test('a 429 answer is retried after Retry-After and a 413 splits the batch', async () => {
  const { context, acceptedOfType } = await openContext(store.browser, store.server);
  const sizes = [];
  let first = true;
  await context.route('**/v1/events', (route) => {
    const count = JSON.parse(route.request().postData()).events.length;
    sizes.push(count);
    if (first) { first = false; return route.fulfill({ status: 429, headers: { 'retry-after': '1' }, body: '' }); }
    if (count > 2) return route.fulfill({ status: 413, body: '' });
    return route.continue();
  });
  const page = await context.newPage();
  await page.goto(`${store.server.url}/fixtures/queue.html`);
  await page.evaluate(() => {
    for (let i = 0; i < 4; i++) window.vouch('track', 'click', { placement: 'test', target: 't' + i });
  });
  await waitFor(() => acceptedOfType('click').length === 4 && acceptedOfType('conversion').length === 1, 'every event delivered', 15000);
  assert.ok(sizes.some((n) => n > 2), 'a batch over the limit was tried');
  assert.ok(sizes.slice(1).every((n, i, all) => n <= 2 || all[i + 1] <= n), 'batches shrink after a 413');
  await context.close();
});

test('an event the server refuses for what it is leaves the queue with one warning; the ones behind it are delivered', async () => {
  const { context, log, acceptedOfType } = await openContext(store.browser, store.server);
  const page = await context.newPage();
  await page.goto(`${store.server.url}/fixtures/bare.html`);
  // A click whose target makes the event 70 KB: over the server's 64 KiB a request, alone.
  await page.evaluate(() => {
    window.vouch('track', 'click', { placement: 'test', target: '/poison-' + 'x'.repeat(70000) });
    window.vouch('track', 'click', { placement: 'test', target: '/after-1' });
    window.vouch('track', 'click', { placement: 'test', target: '/after-2' });
  });
  await waitFor(() => acceptedOfType('click').length === 2, 'the clicks behind the poison event', 15000);
  assert.deepEqual(acceptedOfType('click').map((e) => e.target).sort(), ['/after-1', '/after-2']);
  await waitFor(async () => (await outbox(page)).length === 0, 'an empty outbox');
  assert.deepEqual(log.console.filter((line) => line.includes('vouch:')),
    ['warning: vouch: the server refused an event (HTTP 413); it was dropped']);
  await context.close();
});

test('a batch refused whole with 400 is split until the refused event is alone, then only it is dropped', async () => {
  const { context, log, acceptedOfType } = await openContext(store.browser, store.server);
  const sizes = [];
  await context.route('**/v1/events', (route) => {
    const events = JSON.parse(route.request().postData()).events;
    sizes.push(events.length);
    // A proxy (or an older server) refusing any batch that holds the bad event.
    if (events.some((e) => e.target === '/bad')) {
      return route.fulfill({ status: 400, contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'events.parse_error', message: 'not JSON' } }) });
    }
    return route.continue();
  });
  const page = await context.newPage();
  await page.goto(`${store.server.url}/fixtures/bare.html`);
  await page.evaluate(() => {
    for (const target of ['/a', '/bad', '/b', '/c']) window.vouch('track', 'click', { placement: 'test', target });
  });
  await waitFor(() => acceptedOfType('click').length === 3, 'the three good clicks', 15000);
  assert.deepEqual(acceptedOfType('click').map((e) => e.target).sort(), ['/a', '/b', '/c']);
  await waitFor(async () => (await outbox(page)).length === 0, 'an empty outbox');
  assert.equal(sizes[0], 4);
  assert.deepEqual(log.console.filter((line) => line.includes('vouch:')),
    ['warning: vouch: the server refused an event (HTTP 400); it was dropped']);
  await context.close();
});
