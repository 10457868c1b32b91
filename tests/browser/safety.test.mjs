// The widget never harms the host page: hostile user content stays text,
// a broken feed leaves the placements empty (layout.test.mjs: rendering shifts nothing).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { openContext, useDemoStore, waitFor } from './support/harness.mjs';

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

// Markup as a handle: no platform allows one, so the engine refuses the feed
// (docs/feed.md, "Identifiers") before the widget could show it.
function markupHandleFeed() {
  const feed = demo();
  feed.influencers[0].handle = HANDLE;
  return JSON.stringify(feed);
}

// A feed whose URLs the widget must never render: the engine refuses it whole.
function unsafeUrlFeed() {
  const feed = demo();
  const item = feed.ugc.find((u) => u.product === 'sku-1' && u.status === 'published');
  item.media = [{ type: 'image', url: `javascript:${PWN}`, alt: 'x' }];
  feed.endorsements[0].media = `data:text/html,<script>${PWN}</script>`;
  return JSON.stringify(feed);
}

function overlongFeed() {
  const feed = demo();
  feed.ugc[0].body = 'W'.repeat(200000);
  return JSON.stringify(feed);
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
  const body = hostileFeed();
  await context.route('**/v1/feed', (route) => route.fulfill({ contentType: 'application/json', body }));
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
  ['a feed that is not JSON', () => json('{"version": 1, "products": ['), /feed\.parse_error at /],
  ['a missing feed (404)', () => ({ status: 404, body: 'not found' }), /^feed http:\/\/127\.0\.0\.1:\d+\/v1\/feed answered HTTP 404$/],
  ['a feed of the wrong shape', () => json('{"products": 7}'), /^feed\.\w+ at \//],
  ['a feed with javascript: and data: URLs', () => json(unsafeUrlFeed()), /^feed\.invalid_url at \/endorsements\/0\/media: endorsements\[0\]\.media must be an http\(s\) URL .* \(and 1 more\)$/],
  ['a feed with a 200 KB review', () => json(overlongFeed()), /^feed\.string_too_long at \/ugc\/0\/body: /],
  ['a feed with markup as a handle', () => json(markupHandleFeed()),
    /^feed\.invalid_value at \/influencers\/0\/handle: influencers\[0\]\.handle must be \d+ to \d+ letters, .*, got "<svg onload=/],
]) {
  test(`with ${name} the host page is unaffected and the placements stay empty`, async () => {
    const { context, log } = await openContext(store.browser, store.server);
    const answer = fulfill();
    await context.route('**/v1/feed', (route) => route.fulfill(answer));
    const page = await context.newPage();
    await page.goto(`${store.server.url}/fixtures/plain.html`);
    await waitFor(() => log.console.some((line) => line.includes('vouch:')), 'the one warning');
    await page.waitForTimeout(500);
    assert.deepEqual(log.errors, []);
    assert.equal(await page.textContent('#heading'), 'Ridgeline Waterproof Boot');
    await page.click('#host-button');
    const state = await page.evaluate(() => [...document.querySelectorAll('[data-vouch]')].map((el) => ({
      display: getComputedStyle(el).display, text: el.shadowRoot ? el.shadowRoot.textContent : '' })));
    assert.deepEqual(state, [{ display: 'none', text: '' }, { display: 'none', text: '' }, { display: 'none', text: '' }]);
    const lines = log.console.filter((line) => line.includes('vouch:'));
    assert.equal(lines.length, 1, lines.join('\n'));
    const prefix = 'warning: vouch: social proof is unavailable: ';
    assert.ok(lines[0].startsWith(prefix), lines[0]);
    assert.match(lines[0].slice(prefix.length), reason);
    await context.close();
  });
}
