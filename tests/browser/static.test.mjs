// A store without `vouch serve` for its shoppers' data (docs/server.md,
// "Static hosting"): `vouch export` writes the public documents, a plain
// static file server (no Vouch code: files by path, a type by extension)
// serves them beside the built widget, and the widget fills every placement
// from them. Pages past the first are what such a store does without
// (data-pages="off"): the dialog shows the first page of each order.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, SCREENSHOTS, cleanup, demoFeed, exportDocuments, launch, shadowText, tempDir, waitFor } from './support/harness.mjs';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml' };

let dir;
let server;
let url;
let browser;

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A statically hosted shop</title>
<style>
  body { font-family: Georgia, serif; margin: 0 auto; max-width: 900px; padding: 16px; }
  [data-vouch="social-proof"] { display: block; min-height: var(--vouch-social-proof-height, 600px); }
  [data-vouch="influencer-picks"] { display: block; min-height: var(--vouch-picks-height, 470px); }
  [data-vouch="rating-badge"] { display: inline-block; min-width: 9em; min-height: 1.5em; vertical-align: middle; }
</style>
<script src="/vouch.js" data-documents="/v1/" data-pages="off" data-consent="required" async></script>
</head><body>
<h1>Ridgeline Waterproof Boot</h1>
<span data-vouch="rating-badge" data-product="sku-1"></span>
<div data-vouch="influencer-picks"></div>
<div data-vouch="social-proof" data-product="sku-1"></div>
</body></html>`;

before(async () => {
  dir = tempDir();
  const root = join(dir, 'site');
  mkdirSync(root, { recursive: true });
  exportDocuments(root, demoFeed(dir));
  for (const file of ['vouch.js', 'vouch-widget.js', 'vouch-engine-worker.js', 'storefront-engine.js', 'vouch-storefront.wasm']) {
    assert.ok(existsSync(join(ROOT, 'web/dist', file)), `web/dist/${file} (build the web and wasm first)`);
    copyFileSync(join(ROOT, 'web/dist', file), join(root, file));
  }
  writeFileSync(join(root, 'index.html'), PAGE);
  // The plainest static server: a file for a path, or 404.
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path.endsWith('/') ? path + 'index.html' : path);
    if (req.method !== 'GET' || !file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done()));
  if (dir) cleanup(dir);
});

test('the widget fills every placement from exported documents on a plain static server', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const requested = [];
  const errors = [];
  page.on('request', (request) => requested.push(request.url()));
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${url}/`);
  const proof = page.locator('[data-vouch=social-proof]');
  await proof.locator('.summary').waitFor();
  await page.locator('[data-vouch=influencer-picks] .pick').first().waitFor();
  await page.locator('[data-vouch=rating-badge] .rating').waitFor();
  assert.match(await shadowText(page, '[data-vouch=social-proof]'), /See all \d+ reviews/);
  assert.ok(await proof.locator('.rail li').count() >= 2);

  // See all: the first page of each order, computed here; no further pages.
  await proof.locator('button', { hasText: /^See all/ }).click();
  const dialog = proof.locator('dialog[open]');
  await dialog.locator('.list li').first().waitFor();
  assert.equal(await dialog.locator('.list li').count(), 10);
  assert.match(await dialog.locator('nav span').textContent(), /^The first 10 of \d+ results$/);
  assert.equal(await dialog.locator('nav button', { hasText: 'Next' }).isDisabled(), true);
  const first = await dialog.locator('.list li h3').allTextContents();
  await dialog.locator('select[aria-label="Sort reviews"]').selectOption('lowest');
  await waitFor(async () => JSON.stringify(await dialog.locator('.list li h3').allTextContents()) !== JSON.stringify(first),
    'the lowest-rated first page');
  assert.match((await dialog.locator('.list li h3').allTextContents())[0], /Not for me|Disappointed/);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'static-see-all-desktop.png') });

  // Only the static site was asked, and only for files it has.
  assert.deepEqual(requested.filter((u) => !u.startsWith(url) && !u.startsWith('blob:')), []);
  const paths = requested.filter((u) => u.startsWith(url)).map((u) => new URL(u).pathname);
  assert.ok(paths.includes('/v1/products/sku-1.json') && paths.includes('/v1/store.json') && paths.includes('/v1/badges/sku-1.json'));
  assert.ok(paths.includes('/v1/products/sku-1/reviews.json'), 'See all loads the reviews document');
  assert.ok(!paths.some((p) => p.includes('/social-proof') || p === '/v1/feed'), paths.join(' '));
  assert.deepEqual(errors, []);
  await context.close();
});
