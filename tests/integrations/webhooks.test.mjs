// Shopify's and WooCommerce's own webhooks against a real `vouch serve`
// (docs/shopify.md): payloads shaped as the platforms document them, signed
// as they sign (fixtures/*.mjs). Orders become verified and are attributed
// (a discount code credits its creator), refunds and cancellations come off,
// forged, unsigned, replayed and stale deliveries are refused, a Shopify
// order and the web pixel's conversion of it count once, and the privacy
// webhooks do what they say to the database. On SQLite, or on PostgreSQL with
// VOUCH_TEST_PG (scripts/test.sh runs it on both).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { PG, workspace, startServer, summary, report, postEvents, admin } from '../server/harness.mjs';
import * as shopify from './fixtures/shopify.mjs';
import * as woo from './fixtures/woocommerce.mjs';
import { png } from '../fixtures/images.mjs';

const SHOPIFY_SECRET = 'shpss_0123456789abcdef0123456789abcdef';
const WOO_SECRET = 'wc-webhook-secret-abc';
const FLAGS = ['--shopify-secret', SHOPIFY_SECRET, '--woocommerce-secret', WOO_SECRET];

let ws;
let server;

before(async () => {
  ws = workspace();
  server = await startServer(ws, FLAGS);
});

after(async () => {
  await server?.stop();
  ws?.cleanup();
});

async function send(base, path, { body, headers }) {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers, body });
  return { status: res.status, body: await res.json() };
}
const toShopify = (d, base = server.base) => send(base, '/v1/integrations/shopify/webhooks', d);
const toWoo = (d, base = server.base) => send(base, '/v1/integrations/woocommerce/webhooks', d);
const signedShopify = (topic, payload, options = {}) => shopify.delivery(topic, payload, { secret: SHOPIFY_SECRET, ...options });
const signedWoo = (topic, payload, options = {}) => woo.delivery(topic, payload, { secret: WOO_SECRET, ...options });

function creator(rep, id) {
  return rep.body.influencers.find((row) => row.influencer === id);
}

// The demo feed (seed 1): sku-1 and sku-2 are products; inf-1's code is
// SLOWSKINCA1, inf-2's NORTHYOGAK2, inf-4's LITTLECOFF4, inf-5's is read below.
const paid = (id, extra = {}) => shopify.order({
  id,
  lines: [{ sku: 'sku-1', price: '103.99', quantity: 1 }, { sku: 'sku-2', price: '215.99', quantity: 2 }],
  // 103.99 + 2 × 215.99 = 535.97 of goods, 20.00 off: subtotal 515.97.
  subtotal: '515.97',
  ...extra,
});

test('a paid Shopify order is verified, and its creator\'s discount code credits that creator', async () => {
  // FREESHIP is no creator's code; NORTHYOGAK2 is inf-2's, so it is the order's coupon.
  const r = await toShopify(signedShopify('orders/paid', paid(5764435689580, { codes: ['FREESHIP', 'NORTHYOGAK2'] })));
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { order_id: '5764435689580', result: 'created' });
  assert.equal((await summary(server.base)).orders.server, 1);
  // Commission 10% (the default) of 515.97 = 51.597, rounded to 51.60.
  const row = creator(await report(server.base), 'inf-2');
  assert.deepEqual(row.verified, { commission: 51.6, orders: 1, revenue: 515.97 });
});

test('forged and unsigned Shopify deliveries are refused with 401 and store nothing', async () => {
  const before = await summary(server.base);
  const forged = shopify.delivery('orders/paid', paid(5764435689581), { secret: 'not-the-app-secret' });
  const r = await toShopify(forged);
  assert.equal(r.status, 401);
  assert.deepEqual(r.body, { error: { code: 'shopify.bad_signature',
    message: 'X-Shopify-Hmac-Sha256 does not match the body and the shopify secret' } });
  // A body changed after Shopify signed it.
  const genuine = signedShopify('orders/paid', paid(5764435689581));
  const tampered = { ...genuine, body: genuine.body.replace('"515.97"', '"5.97"') };
  assert.equal((await toShopify(tampered)).body.error.code, 'shopify.bad_signature');
  const { 'x-shopify-hmac-sha256': _, ...unsigned } = genuine.headers;
  const none = await toShopify({ body: genuine.body, headers: unsigned });
  assert.equal(none.status, 401);
  assert.equal(none.body.error.code, 'shopify.missing_signature');
  assert.deepEqual(await summary(server.base), before);
});

