// Every demo page at desktop and phone widths: axe-core finds no serious or
// critical accessibility violation (inside the placements' shadow roots too),
// and a screenshot of each is saved to var/screenshots/ to be looked at.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { ROOT, SCREENSHOTS, openContext, useDemoStore } from './support/harness.mjs';

const store = useDemoStore();
const axeSource = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

before(() => {
  mkdirSync(SCREENSHOTS, { recursive: true });
});

async function seriousViolations(page) {
  await page.evaluate(axeSource);   // evaluated over CDP: not subject to the page's CSP
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

const PAGES = [
  ['home', '/demo/?ref=SUNNYHIKIN17', '[data-vouch=influencer-picks] .pick'],
  ['collection', '/demo/collection.html', '[data-vouch=rating-badge] .rating'],
  ['product', '/demo/product.html?id=sku-1', '[data-vouch=social-proof] .summary'],
  ['cart', '/demo/cart.html', '#lines tr'],
  ['checkout', '/demo/checkout.html', '#summary-lines .line'],
];

for (const [width, height, label, colorScheme] of [[1280, 900, 'desktop', 'light'], [390, 844, 'phone', 'light'], [1280, 900, 'desktop-dark', 'dark']]) {
  test(`the demo pages on ${label} have no serious accessibility violations and are captured`, async () => {
    const { context, log } = await openContext(store.browser, store.server, { viewport: { width, height }, colorScheme });
    const page = await context.newPage();
    await page.goto(`${store.server.url}/demo/`);
    await page.evaluate(() => localStorage.setItem('trailco:cart', JSON.stringify([{ id: 'sku-1', qty: 1 }, { id: 'sku-12', qty: 2 }])));
    const problems = [];
    for (const [name, path, ready] of PAGES) {
      if (label === 'desktop-dark' && name !== 'home' && name !== 'product') continue;
      await page.goto(store.server.url + path);
      await page.locator(ready).first().waitFor();
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));   // lazy images
      await page.waitForTimeout(400);
      await page.evaluate(() => window.scrollTo(0, 0));
      problems.push(...(await seriousViolations(page)).map((v) => `${name}: ${v}`));
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${label}.png`), fullPage: true });
      if (name === 'product') {
        await page.locator('[data-vouch=social-proof] button', { hasText: /^See all/ }).click();
        await page.locator('[data-vouch=social-proof] dialog[open] .card').first().waitFor();
        problems.push(...(await seriousViolations(page)).map((v) => `see-all: ${v}`));
        await page.screenshot({ path: join(SCREENSHOTS, `see-all-${label}.png`) });
        await page.keyboard.press('Escape');
      }
    }
    if (label !== 'desktop-dark') {
      await page.goto(`${store.server.url}/demo/checkout.html`);
      await page.locator('#summary-lines .line').first().waitFor();
      await Promise.all([page.waitForURL(/thank-you/), page.click('#place')]);
      await page.waitForTimeout(400);
      problems.push(...(await seriousViolations(page)).map((v) => `thank-you: ${v}`));
      // The page's text keeps the site's 20 px gutter (.wrap) at every width:
      // at 390 px a line of the message used to run from x = 0 to x = 390.
      const offGutter = await page.evaluate(() => [...document.querySelectorAll('.thanks > *')]
        .map((e) => [e.tagName, e.getBoundingClientRect()])
        .filter(([, r]) => r.left < 20 || r.right > document.documentElement.clientWidth - 20)
        .map(([tag, r]) => `${tag} ${Math.round(r.left)}..${Math.round(r.right)}`));
      problems.push(...offGutter.map((e) => `thank-you outside the gutter: ${e}`));
      await page.screenshot({ path: join(SCREENSHOTS, `thank-you-${label}.png`), fullPage: true });
    }
    assert.deepEqual(problems, []);
    assert.deepEqual(log.errors, []);
    await context.close();
  });
}
