// The theme app extension's blocks, rendered by liquidjs from fixture
// product, shop, request and block.settings objects (fixtures/theme-render.mjs),
// make a product page on which, in headless Chromium against a real
// `vouch serve`, the widget fills every placement with CLS 0 and axe finds
// nothing serious, and the embed's script puts the visitor id and referral
// into the cart's attributes, only with the shopper's consent (Shopify's
// Customer Privacy API, stubbed as documented).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, openContext, useDemoStore, waitFor } from '../browser/support/harness.mjs';
import { EXT, PRODUCT, buildExtension, productPage } from './fixtures/theme-render.mjs';

buildExtension();

const store = useDemoStore();
const axeSource = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

// A shop on the server's origin (so no --allow-origin is needed): the page,
// the extension's assets as Shopify's CDN serves them, and the cart API.
async function openShop({ consent, embed = {}, blocks = {} }) {
  const { context, log } = await openContext(store.browser, store.server, { viewport: { width: 1280, height: 900 } });
  const cart = { attributes: {}, updates: [] };
  const html = await productPage({ server: store.server.url, assetBase: `${store.server.url}/cdn/extensions/vouch`, embed, blocks });
  await context.route('**/products/ridgeline-waterproof-boot*', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
  await context.route('**/cdn/extensions/vouch/*', (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop();
    route.fulfill({ contentType: name.endsWith('.css') ? 'text/css' : 'text/javascript', body: readFileSync(join(EXT, 'assets', name)) });
  });
  await context.route('**/cart.js', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ token: 'c1', attributes: cart.attributes, items: [] }) }));
  await context.route('**/cart/update.js', (route) => {
    const { attributes } = JSON.parse(route.request().postData());
    cart.updates.push(attributes);
    for (const [key, value] of Object.entries(attributes)) if (value === '') delete cart.attributes[key]; else cart.attributes[key] = value;
    route.fulfill({ contentType: 'application/json', body: JSON.stringify({ attributes: cart.attributes }) });
  });
  // Shopify's Customer Privacy API as the storefront has it once loaded
  // (window.Shopify.loadFeatures, customerPrivacy.analyticsProcessingAllowed / marketingAllowed).
  await context.addInitScript((allowed) => {
    window.Shopify = { routes: { root: '/' }, loadFeatures(features, done) {
      window.Shopify.customerPrivacy = { analyticsProcessingAllowed: () => allowed, marketingAllowed: () => allowed };
      setTimeout(() => done(null), 0);
    } };
  }, consent);
  const tab = await context.newPage();
  return { context, log, cart, tab };
}

async function cumulativeShift(tab) {
  return tab.evaluate(() => new Promise((resolve) => {
    let total = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
    setTimeout(() => resolve(total), 300);
  }));
}

async function seriousViolations(tab) {
  await tab.evaluate(axeSource);
  const result = await tab.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
}

test('on a rendered product page the widget fills the blocks with CLS 0, no serious axe finding, and the cart gets the referral', async () => {
  const { context, log, cart, tab } = await openShop({ consent: true, blocks: { 'influencer-picks': { heading: 'Loved by creators', limit: 3 } } });
  await tab.goto(`${store.server.url}/products/ridgeline-waterproof-boot?ref=SLOWSKINCA1`);
  for (const kind of ['social-proof', 'influencer-picks', 'rating-badge']) {
    await tab.locator(`[data-vouch=${kind}] .root > *`).first().waitFor();
  }
  await tab.waitForTimeout(500);
  assert.equal(await cumulativeShift(tab), 0);
  assert.deepEqual(await seriousViolations(tab), []);
  // The block's heading and its "most items shown" (3 of the demo's 12 picks).
  assert.equal(await tab.locator('#shopify-block-influencer-picks > h2').textContent(), 'Loved by creators');
  assert.equal(await tab.locator('[data-vouch=influencer-picks] .pick').count(), 3);
  await waitFor(() => cart.updates.length > 0, 'the cart attributes');
  assert.match(cart.attributes._vouch_vid, /^v-[0-9a-f]{24}$/);
  assert.match(cart.attributes._vouch_ref, /^SLOWSKINCA1\|\d{10}$/);
  await waitFor(() => log.sent.some((e) => e.type === 'touch'), 'the referral touch');
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('with consent refused in Shopify\'s banner the blocks still fill, and nothing is stored, sent or put in the cart', async () => {
  const { context, log, cart, tab } = await openShop({ consent: false });
  await tab.goto(`${store.server.url}/products/ridgeline-waterproof-boot?ref=SLOWSKINCA1`);
  await tab.locator('[data-vouch=social-proof] .root > *').first().waitFor();
  await tab.waitForTimeout(800);
  assert.deepEqual(cart.updates, []);
  assert.deepEqual(log.sent, []);
  assert.deepEqual(await tab.evaluate(() => document.cookie), '');
  await context.close();
});

test('a feed keyed by Shopify product ids: the embed\'s setting puts the id in data-product before the widget looks', async () => {
  const { context, tab } = await openShop({ consent: true, embed: { product_key: 'id' } });
  await tab.goto(`${store.server.url}/products/ridgeline-waterproof-boot`);
  await tab.waitForLoadState('load');
  assert.deepEqual(await tab.$$eval('[data-vouch][data-product]', (els) => els.map((el) => el.dataset.product)),
    [String(PRODUCT.id), String(PRODUCT.id)]);
  await context.close();
});
