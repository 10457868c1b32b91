// POST /v1/orders: the store backend's signed webhook (HMAC-SHA256 over
// "<t>.<body>"), replay and staleness refused, server orders authoritative.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { workspace, startServer, postOrder, postEvents, summary, sign, conversion, reviewToken, WEBHOOK_SECRET } from './harness.mjs';

let ws;
let server;

before(async () => {
  ws = workspace();
  server = await startServer(ws);
});

after(async () => {
  await server?.stop();
  ws?.cleanup();
});

const order = (id) => ({
  order_id: id, visitor: 'v-9', at: '2026-10-01T13:00:00Z', value: 59.5, currency: 'USD',
  items: [{ product: 'sku-2', qty: 2, price: 29.75 }], coupon: 'TESS10', customer: 'hash-1',
});

test('a correctly signed order is stored once; a later delivery of the same order is a duplicate', async () => {
  const t = Math.floor(Date.now() / 1000);
  const first = await postOrder(server.base, order('srv-1'), { t });
  assert.equal(first.status, 200);
  assert.deepEqual(first.body, { order_id: 'srv-1', result: 'created', review_token: reviewToken('srv-1', ['sku-2']) });
  // A redelivery signs again with another timestamp: not a replay, but the same order.
  const again = await postOrder(server.base, order('srv-1'), { t: t - 10 });
  assert.deepEqual(again.body, { order_id: 'srv-1', result: 'duplicate' });
  assert.equal((await summary(server.base)).orders.server, 1);
});

test('a signature made with another secret is refused with 401 and nothing is stored', async () => {
  const body = JSON.stringify(order('srv-bad'));
  const t = Math.floor(Date.now() / 1000);
  const r = await postOrder(server.base, order('srv-bad'), { signature: sign(body, t, 'not-the-secret') });
  assert.equal(r.status, 401);
  assert.deepEqual(r.body, { error: { code: 'webhook.bad_signature', message: 'the signature does not match the body and the shared secret' } });
  // A body changed after signing fails the same way.
  const tampered = await postOrder(server.base, { ...order('srv-bad'), value: 1 }, { signature: sign(body, t, WEBHOOK_SECRET) });
  assert.equal(tampered.body.error.code, 'webhook.bad_signature');
  assert.equal((await summary(server.base)).orders.total, 1);
});

test('the same signed delivery sent twice is refused the second time as a replay', async () => {
  const t = Math.floor(Date.now() / 1000);
  const body = JSON.stringify(order('srv-replay'));
  const signature = sign(body, t);
  const first = await postOrder(server.base, order('srv-replay'), { signature });
  assert.equal(first.status, 200);
  const replay = await postOrder(server.base, order('srv-replay'), { signature });
  assert.equal(replay.status, 409);
  assert.deepEqual(replay.body, { error: { code: 'webhook.replayed', message: 'this signed delivery was already received' } });
});

test('a signature older than five minutes is refused as stale, a missing one as missing', async () => {
  const t = Math.floor(Date.now() / 1000) - 301;
  const stale = await postOrder(server.base, order('srv-stale'), { t });
  assert.equal(stale.status, 401);
  assert.deepEqual(stale.body, { error: { code: 'webhook.stale_timestamp',
    message: 'the signature timestamp is more than 300 seconds away from the server\'s clock' } });
  const res = await fetch(`${server.base}/v1/orders`, { method: 'POST', body: JSON.stringify(order('srv-none')) });
  assert.equal(res.status, 401);
  assert.equal((await res.json()).error.code, 'webhook.missing_signature');
  const malformed = await postOrder(server.base, order('srv-none'), { signature: 'sha256=abc' });
  assert.equal(malformed.body.error.code, 'webhook.malformed_signature');
});

test('a signed but invalid order is refused with its field path', async () => {
  const r = await postOrder(server.base, { ...order('srv-invalid'), currency: 'dollars' });
  assert.equal(r.status, 400);
  assert.deepEqual(r.body, { error: { code: 'order.invalid_value', path: '/currency', message: 'currency must be an ISO 4217 code such as USD, got "dollars"' } });
  // The attribution engine's own rules: an order in another currency is refused here, not in the report.
  const eur = await postOrder(server.base, { ...order('srv-eur'), currency: 'EUR' });
  assert.equal(eur.status, 400);
  assert.deepEqual(eur.body, { error: { code: 'order.currency_mismatch', path: '/currency', message: 'currency is "EUR" but the store sells in USD' } });
});

test('a server order replaces the browser conversion with the same order id', async () => {
  const browser = await postEvents(server.base, [conversion('conv-auth', 'auth-1', 'v-auth')]);
  assert.deepEqual(browser.body.accepted, ['conv-auth']);
  const before_ = await summary(server.base);
  const r = await postOrder(server.base, order('auth-1'));
  assert.deepEqual(r.body, { order_id: 'auth-1', result: 'replaced_browser', review_token: reviewToken('auth-1', ['sku-2']) });
  const after_ = await summary(server.base);
  assert.equal(after_.orders.browser, before_.orders.browser - 1);
  assert.equal(after_.orders.server, before_.orders.server + 1);
  assert.equal(after_.orders.total, before_.orders.total);
  // A browser conversion arriving after the server order changes nothing.
  await postEvents(server.base, [conversion('conv-auth-late', 'auth-1', 'v-auth')]);
  assert.deepEqual((await summary(server.base)).orders, after_.orders);
});