test('a replayed Shopify delivery stores nothing again, even on a restarted server', async () => {
  const d = signedShopify('orders/paid', paid(5764435689582));
  assert.equal((await toShopify(d)).body.result, 'created');
  // Answered 200 (Shopify would retry a refusal and finally drop the
  // subscription), but nothing is applied twice.
  assert.deepEqual(await toShopify(d), { status: 200, body: { result: 'replayed' } });
  // The replay key is in the database: another process on it knows it too.
  const second = await startServer(ws, FLAGS);
  try {
    assert.deepEqual(await toShopify(d, second.base), { status: 200, body: { result: 'replayed' } });
  } finally {
    await second.stop();
  }
  // The same order in another delivery (another subscription, a resend) is a duplicate.
  assert.deepEqual((await toShopify(signedShopify('orders/paid', paid(5764435689582)))).body,
    { order_id: '5764435689582', result: 'duplicate' });
});

test('a stale Shopify delivery (X-Shopify-Triggered-At over 24 hours old, or ahead) is refused', async () => {
  const hour = 3600e3;
  for (const at of [Date.now() - 25 * hour, Date.now() + 0.25 * hour]) {
    const r = await toShopify(signedShopify('orders/paid', paid(5764435689583), { triggeredAt: new Date(at).toISOString() }));
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'shopify.stale_delivery');
  }
  // Shopify's last retry comes 4 hours after the event: still accepted.
  const late = await toShopify(signedShopify('orders/paid', paid(5764435689583), { triggeredAt: new Date(Date.now() - 4 * hour).toISOString() }));
  assert.equal(late.body.result, 'created');
});

test('topics Vouch does not act on are answered 200 and ignored', async () => {
  const before = await summary(server.base);
  assert.deepEqual((await toShopify(signedShopify('products/update', { id: 632910392, title: 'IPod Nano - 8GB' }))).body,
    { result: 'ignored', reason: 'Vouch does not act on products/update' });
  assert.deepEqual((await toShopify(signedShopify('orders/create', paid(5764435689584)))).body,
    { result: 'ignored', reason: 'orders become verified on orders/paid' });
  assert.deepEqual(await summary(server.base), before);
});

test('an order the contract refuses is answered 200 "rejected" with its error, and not stored', async () => {
  const r = await toShopify(signedShopify('orders/paid', paid(5764435689585, { currency: 'EUR' })));
  assert.deepEqual(r, { status: 200, body: { result: 'rejected', error: {
    code: 'order.currency_mismatch', path: '/currency', message: 'currency is "EUR" but the store sells in USD' } } });
  assert.ok(server.stderr().includes('"event":"shopify_delivery_rejected"'));
});

test('refunds/create takes the refunded goods off the creator\'s revenue; orders/cancelled the rest', async () => {
  await toShopify(signedShopify('orders/paid', paid(5764435689590, { codes: ['LITTLECOFF4'] })));
  const refund = shopify.refund({ id: 929361463, orderId: 5764435689590, subtotal: '103.99' });
  const r = await toShopify(signedShopify('refunds/create', refund));
  assert.deepEqual(r.body, { result: 'created', refund_ids: ['shopify-929361463'], new_refunds: 1 });
  // Shopify sending the refund again (a second subscription): still one refund.
  assert.equal((await toShopify(signedShopify('refunds/create', refund))).body.result, 'duplicate');
  // 515.97 - 103.99 = 411.98 of revenue; 10% = 41.198, so 41.20.
  let row = creator(await report(server.base), 'inf-4');
  assert.equal(row.refunds, 1);
  assert.deepEqual(row.verified, { commission: 41.2, orders: 1, revenue: 411.98 });
  const cancelled = paid(5764435689590, { codes: ['LITTLECOFF4'], cancelledAt: '2026-10-06T09:00:00-04:00' });
  assert.deepEqual((await toShopify(signedShopify('orders/cancelled', cancelled))).body,
    { result: 'created', refund_ids: ['shopify-cancel-5764435689590'], new_refunds: 1 });
  row = creator(await report(server.base), 'inf-4');
  assert.deepEqual(row.verified, { commission: 0, orders: 1, revenue: 0 });
});

