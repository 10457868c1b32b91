// The web pixel (integrations/shopify/extensions/vouch-pixel) in node, under
// a harness that provides the sandbox API Shopify documents for app pixels
// (shopify.dev, Web Pixels API: register's api object with analytics.subscribe,
// browser.cookie.get / browser.localStorage.getItem returning promises,
// init.customerPrivacy, customerPrivacy.subscribe('visitorConsentCollected'),
// settings; @shopify/web-pixels-extension's register() calls the global
// shopify.extend('WebPixel::Render', ...)). It is fed a checkout_completed
// event shaped as Shopify documents it (standard event checkout_completed,
// PixelEventsCheckoutCompleted and its Checkout) and must POST the right
// conversion, and nothing without consent. Then the POSTed conversion and
// Shopify's order webhook for the same order go to a real server: one order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { workspace, startServer, summary, report } from '../server/harness.mjs';
import * as shopify from './fixtures/shopify.mjs';

const PIXEL = new URL('../../integrations/shopify/extensions/vouch-pixel/src/index.js', import.meta.url);
const SERVER = 'https://vouch.example.com';

// The documented checkout_completed event (values ours).
function checkoutCompleted(orderId) {
  const usd = (amount) => ({ amount, currencyCode: 'USD' });
  const line = (id, sku, title, price, quantity) => ({
    discountAllocations: [], finalLinePrice: usd(price * quantity), id: `gid://shopify/CheckoutLineItem/${id}`,
    properties: [], quantity, sellingPlanAllocation: null, title,
    variant: {
      id: `gid://shopify/ProductVariant/${id}0`, image: { src: 'https://cdn.shopify.com/s/files/boot.jpg' }, price: usd(price),
      product: { id: `gid://shopify/Product/${id}00`, title, type: 'Footwear', untranslatedTitle: title, url: '/products/boot', vendor: 'Trail & Co' },
      sku, title: 'Default Title', untranslatedTitle: 'Default Title',
    },
  });
  return {
    id: 'sh-88e2a1c4-0E8B-4F2A-6E4B-6B2B6A1D2A3F', clientId: 'e3c1f1f0-3f1c-4c4f-9a7e-1c2d3e4f5a6b',
    name: 'checkout_completed', seq: 3, timestamp: '2026-10-02T17:00:05.123Z', type: 'standard',
    context: { document: { location: { href: 'https://trail-and-co.example/checkouts/cn/abc/thank-you' }, referrer: '', title: 'Thank you' } },
    data: {
      checkout: {
        attributes: [{ key: '_vouch_vid', value: 'v-111111111111111111111111' }],
        billingAddress: null, buyerAcceptsEmailMarketing: false, buyerAcceptsSmsMarketing: false, currencyCode: 'USD',
        delivery: null,
        discountApplications: [{ allocationMethod: 'ACROSS', targetSelection: 'ALL', targetType: 'LINE_ITEM',
          title: 'NORTHYOGAK2', type: 'DISCOUNT_CODE', value: usd(20) }],
        discountsAmount: usd(20), email: 'jon@example.com',
        lineItems: [line(1, 'sku-1', 'Ridgeline Boot', 103.99, 1), line(2, 'sku-2', 'Summit Pack', 215.99, 2)],
        localization: { country: { isoCode: 'US' }, language: { isoCode: 'en' }, market: { handle: 'us', id: 'gid://shopify/Market/1' } },
        order: { customer: { id: 'gid://shopify/Customer/115310627314723954', isFirstOrder: true }, id: orderId },
        phone: null, shippingAddress: null, shippingLine: null, smsMarketingPhone: null,
        // 103.99 + 2 × 215.99 - 20.00
        subtotalPrice: usd(515.97), token: 'b1946ac92492d2347c6235b4d2611184', totalPrice: usd(525.97), totalTax: usd(0),
        transactions: [],
      },
    },
  };
}

// The sandbox: one pixel instance per call, with its own storage and privacy state.
async function sandbox({ consent, cookies = {}, local = {} }) {
  const subscribers = new Map();
  const privacySubscribers = [];
  const posts = [];
  let extension;
  globalThis.shopify = { extend(point, fn) { assert.equal(point, 'WebPixel::Render'); extension = fn; } };
  const sandboxFetch = async (url, options) => { posts.push({ url, ...options, events: JSON.parse(options.body).events }); return new Response('{}'); };
  // A fresh copy of the module, so that each sandbox registers its own pixel.
  await import(`${PIXEL.href}?sandbox=${Math.random()}`);
  const privacy = (allowed) => ({ analyticsProcessingAllowed: allowed, marketingAllowed: allowed,
    preferencesProcessingAllowed: false, saleOfDataAllowed: false });
  extension({
    settings: { serverUrl: `${SERVER}/` },
    analytics: { subscribe: (name, cb) => { subscribers.set(name, cb); return () => subscribers.delete(name); } },
    browser: {
      cookie: { get: async (name) => cookies[name] ?? '', set: async () => '' },
      localStorage: { getItem: async (key) => local[key] ?? null, setItem: async () => {}, removeItem: async () => {} },
      sessionStorage: { getItem: async () => null },
      sendBeacon: async () => true,
    },
    init: { context: {}, data: { customer: null, cart: null, shop: { name: 'Trail & Co' } }, customerPrivacy: privacy(consent) },
    customerPrivacy: { subscribe: (name, cb) => { assert.equal(name, 'visitorConsentCollected'); privacySubscribers.push(cb); } },
  });
  return {
    posts,
    // The sandbox's fetch while the pixel works; node's again afterwards.
    async completed(event) {
      const nodeFetch = globalThis.fetch;
      globalThis.fetch = sandboxFetch;
      try { await subscribers.get('checkout_completed')(event); } finally { globalThis.fetch = nodeFetch; }
    },
    decide(allowed) { for (const cb of privacySubscribers) cb({ customerPrivacy: privacy(allowed) }); },
  };
}

