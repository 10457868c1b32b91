// Review requests: orders placed at least delay_days ago with a product not
// reviewed yet, each with its review token and a link per product; CSV; and
// the signed JSON webhook to the store's mailer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { workspace, startServer, postEvents, admin, reviewToken, WEBHOOK_SECRET } from './harness.mjs';

let ws;
let server;

before(async () => {
  ws = workspace();
  server = await startServer(ws, ['--review-rate-limit', '0']);
  // An order of sku-1 and sku-2 on 2026-10-01 (two months before the tests' clock).
  const conversion = {
    id: 'conv-rr-1', type: 'conversion', at: '2026-10-01T12:30:00Z', visitor: 'v-rr',
    order: { order_id: 'rr-1', value: 200, currency: 'USD', coupon: null, customer: null,
      items: [{ product: 'sku-1', qty: 1, price: 100 }, { product: 'sku-2', qty: 1, price: 100 }] },
  };
  const r = await postEvents(server.base, [conversion]);
  assert.equal(r.body.review_tokens[0].token, reviewToken('rr-1', ['sku-1', 'sku-2']));
  // sku-1 is reviewed with the order's token: only sku-2 is still to ask about.
  const review = await fetch(`${server.base}/v1/reviews`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: 'c-rr-1', product: 'sku-1', rating: 5, body: 'Great.', author: { name: 'Kim' }, token: r.body.review_tokens[0].token }) });
  assert.equal(review.status, 201);
});

after(async () => {
  await server?.stop();
  ws?.cleanup();
});

const get = async (query = '') => {
  const res = await fetch(`${server.base}/v1/admin/review-requests${query}`, { headers: admin });
  return { status: res.status, headers: res.headers, text: await res.text() };
};

test('due orders list the products not reviewed yet, with ready links', async () => {
  const r = await get();
  assert.equal(r.status, 200);
  const body = JSON.parse(r.text);
  assert.equal(body.delay_days, 14);
  assert.deepEqual(body.store, { id: 'demo', name: 'Trail & Co', locale: 'en-US' });
  const token = reviewToken('rr-1', ['sku-1', 'sku-2']);
  const mine = body.requests.find((q) => q.order_id === 'rr-1');
  // due 14 days after 2026-10-01T12:30:00Z
  assert.deepEqual(mine, { order_id: 'rr-1', at: '2026-10-01T12:30:00Z', due_at: '2026-10-15T12:30:00Z', verified: false, token,
    products: [{ id: 'sku-2', title: mine.products[0].title, link: `/demo/product.html?id=sku-2#vouch-review=${token}` }] });
  // Not due yet with a year's delay.
  assert.deepEqual(JSON.parse((await get('?delay_days=365')).text).requests, []);
  const bad = await get('?delay_days=-1');
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.text).error.code, 'review_requests.invalid_delay');
  const anonymous = await fetch(`${server.base}/v1/admin/review-requests`);
  assert.equal(anonymous.status, 401);
});

test('CSV export: one line per product to ask about', async () => {
  const r = await get('?format=csv');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
  const lines = r.text.trimEnd().split('\r\n');
  assert.equal(lines[0], 'order_id,ordered_at,due_at,verified,product,title,link');
  const token = reviewToken('rr-1', ['sku-1', 'sku-2']);
  assert.ok(lines.some((l) => l.startsWith('rr-1,2026-10-01T12:30:00Z,2026-10-15T12:30:00Z,false,sku-2,') &&
    l.endsWith(`,/demo/product.html?id=sku-2#vouch-review=${token}`)), lines.join('\n'));
});

test('the signed JSON webhook reaches the mailer with a signature it can check', async () => {
  let received;
  const mailer = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { received = { body, signature: req.headers['x-vouch-signature'] }; res.writeHead(204).end(); });
  });
  await new Promise((r) => mailer.listen(0, '127.0.0.1', r));
  try {
    const res = await fetch(`${server.base}/v1/admin/review-requests/send`, {
      method: 'POST', headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `http://127.0.0.1:${mailer.address().port}/hooks/reviews` }),
    });
    assert.equal(res.status, 200);
    const answer = await res.json();
    assert.equal(answer.mailer_status, 204);
    const payload = JSON.parse(received.body);
    assert.equal(answer.requests, payload.requests.length);
    assert.ok(payload.requests.some((q) => q.order_id === 'rr-1'));
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(received.signature);
    assert.equal(v1, createHmac('sha256', WEBHOOK_SECRET).update(`${t}.${received.body}`).digest('hex'));
  } finally {
    mailer.close();
  }
  const bad = await fetch(`${server.base}/v1/admin/review-requests/send`, {
    method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ url: 'file:///etc/passwd' }) });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.code, 'review_requests.invalid_url');
});