// The web pixel sends the order as a browser conversion with order_id = the
// Shopify order id (integrations/shopify/extensions/vouch-pixel); the
// webhook's verified order has the same id.
function pixelConversion(eventId, orderId, visitor) {
  return {
    id: eventId, type: 'conversion', at: '2026-10-02T17:00:05Z', visitor,
    order: { order_id: orderId, value: 515.97, currency: 'USD', items: [{ product: 'sku-1', qty: 1, price: 103.99 }], coupon: null, customer: null },
    touches: [{ visitor, at: '2026-10-01T12:00:00Z', influencer: null, code: 'SLOWSKINCA1', source: 'link', landing: '/products/boot' }],
  };
}

test('a Shopify order and the pixel\'s conversion of it count once, whichever comes first', async () => {
  const visitor = 'v-aaaaaaaaaaaaaaaaaaaaaaaa';
  const before = (await summary(server.base)).orders;
  // Pixel first: the webhook's verified order replaces the browser's report.
  assert.deepEqual((await postEvents(server.base, [pixelConversion('e-px-1', '5764435689600', visitor)])).body.accepted, ['e-px-1']);
  const r = await toShopify(signedShopify('orders/paid', paid(5764435689600, { attributes: { _vouch_vid: visitor } })));
  assert.deepEqual(r.body, { order_id: '5764435689600', result: 'replaced_browser' });
  // Webhook first: the pixel's later conversion adds no order.
  await toShopify(signedShopify('orders/paid', paid(5764435689601, { attributes: { _vouch_vid: visitor } })));
  await postEvents(server.base, [pixelConversion('e-px-2', '5764435689601', visitor)]);
  const after = (await summary(server.base)).orders;
  assert.deepEqual(after, { browser: before.browser, server: before.server + 2, total: before.total + 2 });
});

test('the referral in the cart attributes credits its creator when the browser never reported it', async () => {
  const visitor = 'v-bbbbbbbbbbbbbbbbbbbbbbbb';
  const clickedAt = Math.floor(Date.parse('2026-10-01T09:00:00Z') / 1000);
  const touchesBefore = (await summary(server.base)).touches;
  const order = paid(5764435689610, { attributes: { _vouch_vid: visitor, _vouch_ref: `SLOWSKINCA1|${clickedAt}` } });
  assert.equal((await toShopify(signedShopify('orders/paid', order))).body.result, 'created');
  assert.equal((await summary(server.base)).touches, touchesBefore + 1);
  // inf-1's verified orders: the two of the test above (their visitor's
  // conversion carried an SLOWSKINCA1 touch) and this one.
  assert.equal(creator(await report(server.base), 'inf-1').verified.orders, 3);
  // When the loader did report that click (same visitor, second and code),
  // the order's copy of it is not a second click.
  const other = 'v-cccccccccccccccccccccccc';
  await postEvents(server.base, [{ id: 'e-touch-c', type: 'touch', at: '2026-10-01T09:00:00Z', visitor: other,
    code: 'SLOWSKINCA1', source: 'link', landing: '/products/boot' }]);
  const touches = (await summary(server.base)).touches;
  await toShopify(signedShopify('orders/paid', paid(5764435689611, { attributes: { _vouch_vid: other, _vouch_ref: `SLOWSKINCA1|${clickedAt}` } })));
  assert.equal((await summary(server.base)).touches, touches);
});

// Whether the database still holds `text` anywhere: SQLite, every byte of its
// files (the database and its write-ahead log); PostgreSQL (VOUCH_TEST_PG),
// every row of every table, as text.
function databaseHolds(db, text) {
  if (!PG) return Buffer.concat([db, `${db}-wal`].filter(existsSync).map((file) => readFileSync(file))).includes(text);
  const sql = `SELECT count(*) FROM (${['events', 'touches', 'orders', 'refunds', 'reviews', 'privacy_requests',
    'platform_deliveries'].map((t) => `SELECT 1 FROM ${t} x WHERE x::text LIKE '%${text}%'`).join(' UNION ALL ')}) hits`;
  return Number(execFileSync('psql', [db, '-tAq', '-c', sql]).toString().trim()) > 0;
}

