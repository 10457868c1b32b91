// Where the storefront engine runs (docs/widget.md, "Where the engine runs"):
// in a module Worker on the demo product page, so the shop's main thread never
// fetches or compiles the wasm; on the page itself when there can be no
// worker, and the placement is filled either way. Which thread fetched what
// is read from each global's resource timing entries.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openContext, useDemoStore } from './support/harness.mjs';

const store = useDemoStore();

const SUMMARY = '[data-vouch=social-proof] .summary';
const fetched = (global) => global.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
const engineFiles = (urls) => urls.filter((u) => /storefront-engine\.js|vouch-storefront\.wasm/.test(u))
  .map((u) => u.replace(/^https?:\/\/[^/]+/, ''));

// A CDN on another origin that serves web/ (as vouch serve does) with CORS.
const CDN = 'http://cdn.vouch.test';
async function serveFromCdn(context, { csp } = {}) {
  await context.route(`${CDN}/**`, async (route) => {
    const response = await route.fetch({ url: store.server.url + new URL(route.request().url()).pathname });
    await route.fulfill({ response, headers: Object.assign({}, response.headers(), { 'access-control-allow-origin': '*' }) });
  });
  await context.route('**/demo/product.html*', async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace('<script src="/vouch.js" data-endpoint="/v1/events"',
      `<script src="${CDN}/vouch.js" data-documents="${store.server.url}/v1/" data-endpoint="${store.server.url}/v1/events"`);
    assert.ok(html.includes(`${CDN}/vouch.js`), 'the product page has the script tag the test rewrites');
    const headers = Object.assign({}, response.headers());
    if (csp) headers['content-security-policy'] = csp;
    await route.fulfill({ response, body: html, headers });
  });
}

test('on the demo product page the engine runs in a worker: the worker fetches the wasm, the page never does', async () => {
  const { context, log } = await openContext(store.browser, store.server);
  const page = await context.newPage();
  const workers = [];
  page.on('worker', (worker) => workers.push(worker));
  await page.goto(`${store.server.url}/demo/product.html?id=sku-1`);
  await page.locator(SUMMARY).waitFor();

  assert.deepEqual(workers.map((w) => new URL(w.url()).pathname), ['/vouch-engine-worker.js']);
  assert.deepEqual(engineFiles(await fetched(workers[0])), ['/storefront-engine.js', '/vouch-storefront.wasm']);
  assert.deepEqual(engineFiles(await fetched(page)), []);
  // What the worker's engine chose is on the page: reviews and the See all button.
  assert.ok(await page.locator('[data-vouch=social-proof] .rail li').count() > 0);
  await page.locator('[data-vouch=social-proof] button', { hasText: /^See all/ }).click();
  await page.locator('[data-vouch=social-proof] dialog .list li').first().waitFor();
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('without Worker the page runs the engine itself and still fills the placement', async () => {
  const { context, log } = await openContext(store.browser, store.server);
  await context.addInitScript(() => { delete window.Worker; });
  const page = await context.newPage();
  const workers = [];
  page.on('worker', (worker) => workers.push(worker));
  await page.goto(`${store.server.url}/demo/product.html?id=sku-1`);
  await page.locator(SUMMARY).waitFor();

  assert.equal(workers.length, 0);
  assert.deepEqual(engineFiles(await fetched(page)), ['/storefront-engine.js', '/vouch-storefront.wasm']);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('with the widget and engine on a CDN origin a blob: bootstrap still runs the engine in a worker', async () => {
  const { context, log } = await openContext(store.browser, store.server);
  await serveFromCdn(context);
  const page = await context.newPage();
  const workers = [];
  page.on('worker', (worker) => workers.push(worker));
  await page.goto(`${store.server.url}/demo/product.html?id=sku-1`);
  await page.locator(SUMMARY).waitFor();

  assert.equal(workers.length, 1);
  assert.match(workers[0].url(), /^blob:/);
  assert.deepEqual(engineFiles(await fetched(workers[0])), ['/storefront-engine.js', '/vouch-storefront.wasm']);
  assert.deepEqual(engineFiles(await fetched(page)), []);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('when the page\'s CSP refuses blob: workers the engine on a CDN falls back to the page and fills the placement', async () => {
  const { context, log } = await openContext(store.browser, store.server);
  await serveFromCdn(context, { csp: "worker-src 'self'" });
  const page = await context.newPage();
  const violations = [];
  page.on('console', (message) => { if (/Content Security Policy/.test(message.text())) violations.push(message.text()); });
  await page.goto(`${store.server.url}/demo/product.html?id=sku-1`);
  await page.locator(SUMMARY).waitFor();

  assert.ok(violations.some((text) => /worker/.test(text)), 'the browser refused the blob: worker');
  assert.deepEqual(engineFiles(await fetched(page)), ['/storefront-engine.js', '/vouch-storefront.wasm']);
  assert.deepEqual(log.errors, []);
  await context.close();
});
