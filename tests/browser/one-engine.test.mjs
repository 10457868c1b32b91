// One engine per page (docs/widget.md, "Where the engine runs"): a product
// page with two products' social proof, "See all" open and three rating
// badges runs exactly one engine Worker holding one WebAssembly instance,
// and the page itself instantiates none; where there can be no Worker, the
// page holds the one instance. Instances are counted by wrapping
// WebAssembly.instantiate(Streaming) in the page and, through the worker
// script as served, in the worker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openContext, useDemoStore, waitFor } from './support/harness.mjs';

const store = useDemoStore();

const COUNTER = `(() => {
  let made = 0;
  const wasm = WebAssembly;
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = wasm[name];
    if (original) wasm[name] = function (...args) { return original.apply(this, args).then((r) => { made++; return r; }); };
  }
  globalThis.__vouchWasmInstances = () => made;
})();
`;

const proof = (id) => `[data-vouch=social-proof][data-product=${id}]`;

async function productPage(context) {
  await context.addInitScript(COUNTER);
  await context.route('**/vouch-engine-worker.js', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: COUNTER + await response.text() });
  });
  const page = await context.newPage();
  const workers = [];
  page.on('worker', (worker) => workers.push(worker));
  await page.goto(`${store.server.url}/demo/product.html?id=sku-1`);
  await page.locator(`${proof('sku-1')} .summary`).waitFor();
  // What a page with related products adds: a second product's reviews and two more badges.
  await page.evaluate(() => {
    const more = document.createElement('div');
    for (const [kind, id] of [['social-proof', 'sku-2'], ['rating-badge', 'sku-2'], ['rating-badge', 'sku-3']]) {
      const el = document.createElement(kind === 'rating-badge' ? 'span' : 'div');
      el.dataset.vouch = kind;
      el.dataset.product = id;
      more.append(el);
    }
    document.querySelector('main').append(more);
    window.vouch('refresh');
  });
  await page.locator(`${proof('sku-2')} .summary`).waitFor();
  await waitFor(() => page.locator('[data-vouch=rating-badge] .rating').count().then((n) => n === 3), 'three badges');
  return { page, workers };
}

async function openSeeAll(page) {
  await page.locator(`${proof('sku-1')} button`, { hasText: /^See all/ }).click();
  await page.locator(`${proof('sku-1')} dialog .list li`).first().waitFor();
}

test('a product page with two products, See all open and three badges has one engine Worker with one wasm instance', async () => {
  const { context, log } = await openContext(store.browser, store.server);
  const { page, workers } = await productPage(context);
  await openSeeAll(page);

  assert.equal(workers.length, 1, 'engine workers started');
  assert.equal(await workers[0].evaluate(() => globalThis.__vouchWasmInstances()), 1, 'wasm instances in the worker');
  assert.equal(await page.evaluate(() => globalThis.__vouchWasmInstances()), 0, 'wasm instances on the page');

  // Closing the dialog frees its document; opening it again loads it into the same engine.
  await page.keyboard.press('Escape');
  await waitFor(() => page.locator(`${proof('sku-1')} dialog[open]`).count().then((n) => n === 0), 'the dialog to close');
  await openSeeAll(page);
  assert.ok(await page.locator(`${proof('sku-1')} dialog .list li`).count() > 1);
  assert.equal(workers.length, 1);
  assert.equal(await workers[0].evaluate(() => globalThis.__vouchWasmInstances()), 1);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('without Worker the same page holds one wasm instance on the page', async () => {
  const { context, log } = await openContext(store.browser, store.server);
  await context.addInitScript(() => { delete window.Worker; });
  const { page, workers } = await productPage(context);
  await openSeeAll(page);

  assert.equal(workers.length, 0);
  assert.equal(await page.evaluate(() => globalThis.__vouchWasmInstances()), 1);
  assert.deepEqual(log.errors, []);
  await context.close();
});
