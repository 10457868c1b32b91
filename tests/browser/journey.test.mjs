// Shopper journeys through the demo store, end to end: what the shopper sees
// and what the server acknowledged storing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { openContext, shadowText, useDemoStore, waitFor } from './support/harness.mjs';

const store = useDemoStore();

async function buy(page, productId, qty, coupon) {
  await page.goto(`${store.server.url}/demo/product.html?id=${productId}`);
  await page.fill('#qty', String(qty));
  await page.click('#add');   // waits until the shop enables it
  await page.waitForSelector('#status:not(:empty)');
  await page.goto(`${store.server.url}/demo/checkout.html`);
  await page.waitForSelector('#summary-lines .line');
  if (coupon) await page.fill('input[name=coupon]', coupon);
  await Promise.all([page.waitForURL(/thank-you/), page.click('#place')]);
}

test('a shopper who arrives through a creator link and buys yields one conversion credited to that creator', async () => {
  const { context, log, acceptedOfType } = await openContext(store.browser, store.server);
  const page = await context.newPage();
  const landedAt = Date.now();

  // inf-17 is @sunnyhikingezra17 with code SUNNYHIKIN17 in the seed-1 feed.
  await page.goto(`${store.server.url}/demo/?ref=SUNNYHIKIN17`);
  const picks = await waitFor(async () => {
    const text = await shadowText(page, '[data-vouch=influencer-picks]');
    return text.includes('Recommended by') && text;
  }, 'the creator welcome');
  assert.match(picks, /Recommended by @sunnyhikingezra17/);

  const cookie = (await context.cookies()).find((c) => c.name === 'vouch_ref');
  assert.ok(cookie, 'vouch_ref cookie set');
  assert.match(cookie.value, /^SUNNYHIKIN17%7C\d+$/);
  assert.equal(cookie.sameSite, 'Lax');
  await waitFor(() => acceptedOfType('touch').length === 1, 'the touch event');
  assert.equal(acceptedOfType('touch')[0].code, 'SUNNYHIKIN17');

  // A shopper browses for a while; a purchase seconds after the click would
  // rightly be flagged as click injection by the engine.
  await page.goto(`${store.server.url}/demo/collection.html`);
  await page.waitForSelector('#grid .product-card');
  await page.waitForTimeout(Math.max(0, 11000 - (Date.now() - landedAt)));

  // sku-1 Ridgeline Waterproof Boot costs 103.99: 2 x 103.99 = 207.98.
  const requested = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  await buy(page, 'sku-1', 2);
  const [conversion] = await waitFor(() => acceptedOfType('conversion').length && acceptedOfType('conversion'), 'the conversion');
  assert.equal(conversion.order.value, 207.98);
  assert.equal(conversion.order.currency, 'USD');
  assert.deepEqual(conversion.order.items, [{ product: 'sku-1', qty: 2, price: 103.99 }]);
  // The order and the touch's code: the server's attribution credits it.
  assert.equal(conversion.credits, undefined);
  assert.ok(conversion.touches.some((t) => t.code === 'SUNNYHIKIN17' && t.influencer === null && t.source === 'link'));
  // The order page costs the loader and the widget: no engine, no document, no roster.
  const thankYou = requested.slice(requested.lastIndexOf('/demo/thank-you.html'));
  assert.ok(thankYou.includes('/vouch-widget.js'), thankYou.join(' '));
  assert.deepEqual(thankYou.filter((path) => /engine|\.wasm|^\/v1\/(products|badges|store|admin)/.test(path)), []);

  // No personal data: the e-mail travels only as its SHA-256 hash.
  const hash = createHash('sha256').update('shopper@example.com').digest('hex');
  assert.equal(conversion.order.customer, hash);
  const everything = JSON.stringify(log.sent);
  assert.ok(!everything.includes('shopper@example.com') && !everything.includes('Sam Shopper') && !everything.includes('1 Trail Way'));

  // Reloading the thank-you page does not count the order twice.
  await page.reload();
  await page.waitForTimeout(2500);
  assert.equal(acceptedOfType('conversion').length, 1);
  // What the server stored: one browser order, and its own attribution over
  // the stored touches and orders credits it to inf-17.
  const summary = await store.server.admin('/v1/admin/events/summary');
  assert.deepEqual(summary.orders, { browser: 1, server: 0, total: 1 });
  assert.equal(summary.events.by_type.conversion, 1);
  const report = await store.server.admin('/v1/reports/influencers');
  const credited = report.influencers.filter((row) => row.orders > 0)
    .map((row) => ({ influencer: row.influencer, orders: row.orders, revenue: row.revenue }));
  assert.deepEqual(credited, [{ influencer: 'inf-17', orders: 1, revenue: 207.98 }]);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a creator coupon at checkout is carried in the order and credits that creator', async () => {
  const { context, acceptedOfType } = await openContext(store.browser, store.server);
  const page = await context.newPage();
  // sku-5 Dewdrop Hydrating Serum is 52.99; inf-1's code is SLOWSKINCA1.
  await buy(page, 'sku-5', 1, 'slowskinca1');
  const [conversion] = await waitFor(() => acceptedOfType('conversion').length && acceptedOfType('conversion'), 'the conversion');
  assert.equal(conversion.order.coupon, 'SLOWSKINCA1');
  assert.equal(conversion.order.value, 52.99);
  assert.deepEqual(conversion.touches, []);
  const report = await store.server.admin('/v1/reports/influencers');
  const row = report.influencers.find((r) => r.influencer === 'inf-1');
  assert.deepEqual({ orders: row.orders, revenue: row.revenue }, { orders: 1, revenue: 52.99 });
  await context.close();
});

