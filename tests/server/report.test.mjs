// What a stranger's request can no longer do to the owner's report: an order
// the engine cannot attribute is refused at ingest (one validator, the
// engine's) and, if one is stored anyway, listed instead of failing the
// report; browser-reported money is told apart from the store's signed
// orders; refunds and cancellations arrive through the signed webhook.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { workspace, startServer, postEvents, postOrder, postRefund, report, conversion, NO_LIMITS, database } from './harness.mjs';

let ws;

before(() => { ws = workspace(); });
after(() => ws?.cleanup());

let databases = 0;
const fresh = () => ({ ...ws, db: database(ws, `report_${++databases}`) });
const row = (body, influencer) => body.influencers.find((r) => r.influencer === influencer);

const order = (id, visitor, value, at = '2026-10-01T13:00:00Z') => ({
  order_id: id, visitor, at, value, currency: 'USD', items: [{ product: 'sku-1', qty: 1, price: value }], coupon: null, customer: null,
});
// A touch on inf-1's link an hour before the orders.
const touch = (id, visitor) => ({ id, type: 'touch', at: '2026-10-01T12:00:00Z', visitor, influencer: 'inf-1', source: 'link', landing: '/p/sku-1' });

test('a conversion in another currency is refused at ingest and the report keeps answering', async () => {
  const server = await startServer(fresh(), NO_LIMITS);
  try {
    const eur = conversion('conv-eur', 'eur-1', 'v-eur');
    eur.order.currency = 'EUR';
    const r = await postEvents(server.base, [eur]);
    assert.deepEqual(r.body, { accepted: [], rejected: [{ id: 'conv-eur', index: 0, code: 'order.currency_mismatch',
      path: '/events/0/order/currency', message: 'events[0].order.currency is "EUR" but the store sells in USD' }] });
    const answer = await report(server.base);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.totals.orders, 0);
  } finally {
    await server.stop();
  }
});

test('an order stored before the store changed its currency is listed with its reason, never a 500', async () => {
  const ws2 = fresh();
  const server = await startServer(ws2, NO_LIMITS);
  try {
    await postEvents(server.base, [conversion('conv-usd', 'usd-1', 'v-usd')]);
    assert.equal((await report(server.base)).body.totals.orders, 1);
    // The feed now sells in EUR: the stored USD order cannot be attributed.
    const feed = JSON.parse(readFileSync(ws.feed, 'utf8'));
    feed.store.currency = 'EUR';
    for (const p of feed.products) p.currency = 'EUR';
    const eurFeed = `${ws.dir}/feed-eur.json`;
    writeFileSync(eurFeed, JSON.stringify(feed));
    await server.stop();
    const again = await startServer({ ...ws2, feed: eurFeed }, NO_LIMITS);
    try {
      const answer = await report(again.base);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.totals.orders, 0);
      assert.equal(answer.body.totals.unattributable_orders, 1);
      assert.deepEqual(answer.body.unattributable_orders, [{ order_id: 'usd-1', error: { code: 'order.currency_mismatch',
        path: '/orders/0/currency', message: 'orders[0].currency is "USD" but the store sells in EUR' } }]);
    } finally {
      await again.stop();
    }
  } finally {
    await server.stop();
  }
});

test('browser-reported money is told apart from the store\'s signed orders; commission is owed on the signed ones', async () => {
  const server = await startServer(fresh(), NO_LIMITS);
  try {
    // Two shoppers came through inf-1's link. The browser of v-b reports 200.00
    // (nobody signs it); the store's backend signs v-a's 100.00 order.
    await postEvents(server.base, [touch('t-a', 'v-a'), touch('t-b', 'v-b')]);
    const browser = conversion('conv-b', 'order-b', 'v-b');
    browser.order.value = 200;
    browser.order.items = [{ product: 'sku-1', qty: 1, price: 200 }];
    browser.credits = [{ influencer: 'inf-1', share: 1 }];   // the browser's own decision: not stored, not trusted
    await postEvents(server.base, [browser]);

    // Before the store sends any order itself, the report is on the browser's word, and says so.
    let body = (await report(server.base)).body;
    assert.equal(body.commission_basis, 'reported');
    assert.equal(row(body, 'inf-1').commission, 20);

    assert.equal((await postOrder(server.base, order('order-a', 'v-a', 100))).status, 200);
    body = (await report(server.base)).body;
    // Worked example (last click, 10%): inf-1 earns 10.00 on the signed 100.00;
    // the browser's 200.00 (20.00 if true) stays beside it, not owed.
    assert.equal(body.commission_basis, 'verified');
    const inf1 = row(body, 'inf-1');
    assert.equal(inf1.orders, 1);
    assert.equal(inf1.revenue, 100);
    assert.equal(inf1.commission, 10);
    assert.deepEqual(inf1.verified, { orders: 1, revenue: 100, commission: 10 });
    assert.deepEqual(inf1.reported, { orders: 1, revenue: 200, commission: 20 });
    assert.equal(body.totals.commission, 10);
    assert.deepEqual(body.totals.reported, { orders: 1, revenue: 200, attributed_orders: 1, attributed_revenue: 200,
      commission: 20, refunds: 0, refunded: 0 });
  } finally {
    await server.stop();
  }
});

