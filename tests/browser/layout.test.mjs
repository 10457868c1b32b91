// Rendering the placements moves nothing on the host page (CLS exactly 0),
// whatever the shop's font. Each run pins the page's font to one family that
// scripts/setup.sh installs from Debian (fonts-dejavu-core, fonts-liberation2)
// and checks through the DevTools protocol that Chromium really drew the text
// with it, so a machine without the font fails instead of silently testing
// its fallback.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, openContext, useDemoStore } from './support/harness.mjs';

const store = useDemoStore();

// Two families with different metrics (DejaVu's x-height is much larger than
// Liberation's, which matches Times and Arial): the plain page is a serif
// page, the demo store a sans-serif one.
const FONTS = [
  { name: 'DejaVu', serif: 'DejaVu Serif', sans: 'DejaVu Sans' },
  { name: 'Liberation', serif: 'Liberation Serif', sans: 'Liberation Sans' },
];
const SCREENS = [['desktop', 1280, 900], ['phone', 390, 844]];

// The host page's own font, set before anything renders.
async function pinFont(context, family) {
  await context.addInitScript((pinned) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`html body { font-family: "${pinned}" !important; }`);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }, family);
}

// The family Chromium drew the element's text with.
async function platformFonts(context, page, selector) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  await cdp.detach();
  return fonts.map((font) => font.familyName);
}

async function cumulativeShift(page) {
  return page.evaluate(() => new Promise((resolve) => {
    let total = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
    setTimeout(() => resolve(total), 300);
  }));
}

async function waitForPlacements(page, kinds) {
  for (const kind of kinds) await page.locator(`[data-vouch=${kind}] .root > *`).first().waitFor();
  await page.waitForTimeout(500);   // late work (images, the second engine call) would shift now
}

// The badge's rendered content fits the box the page reserved (nothing is cut).
async function badgeFits(page) {
  return page.$$eval('[data-vouch=rating-badge]', (badges) => badges.map((badge) => {
    const box = badge.getBoundingClientRect();
    const rating = badge.shadowRoot.querySelector('.rating');
    return { width: Math.round(box.width), fits: rating.scrollWidth <= rating.clientWidth && rating.scrollHeight <= box.height + 0.5 };
  }));
}

// A page of the shop in its own browser context, its font pinned to `family`.
async function openPinned(family, viewport) {
  const opened = await openContext(store.browser, store.server, { viewport });
  await pinFont(opened.context, family);
  opened.page = await opened.context.newPage();
  return opened;
}

for (const font of FONTS) {
  for (const [screen, width, height] of SCREENS) {
    test(`placements shift nothing in ${font.name} on a ${screen} screen (plain page and demo product page, CLS 0)`, async () => {
      const plain = await openPinned(font.serif, { width, height });
      await plain.page.goto(`${store.server.url}/fixtures/plain.html?ref=SUNNYHIKIN17`);
      await waitForPlacements(plain.page, ['social-proof', 'influencer-picks', 'rating-badge']);
      assert.deepEqual(await platformFonts(plain.context, plain.page, '#heading'), [font.serif]);
      assert.equal(await cumulativeShift(plain.page), 0);
      // 9em of the page's 16px font, whatever the family.
      assert.deepEqual(await badgeFits(plain.page), [{ width: 144, fits: true }]);
      assert.deepEqual(plain.log.errors, []);
      await plain.context.close();

      const demo = await openPinned(font.sans, { width, height });
      await demo.page.goto(`${store.server.url}/demo/product.html?id=sku-3`);
      await waitForPlacements(demo.page, ['social-proof', 'rating-badge']);
      assert.deepEqual(await platformFonts(demo.context, demo.page, 'h1'), [font.sans]);
      assert.equal(await cumulativeShift(demo.page), 0);
      const badges = await badgeFits(demo.page);
      assert.ok(badges.length > 0 && badges.every((badge) => badge.fits), JSON.stringify(badges));
      assert.deepEqual(demo.log.errors, []);
      await demo.context.close();
    });
  }
}

// The snippet most owners copy is the README's: pasted as it is into a plain
// page (only the shop's origin replaced), it must fill the placements and
// shift nothing.
function readmeSnippet(origin) {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Embed the widget'));
  const snippet = /```html\n([\s\S]*?)```/.exec(section)[1];
  assert.ok(snippet.includes('data-vouch="rating-badge"'), 'the first snippet has the placements');
  return snippet.replaceAll('https://shop.example', origin);
}

for (const font of FONTS) {
  test(`the README's snippet, pasted into a plain ${font.name} page, fills the placements with CLS 0`, async () => {
    const { context, log, page: tab } = await openPinned(font.serif, { width: 390, height: 844 });
    const page = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>A shop</title></head>
<body style="font-family: serif; margin: 16px">
<h1 id="heading">Ridgeline Waterproof Boot</h1>
<p>Our best boot for wet trails.</p>
${readmeSnippet(store.server.url)}
<p id="after">The page goes on after the widget.</p>
</body></html>`;
    await context.route('**/fixtures/readme-snippet.html', (route) =>
      route.fulfill({ contentType: 'text/html; charset=utf-8', body: page }));
    await tab.goto(`${store.server.url}/fixtures/readme-snippet.html`);
    await waitForPlacements(tab, ['social-proof', 'influencer-picks', 'rating-badge']);
    assert.deepEqual(await platformFonts(context, tab, '#heading'), [font.serif]);
    assert.equal(await cumulativeShift(tab), 0);
    assert.deepEqual(await badgeFits(tab), [{ width: 144, fits: true }]);
    assert.deepEqual(log.errors, []);
    await context.close();
  });
}
