// The widget never harms the host page: hostile user content stays text,
// a broken document leaves its placement empty (layout.test.mjs: rendering
// shifts nothing).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { exportDocuments, openContext, useDemoStore, waitFor, writeFeed } from './support/harness.mjs';

const store = useDemoStore();

const PWN = 'window.__pwned = (window.__pwned || 0) + 1';
const HANDLE = `<svg onload="${PWN}">`;

const demo = () => JSON.parse(readFileSync(store.feedPath, 'utf8'));

// Markup in every text field the widget shows, and the longest strings the
// engine accepts (64 KiB each; it refuses longer ones, see below). Reviews
// whose title or body carry script (a <script> element, an event handler)
// never reach the widget: moderation excludes them (docs/social-proof.md);
// here every other one does, so the reviews shown carry markup without
// script, and the fields moderation does not judge (author names, handles,
// alt texts, quotes) carry live handlers.
function hostileFeed() {
  const feed = demo();
  const huge = 'Wx'.repeat(30000);  // no character five times in a row: that alone would add a spam point
  feed.ugc.filter((u) => u.product === 'sku-1').forEach((u, i) => {
    u.status = 'published';
    if (i === 0) {   // fresh and verified: the engine shows it first
      u.at = new Date().toISOString().slice(0, 19) + 'Z';
      u.author.verified_buyer = true;
      u.media = [{ type: 'image', url: '/demo/img/hiking-1.svg', alt: '' }];
    }
    u.helpful = 1000 - i;
    u.title = i % 2 === 0 ? '<img src=x>Great boots' : `<img src=x onerror="${PWN}">Great boots`;
    // Each keeps its own words, or the engine would collapse them as near-duplicates.
    const text = i === 0 ? `My notes from a whole season of weekend trips, written down in full: ${huge}` : u.body;
    u.body = i % 2 === 0 ? `<b>bold</b> ${text}` : `<script>${PWN}</script><b onmouseover="${PWN}">bold</b> ${text}`;
    u.author.name = `"><svg onload="${PWN}">`;
    for (const m of u.media || []) m.alt = `" onerror="${PWN}`;
  });
  for (const e of feed.endorsements.filter((x) => x.product === 'sku-1')) {
    e.quote = `</blockquote><script>${PWN}</script>` + 'Q'.repeat(50000);
  }
  return JSON.stringify(feed);
}

// The documents of a feed, as the server would publish them, served to the
// page instead of the server's own (a tampered CDN, a broken upload).
function documentsOf(feedText) {
  const dir = mkdtempSync(join(store.dir, 'docs-'));
  return exportDocuments(dir, writeFeed(dir, 'feed.json', feedText));
}