test('customers/data_request records what is held; customers/redact removes the customer from orders and touches', async () => {
  const email = 'Redact.Me@Example.com';
  // SHA-256 of "redact.me@example.com" (trimmed, lower-cased), as Vouch hashes it.
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha256').update('redact.me@example.com').digest('hex');
  const visitor = 'v-dddddddddddddddddddddddd';
  await postEvents(server.base, [{ id: 'e-touch-d', type: 'touch', at: '2026-10-02T08:00:00Z', visitor,
    code: 'SLOWSKINCA1', source: 'link', landing: '/products/boot' }]);
  await toShopify(signedShopify('orders/paid', paid(5764435689620, { email, attributes: { _vouch_vid: visitor } })));
  const creditBefore = creator(await report(server.base), 'inf-1').verified;

  const asked = await toShopify(signedShopify('customers/data_request', shopify.customersDataRequest({ email, orders: [5764435689620] })));
  assert.deepEqual(asked.body, { result: 'recorded' });
  let held = await (await fetch(`${server.base}/v1/admin/privacy-requests`, { headers: admin })).json();
  const request = held.requests.find((r) => r.topic === 'customers/data_request');
  assert.deepEqual(request.result.orders.map((o) => [o.order_id, o.customer, o.visitor]), [['5764435689620', hash, visitor]]);
  assert.deepEqual(request.result.touches.map((t) => [t.visitor, t.code]), [[visitor, 'SLOWSKINCA1']]);
  assert.equal(request.result.events.length, 1);
  assert.ok(databaseHolds(ws.db, hash) && databaseHolds(ws.db, visitor));

  const redacted = await toShopify(signedShopify('customers/redact', shopify.customersRedact({ email, orders: [5764435689620] })));
  assert.deepEqual(redacted.body, { result: 'redacted', counts: { orders: 1, touches: 1, events_deleted: 1, reviews: 0 } });
  // Gone from the database (on SQLite from every byte of its files): the hash,
  // the visitor id, and the export the data request recorded.
  assert.equal(databaseHolds(ws.db, hash), false);
  assert.equal(databaseHolds(ws.db, visitor), false);
  held = await (await fetch(`${server.base}/v1/admin/privacy-requests`, { headers: admin })).json();
  assert.deepEqual(held.requests.map((r) => r.topic).slice(0, 1), ['customers/redact']);
  assert.equal(JSON.stringify(held).includes(hash), false);
  // The creator keeps the credit: the order and its touch share a new pseudonym.
  assert.deepEqual(creator(await report(server.base), 'inf-1').verified, creditBefore);
});

test('WooCommerce: the ping is answered; a paid order signed as WooCommerce signs is verified in the report', async () => {
  const ping = await fetch(`${server.base}/v1/integrations/woocommerce/webhooks`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'webhook_id=7',
  });
  assert.deepEqual([ping.status, await ping.json()], [200, { result: 'ping' }]);
  const visitor = 'v-eeeeeeeeeeeeeeeeeeeeeeee';
  const clickedAt = Math.floor(Date.parse('2026-10-02T10:00:00Z') / 1000);
  // inf-3's code on an order of sku-3: 2 × 69.50 = 139.00 of goods, 13.90 off by the coupon.
  const placed = woo.order({ id: 4127, lines: [{ sku: 'sku-3', quantity: 2, subtotal: '139.00', total: '125.10' }],
    coupons: ['urbanyogak3'], meta: { _vouch_vid: visitor, _vouch_ref: `URBANYOGAK3|${clickedAt}` } });
  const d = signedWoo('order.created', placed);
  assert.deepEqual((await toWoo(d)).body, { order_id: '4127', result: 'created' });
  const row = creator(await report(server.base), 'inf-3');
  // 10% of 125.10 = 12.51.
  assert.deepEqual(row.verified, { commission: 12.51, orders: 1, revenue: 125.1 });
  assert.equal(row.clicks, 1);
  assert.deepEqual((await toWoo(d)).body, { result: 'replayed' });
  // WooCommerce's delivery id is one per webhook and second: another order
  // sent in the same second has the same id, and is not a replay.
  const same = signedWoo('order.created', woo.order({ id: 4128, lines: [{ sku: 'sku-3', quantity: 1, subtotal: '69.50', total: '69.50' }] }),
    { deliveryId: d.headers['x-wc-webhook-delivery-id'] });
  assert.deepEqual((await toWoo(same)).body, { order_id: '4128', result: 'created' });
});