test('the product page shows the rating summary, review cards, helpful votes and See all with sorting and pages', async () => {
  const { context, acceptedOfType } = await openContext(store.browser, store.server);
  const page = await context.newPage();
  await page.goto(`${store.server.url}/demo/product.html?id=sku-1`);
  const proof = page.locator('[data-vouch=social-proof]');
  await proof.locator('.summary').waitFor();
  const text = await shadowText(page, '[data-vouch=social-proof]');
  assert.match(text, /Customer reviews/);
  assert.match(text, /See all \d+ reviews/);

  const helpful = proof.locator('button.helpful').first();
  await helpful.click();
  assert.match(await helpful.textContent(), /^Thanks!/);
  assert.equal(await helpful.isDisabled(), true);
  await waitFor(() => acceptedOfType('helpful_vote').length === 1, 'the helpful vote');
  await waitFor(() => acceptedOfType('impression').some((e) => e.placement === 'social-proof' && e.product === 'sku-1'), 'an impression');

  // The button's count is the dialog's: sku-1 has rated reviews and posts
  // without a rating, so the summary's count (rated only) is smaller.
  const seeAll = proof.locator('button', { hasText: /^See all/ });
  const announced = Number((await seeAll.textContent()).match(/^See all ([\d,]+)/)[1].replace(/,/g, ''));
  assert.match(await seeAll.textContent(), /^See all \d+ reviews and posts$/);
  await seeAll.click();
  const dialog = proof.locator('dialog[open]');
  await dialog.waitFor();
  assert.match(await dialog.locator('nav').textContent(), /Page 1 of \d+/);
  assert.equal(Number((await dialog.locator('nav').textContent()).match(/· ([\d,]+) results/)[1].replace(/,/g, '')), announced);
  // On page 1 "Previous" is disabled and must look it: at most half as opaque
  // as the enabled "Next" (it used to be 0.8, hard to tell apart).
  const opacity = (name) => dialog.locator('nav button', { hasText: name })
    .evaluate((b) => Number(getComputedStyle(b).opacity));
  assert.equal(await dialog.locator('nav button', { hasText: 'Previous' }).isDisabled(), true);
  assert.ok(await opacity('Previous') <= 0.5 * await opacity('Next'), 'a disabled button looks disabled');
  // Each page is the engine's answer to a message (it runs in a worker): wait for it.
  await dialog.locator('button', { hasText: 'Next' }).click();
  await dialog.locator('nav', { hasText: /Page 2 of/ }).waitFor();
  await dialog.locator('select[aria-label="Sort reviews"]').selectOption('lowest');
  await dialog.locator('nav', { hasText: /Page 1 of/ }).waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' }).catch(() => {});
  assert.equal(await proof.locator('dialog[open]').count(), 0);

  const jsonLd = JSON.parse(await page.$eval('script[type="application/ld+json"]', (s) => s.textContent));
  assert.equal(jsonLd['@type'], 'Product');
  assert.equal(jsonLd.name, 'Ridgeline Waterproof Boot');
  assert.equal(jsonLd.aggregateRating['@type'], 'AggregateRating');
  assert.ok(jsonLd.aggregateRating.reviewCount > 0);
  assert.ok(Array.isArray(jsonLd.review) && jsonLd.review.length > 0);
  await context.close();
});