const STORED = {
  cookies: { vouch_vid: 'v-0123456789abcdef01234567', vouch_ref: 'SLOWSKINCA1|1790499600' },   // 2026-09-27T09:00:00Z
  local: {
    'vouch:visitor': JSON.stringify('v-0123456789abcdef01234567'),
    'vouch:touches': JSON.stringify([{ code: 'URBANYOGAK3', at: '2026-09-20T08:30:00Z', source: 'link', landing: '/products/pack' }]),
  },
};

test('with consent the pixel POSTs the order, its lines and code, the visitor and the stored touches', async () => {
  const pixel = await sandbox({ consent: true, ...STORED });
  await pixel.completed(checkoutCompleted('gid://shopify/OrderIdentity/5764435689800'));
  assert.equal(pixel.posts.length, 1);
  const [post] = pixel.posts;
  assert.equal(post.url, `${SERVER}/v1/events`);
  assert.equal(post.method, 'POST');
  assert.equal(post.keepalive, true);
  const visitor = 'v-0123456789abcdef01234567';
  assert.deepEqual(post.events, [{
    id: 'e-shopify-5764435689800', type: 'conversion', at: '2026-10-02T17:00:05Z', visitor,
    order: { order_id: '5764435689800', value: 515.97, currency: 'USD',
      items: [{ product: 'sku-1', qty: 1, price: 103.99 }, { product: 'sku-2', qty: 2, price: 215.99 }],
      coupon: 'NORTHYOGAK2', customer: null },
    touches: [
      { visitor, influencer: null, code: 'URBANYOGAK3', at: '2026-09-20T08:30:00Z', source: 'link', landing: '/products/pack' },
      { visitor, influencer: null, code: 'SLOWSKINCA1', at: '2026-09-27T09:00:00Z', source: 'link', landing: null },
    ],
  }]);
});

test('with consent refused the pixel POSTs nothing, until the shopper grants it', async () => {
  const pixel = await sandbox({ consent: false, ...STORED });
  await pixel.completed(checkoutCompleted('5764435689801'));
  assert.deepEqual(pixel.posts, []);
  pixel.decide(true);
  await pixel.completed(checkoutCompleted('5764435689802'));
  assert.deepEqual(pixel.posts.map((p) => p.events[0].order.order_id), ['5764435689802']);
  pixel.decide(false);
  await pixel.completed(checkoutCompleted('5764435689803'));
  assert.equal(pixel.posts.length, 1);
});

test('without the loader\'s cookies the cart attribute names the visitor; without any, a fresh id', async () => {
  const pixel = await sandbox({ consent: true });
  await pixel.completed(checkoutCompleted('5764435689804'));
  assert.equal(pixel.posts[0].events[0].visitor, 'v-111111111111111111111111');
  assert.deepEqual(pixel.posts[0].events[0].touches, []);
  const bare = await sandbox({ consent: true });
  const event = checkoutCompleted('5764435689805');
  event.data.checkout.attributes = [];
  await bare.completed(event);
  assert.match(bare.posts[0].events[0].visitor, /^v-[0-9a-f]{24}$/);
});

let ws;
let server;
before(async () => {
  ws = workspace();
  server = await startServer(ws, ['--shopify-secret', 'pixel-test-secret']);
});
after(async () => {
  await server?.stop();
  ws?.cleanup();
});

test('the pixel\'s conversion and Shopify\'s order webhook for the same order count once', async () => {
  const pixel = await sandbox({ consent: true, ...STORED });
  await pixel.completed(checkoutCompleted('gid://shopify/OrderIdentity/5764435689810'));
  const sent = await fetch(`${server.base}/v1/events`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: pixel.posts[0].body });
  assert.deepEqual((await sent.json()).accepted, ['e-shopify-5764435689810']);
  assert.deepEqual((await summary(server.base)).orders, { browser: 1, server: 0, total: 1 });
  const order = shopify.order({ id: 5764435689810, subtotal: '515.97', codes: ['NORTHYOGAK2'],
    lines: [{ sku: 'sku-1', price: '103.99', quantity: 1 }, { sku: 'sku-2', price: '215.99', quantity: 2 }],
    attributes: { _vouch_vid: 'v-0123456789abcdef01234567' } });
  const d = shopify.delivery('orders/paid', order, { secret: 'pixel-test-secret' });
  const res = await fetch(`${server.base}/v1/integrations/shopify/webhooks`, { method: 'POST', headers: d.headers, body: d.body });
  assert.deepEqual(await res.json(), { order_id: '5764435689810', result: 'replaced_browser' });
  assert.deepEqual((await summary(server.base)).orders, { browser: 0, server: 1, total: 1 });
  // One verified order of 515.97 for NORTHYOGAK2's creator (the coupon beats the link touches).
  const row = (await report(server.base)).body.influencers.find((r) => r.influencer === 'inf-2');
  assert.deepEqual(row.verified, { commission: 51.6, orders: 1, revenue: 515.97 });
});