test('refunds and cancellations come through the signed webhook, once per refund id, and the commission is net of them', async () => {
  const server = await startServer(fresh(), NO_LIMITS);
  try {
    await postEvents(server.base, [touch('t-r', 'v-r')]);
    assert.equal((await postOrder(server.base, order('order-r', 'v-r', 200))).status, 200);
    // Worked example: 200.00 -> inf-1, 20.00 commission. A refund of 50.00
    // takes back 20.00 x 50 / 200 = 5.00.
    const partial = { refund_id: 're_1', order_id: 'order-r', amount: 50, currency: 'USD', at: '2026-10-05T10:00:00Z' };
    assert.deepEqual((await postRefund(server.base, partial)).body, { refund_id: 're_1', order_id: 'order-r', result: 'created' });
    // Delivered again (a new signature, as a retrying backend sends it): stored once.
    const again = await postRefund(server.base, partial, { t: Math.floor(Date.now() / 1000) - 5 });
    assert.deepEqual(again.body, { refund_id: 're_1', order_id: 'order-r', result: 'duplicate' });
    let body = (await report(server.base)).body;
    assert.equal(row(body, 'inf-1').commission, 15);
    assert.equal(row(body, 'inf-1').refunds, 1);
    assert.equal(body.totals.refunded, 50);

    // The cancellation (no amount) takes back the remaining 150.00 and 15.00.
    const cancel = { refund_id: 're_2', order_id: 'order-r', at: '2026-10-06T10:00:00Z' };
    assert.equal((await postRefund(server.base, cancel)).body.result, 'created');
    body = (await report(server.base)).body;
    assert.equal(row(body, 'inf-1').commission, 0);
    assert.equal(row(body, 'inf-1').revenue, 0);
    assert.equal(body.totals.refunded, 200);

    // A refund in a later period claws back from the order of an earlier one.
    const october5 = (await report(server.base, '?from=2026-10-05&to=2026-10-06')).body;
    assert.equal(october5.totals.orders, 0);
    assert.equal(row(october5, 'inf-1').commission, -5);
  } finally {
    await server.stop();
  }
});

test('a refund needs its signature and a positive amount; orders and browsers cannot refund', async () => {
  const server = await startServer(fresh(), NO_LIMITS);
  try {
    const unsigned = await fetch(`${server.base}/v1/refunds`, { method: 'POST', body: '{"refund_id":"x","order_id":"y"}' });
    assert.equal(unsigned.status, 401);
    assert.equal((await unsigned.json()).error.code, 'webhook.missing_signature');
    const zero = await postRefund(server.base, { refund_id: 're_0', order_id: 'order-r', amount: 0 });
    assert.equal(zero.status, 400);
    assert.deepEqual(zero.body, { error: { code: 'refund.invalid_value', path: '/amount',
      message: 'amount must be more than 0 (leave it out to cancel the whole order)' } });
    const viaOrders = await postOrder(server.base, { ...order('r-1', 'v-r', -10), refund_of: 'order-r' });
    assert.equal(viaOrders.status, 400);
    assert.equal(viaOrders.body.error.code, 'order.refund_not_allowed');
    const fromBrowser = conversion('conv-refund', 'r-2', 'v-r');
    fromBrowser.order.value = -10;
    fromBrowser.order.refund_of = 'order-r';
    const r = await postEvents(server.base, [fromBrowser]);
    assert.equal(r.body.rejected[0].code, 'order.refund_not_allowed');
  } finally {
    await server.stop();
  }
});