test('WooCommerce: forged, stale and unpaid deliveries; partial refunds and a refunded order', async () => {
  const forged = woo.delivery('order.created', woo.order({ id: 4130, lines: [{ sku: 'sku-1', quantity: 1, subtotal: '103.99', total: '103.99' }] }), { secret: 'guess' });
  const r = await toWoo(forged);
  assert.equal(r.status, 401);
  assert.equal(r.body.error.code, 'woocommerce.bad_signature');
  // date_modified_gmt two days old: a replay of an old delivery.
  const old = new Date(Date.now() - 48 * 3600e3).toISOString().slice(0, 19);
  const stale = await toWoo(signedWoo('order.updated', woo.order({ id: 4130, modified: old, lines: [{ sku: 'sku-1', quantity: 1, subtotal: '103.99', total: '103.99' }] })));
  assert.equal(stale.status, 401);
  assert.equal(stale.body.error.code, 'woocommerce.stale_delivery');
  const pending = await toWoo(signedWoo('order.created', woo.order({ id: 4130, status: 'pending', lines: [{ sku: 'sku-1', quantity: 1, subtotal: '103.99', total: '103.99' }] })));
  assert.deepEqual(pending.body, { result: 'ignored', reason: 'an order with status pending is not paid' });

  const lines = [{ sku: 'sku-1', quantity: 1, subtotal: '103.99', total: '103.99' }];
  await toWoo(signedWoo('order.created', woo.order({ id: 4131, lines, coupons: ['NORTHYOGAK2'] })));
  const before = creator(await report(server.base), 'inf-2').verified;
  // A partial refund of 20.00 (WooCommerce lists it with a negative total).
  const partly = await toWoo(signedWoo('order.updated', woo.order({ id: 4131, status: 'completed', lines, coupons: ['NORTHYOGAK2'], refunds: [{ id: 4132, total: '-20.00' }] })));
  assert.deepEqual(partly.body, { order_id: '4131', result: 'duplicate', refund_ids: ['wc-4132'], new_refunds: 1 });
  let after = creator(await report(server.base), 'inf-2').verified;
  assert.equal(Math.round((before.revenue - after.revenue) * 100), 2000);
  // Refunded in full: what is left (83.99) comes off too.
  const refunded = await toWoo(signedWoo('order.updated', woo.order({ id: 4131, status: 'refunded', lines, coupons: ['NORTHYOGAK2'], refunds: [{ id: 4132, total: '-20.00' }, { id: 4133, total: '-83.99' }] })));
  assert.deepEqual(refunded.body, { result: 'created', refund_ids: ['wc-4132', 'wc-4133', 'wc-cancel-4131'], new_refunds: 2 });
  after = creator(await report(server.base), 'inf-2').verified;
  assert.equal(Math.round((before.revenue - after.revenue) * 100), 10399);
});

test('app/uninstalled is recorded; shop/redact erases the shop\'s data; another shop is refused', async () => {
  const own = workspace();
  const alone = await startServer(own, [...FLAGS, '--shopify-shop', shopify.SHOP]);
  try {
    await toShopify(signedShopify('orders/paid', paid(5764435689700, { attributes: { _vouch_vid: 'v-ffffffffffffffffffffffff' } })), alone.base);
    await postEvents(alone.base, [{ id: 'e-touch-f', type: 'touch', at: '2026-10-02T08:00:00Z', visitor: 'v-ffffffffffffffffffffffff',
      code: 'SLOWSKINCA1', source: 'link', landing: '/' }]);
    // A shopper's review photo (stored in the database, served at /v1/photos/).
    const uploaded = await fetch(`${alone.base}/v1/reviews/photos`, { method: 'POST', headers: { 'content-type': 'image/png' },
      body: png({ width: 32, height: 24 }) });
    const { url } = await uploaded.json();
    assert.equal((await fetch(`${alone.base}${url}`)).status, 200);
    const elsewhere = await toShopify(signedShopify('shop/redact', { shop_id: 1, shop_domain: 'other.myshopify.com' }, { shop: 'other.myshopify.com' }), alone.base);
    assert.equal(elsewhere.status, 403);
    assert.equal(elsewhere.body.error.code, 'shopify.unknown_shop');
    assert.deepEqual((await toShopify(signedShopify('app/uninstalled', shopify.appUninstalled()), alone.base)).body, { result: 'recorded' });
    const erased = await toShopify(signedShopify('shop/redact', shopify.shopRedact()), alone.base);
    assert.equal(erased.body.result, 'erased');
    assert.equal(erased.body.counts.orders, 1);
    assert.equal(erased.body.counts.touches, 1);
    assert.deepEqual((await summary(alone.base)), { events: { total: 0, by_type: {} }, visitors: 0, touches: 0, orders: { browser: 0, server: 0, total: 0 } });
    assert.equal(erased.body.counts.photo_files, 2);   // the photo and its thumbnail
    assert.equal((await fetch(`${alone.base}${url}`)).status, 404);
    assert.equal(databaseHolds(own.db, 'v-ffffffffffffffffffffffff'), false);
  } finally {
    await alone.stop();
    own.cleanup();
  }
});
