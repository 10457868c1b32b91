// The WooCommerce plugin (integrations/woocommerce/vouch-woocommerce) under
// PHP with WordPress's hooks stood in for (fixtures/woocommerce-plugin.php):
// at checkout it copies the loader's cookies into the order's meta, only when
// they have the shape Vouch writes; and an order carrying that meta, sent as
// WooCommerce sends its webhook, credits the referral's creator in the report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { workspace, startServer, report } from '../server/harness.mjs';
import * as woo from './fixtures/woocommerce.mjs';

const PLUGIN = fileURLToPath(new URL('../../integrations/woocommerce/vouch-woocommerce/vouch-woocommerce.php', import.meta.url));
const RUNNER = fileURLToPath(new URL('./fixtures/woocommerce-plugin.php', import.meta.url));

function checkout(hook, cookies) {
  return JSON.parse(execFileSync('php', [RUNNER, hook], { env: { ...process.env, PLUGIN, COOKIES: JSON.stringify(cookies) } }));
}

const COOKIES = { vouch_vid: 'v-0123456789abcdef01234567', vouch_ref: 'URBANYOGAK3|1790499600' };

test('the plugin is valid PHP and hooks both checkouts', () => {
  assert.match(execFileSync('php', ['-l', PLUGIN]).toString(), /^No syntax errors detected/);
  assert.deepEqual(checkout('none', {}).hooks, ['woocommerce_checkout_create_order',
    'woocommerce_store_api_checkout_update_order_from_request', 'before_woocommerce_init']);
});

test('at checkout (classic or block) the cookies go into the order meta as they are', () => {
  for (const hook of ['woocommerce_checkout_create_order', 'woocommerce_store_api_checkout_update_order_from_request']) {
    assert.deepEqual(checkout(hook, COOKIES).meta, { _vouch_vid: COOKIES.vouch_vid, _vouch_ref: COOKIES.vouch_ref });
  }
});

test('cookies of another shape are not copied', () => {
  const hostile = { vouch_vid: 'v-0123<script>', vouch_ref: 'URBANYOGAK3|1790499600; admin=1' };
  assert.deepEqual(checkout('woocommerce_checkout_create_order', hostile).meta, {});
  assert.deepEqual(checkout('woocommerce_checkout_create_order', { vouch_ref: ['URBANYOGAK3|1'] }).meta, {});
  assert.deepEqual(checkout('woocommerce_checkout_create_order', {}).meta, {});
});

let ws;
let server;
before(async () => {
  ws = workspace();
  server = await startServer(ws, ['--woocommerce-secret', 'plugin-test-secret']);
});
after(async () => {
  await server?.stop();
  ws?.cleanup();
});

test('an order with the plugin\'s meta, sent as WooCommerce sends it, credits the referral\'s creator', async () => {
  const { meta } = checkout('woocommerce_checkout_create_order', COOKIES);
  // No coupon: the credit comes from the referral touch (2026-09-27T09:00:00Z,
  // URBANYOGAK3 = inf-3) within 30 days of the order (2026-10-03).
  const order = woo.order({ id: 5120, lines: [{ sku: 'sku-3', quantity: 1, subtotal: '138.99', total: '138.99' }], meta });
  const d = woo.delivery('order.created', order, { secret: 'plugin-test-secret' });
  const res = await fetch(`${server.base}/v1/integrations/woocommerce/webhooks`, { method: 'POST', headers: d.headers, body: d.body });
  assert.deepEqual(await res.json(), { order_id: '5120', result: 'created' });
  const row = (await report(server.base)).body.influencers.find((r) => r.influencer === 'inf-3');
  // 10% of 138.99 = 13.899, so 13.90.
  assert.deepEqual(row.verified, { commission: 13.9, orders: 1, revenue: 138.99 });
  assert.equal(row.clicks, 1);
});