async function serveDocuments(context, root) {
  await context.route(/\/v1\/(store\.json|products\/[^/]+\.json|products\/[^/]+\/reviews\.json|badges\/[^/]+\.json)$/, (route) => {
    const path = new URL(route.request().url()).pathname.replace(/^\/v1\//, '');
    route.fulfill({ contentType: 'application/json', body: readFileSync(join(root, path)) });
  });
}

// sku-1's document as exported, then altered the way an attacker or an
// accident would: the engine refuses it whole.
function productDocument(change) {
  const doc = JSON.parse(readFileSync(join(documentsOf(JSON.stringify(demo())), 'products', 'sku-1.json'), 'utf8'));
  change(doc);
  return JSON.stringify(doc);
}

// Every link and media URL inside the placements, and any element that must not be there.
const inspect = (page) => page.evaluate(() => {
  const urls = [];
  const forbidden = [];
  for (const host of document.querySelectorAll('[data-vouch]')) {
    const root = host.shadowRoot;
    if (!root) continue;
    for (const el of root.querySelectorAll('[href],[src]')) urls.push(el.getAttribute('href') || el.getAttribute('src'));
    for (const el of root.querySelectorAll('script,iframe,object,embed,b,svg[onload],[onerror],[onload],[onmouseover]')) forbidden.push(el.outerHTML.slice(0, 80));
  }
  const proof = document.querySelector('[data-vouch=social-proof]').getBoundingClientRect();
  return { urls, forbidden, pwned: window.__pwned || 0, proofHeight: proof.height, pageWidth: document.documentElement.scrollWidth };
});

test('hostile UGC in the feed is shown as text: nothing executes, no unsafe URL is used, nothing overflows', async () => {
  const { context, log } = await openContext(store.browser, store.server);
  await serveDocuments(context, documentsOf(hostileFeed()));
  const page = await context.newPage();
  await page.goto(`${store.server.url}/fixtures/plain.html`);
  const proof = page.locator('[data-vouch=social-proof]');
  await proof.locator('.card').first().waitFor();
  await proof.locator('.card').first().hover();
  await proof.locator('button', { hasText: /^See all/ }).click();
  await proof.locator('dialog[open] .card').first().waitFor();
  await page.keyboard.press('Escape');

  const seen = await inspect(page);
  assert.equal(seen.pwned, 0);
  assert.deepEqual(seen.forbidden, []);
  assert.ok(seen.urls.every((u) => /^https?:\/\//.test(u)), 'only http(s) URLs: ' + seen.urls.filter((u) => !/^https?:/.test(u)));
  assert.ok(seen.proofHeight <= 601, `the placement keeps its reserved height, got ${seen.proofHeight}`);
  assert.ok(seen.pageWidth <= 1280, `no horizontal overflow, got ${seen.pageWidth}`);
  const cardText = await proof.locator('.card h3').first().textContent();
  assert.equal(cardText, '<img src=x>Great boots');
  const badges = await proof.locator('.card .badge').allTextContents();
  // A creator's review names the creator's handle (letters, digits, "." and "_": docs/feed.md).
  assert.ok(badges.some((b) => /^via @[a-z0-9._]+$/.test(b)), badges.join(' | '));
  const bodies = await proof.locator('.card p.body').allTextContents();
  assert.ok(bodies.some((text) => text.length === 1200 && /(Wx|xW)…$/.test(text)), 'the 60 000-character review is shown cut to 1 200');
  const reviews = bodies.filter((text) => !text.startsWith('“'));  // endorsement quotes open with “
  assert.ok(reviews.length > 0 && reviews.every((text) => text.startsWith('<b>bold</b> ')),
    'the reviews with script were excluded, the others shown as text');
  assert.deepEqual(log.errors, []);
  await context.close();
});

const json = (body) => ({ contentType: 'application/json', body });
for (const [name, fulfill, reason] of [
  ['a document that is not JSON', () => json('{"version": 1, "products": ['), /feed\.parse_error at /],
  ['a missing document (404)', () => ({ status: 404, body: 'not found' }), /^http:\/\/127\.0\.0\.1:\d+\/v1\/products\/sku-1\.json answered HTTP 404$/],
  ['a document of the wrong shape', () => json('{"products": 7}'), /^feed\.\w+ at \//],
  ['a document with javascript: and data: URLs', () => json(productDocument((doc) => {
    doc.ugc[0].media = [{ type: 'image', url: `javascript:${PWN}`, alt: 'x' }];
    doc.endorsements[0].media = `data:text/html,<script>${PWN}</script>`;
  })), /^feed\.invalid_url at \/endorsements\/0\/media: endorsements\[0\]\.media must be an http\(s\) URL .* \(and 1 more\)$/],
  ['a document with a 200 KB review', () => json(productDocument((doc) => { doc.ugc[0].body = 'W'.repeat(200000); })),
    /^feed\.string_too_long at \/ugc\/0\/body: /],
  // Markup as a handle: no platform allows one, so the engine refuses the
  // document (docs/feed.md, "Identifiers") before the widget could show it.
  ['a document with markup as a handle', () => json(productDocument((doc) => { doc.influencers[0].handle = HANDLE; })),
    /^feed\.invalid_value at \/influencers\/0\/handle: influencers\[0\]\.handle must be \d+ to \d+ letters, .*, got "<svg onload=/],
]) {
  test(`with ${name} the host page is unaffected and the placement stays empty`, async () => {
    const { context, log } = await openContext(store.browser, store.server);
    const answer = fulfill();
    await context.route('**/v1/products/sku-1.json', (route) => route.fulfill(answer));
    const page = await context.newPage();
    await page.goto(`${store.server.url}/fixtures/plain.html`);
    await waitFor(() => log.console.some((line) => line.includes('vouch:')), 'the one warning');
    await page.locator('[data-vouch=influencer-picks] .pick').first().waitFor();
    await page.waitForTimeout(500);
    assert.deepEqual(log.errors, []);
    assert.equal(await page.textContent('#heading'), 'Ridgeline Waterproof Boot');
    await page.click('#host-button');
    const proof = await page.evaluate(() => {
      const el = document.querySelector('[data-vouch=social-proof]');
      return { display: getComputedStyle(el).display, text: el.shadowRoot ? el.shadowRoot.textContent : '' };
    });
    assert.deepEqual(proof, { display: 'none', text: '' });
    const lines = log.console.filter((line) => line.includes('vouch:'));
    assert.equal(lines.length, 1, lines.join('\n'));
    const prefix = 'warning: vouch: social proof for "sku-1" is unavailable: ';
    assert.ok(lines[0].startsWith(prefix), lines[0]);
    assert.match(lines[0].slice(prefix.length), reason);
    await context.close();
  });
}

test('with store.json and a badge broken, the picks and the badge stay empty, each with its one warning', async () => {
  const { context, log } = await openContext(store.browser, store.server);
  await context.route('**/v1/store.json', (route) => route.fulfill(json('{"picks": 7}')));
  await context.route('**/v1/badges/sku-1.json', (route) => route.fulfill({ status: 500, body: 'oops' }));
  const page = await context.newPage();
  await page.goto(`${store.server.url}/fixtures/plain.html`);
  await page.locator('[data-vouch=social-proof] .summary').waitFor();
  await waitFor(() => log.console.filter((line) => line.includes('vouch:')).length === 2, 'two warnings');
  const state = await page.evaluate(() => [...document.querySelectorAll('[data-vouch]')].map((el) => getComputedStyle(el).display));
  assert.deepEqual(state, ['none', 'none', 'block']);   // badge, picks, social proof
  const lines = log.console.filter((line) => line.includes('vouch:')).sort();
  assert.match(lines[0], /creator picks is unavailable: http:\/\/127\.0\.0\.1:\d+\/v1\/store\.json holds no picks$/);
  assert.match(lines[1], /the rating badge for "sku-1" is unavailable: http:\/\/127\.0\.0\.1:\d+\/v1\/badges\/sku-1\.json answered HTTP 500$/);
  assert.deepEqual(log.errors, []);
  await context.close();
});
