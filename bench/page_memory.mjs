// Memory of a product page with the widget: the demo product page with
// "See all" open and three rating badges, in headless Chromium (the Debian
// package) against a real `vouch serve`. Per load, once the dialog shows its
// first page and garbage was collected:
//   workers      engine Workers the page started
//   page_heap    the page's JS heap in use (CDP Performance.getMetrics, JSHeapUsedSize)
//   uasm_total   performance.measureUserAgentSpecificMemory() of the page and its
//                workers (the page is made cross-origin isolated for it: COOP + COEP
//                headers added to every response), and uasm_workers, its worker part
//   wasm_memory  bytes of the WebAssembly memories of every instance, on the page and
//                in its workers (WebAssembly.instantiate wrapped, in the workers through
//                the worker script as served); they are outside the JS heap
// Median of RUNS loads, each in a fresh context. Prints one JSON line.
//   VOUCH_BIN=build/release/cli/vouch node bench/page_memory.mjs [RUNS=5] [--static DIR]
// --static: the web tree to serve (default web/), e.g. an older build to compare with.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const staticAt = args.includes('--static') ? resolve(args[args.indexOf('--static') + 1]) : join(ROOT, 'web');
const runs = Number(args.find((a) => /^\d+$/.test(a)) || 5);
const bin = process.env.VOUCH_BIN || join(ROOT, 'build/release/cli/vouch');
if (!existsSync(join(staticAt, 'dist/storefront-engine.js'))) {
  console.error(`page_memory: ${staticAt}/dist/storefront-engine.js is missing: run scripts/build-wasm.sh and build-web.sh first`);
  process.exit(1);
}

function freePort() {
  return new Promise((done) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => done(port)); });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'vouch-page-memory-'));
execFileSync(bin, ['generate', '--seed', '1', '--out', join(dir, 'feed.json')]);
const port = await freePort();
const server = spawn(bin, ['serve', '--feed', join(dir, 'feed.json'), '--db', join(dir, 'vouch.db'), '--host', '127.0.0.1',
  '--port', String(port), '--static', staticAt, '--no-access-log'], { stdio: ['ignore', 'ignore', 'inherit'] });
const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 300; i++) {
  try { if ((await fetch(base + '/v1/store.json')).ok) break; } catch (_) { /* not up yet */ }
  await new Promise((r) => setTimeout(r, 100));
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});

// Keeps every WebAssembly instance's memory, to add up their sizes.
const WASM_MEMORIES = `(() => {
  const memories = [];
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    if (original) WebAssembly[name] = function (...args) {
      return original.apply(this, args).then((result) => {
        const exports = (result.instance || result).exports;
        for (const value of Object.values(exports)) if (value instanceof WebAssembly.Memory) memories.push(value);
        return result;
      });
    };
  }
  globalThis.__vouchWasmBytes = () => memories.reduce((sum, m) => sum + m.buffer.byteLength, 0);
})();
`;

const proof = '[data-vouch=social-proof][data-product=sku-1]';

// The demo product page, two more badges (a strip of related products), See all open.
async function openPage(context) {
  const page = await context.newPage();
  const workers = [];
  page.on('worker', (worker) => workers.push(worker));
  await page.goto(`${base}/demo/product.html?id=sku-1`);
  await page.locator(`${proof} .summary`).waitFor();
  await page.evaluate(() => {
    for (const id of ['sku-2', 'sku-3']) {
      const badge = document.createElement('span');
      badge.dataset.vouch = 'rating-badge';
      badge.dataset.product = id;
      document.querySelector('main').append(badge);
    }
    window.vouch('refresh');
  });
  for (let i = 0; i < 100 && await page.locator('[data-vouch=rating-badge] .rating').count() < 3; i++) await page.waitForTimeout(100);
  await page.locator(`${proof} button`, { hasText: /^See all/ }).click();
  await page.locator(`${proof} dialog .list li`).first().waitFor();
  await page.waitForTimeout(1000);
  return { page, workers };
}

async function measure() {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await context.addInitScript(WASM_MEMORIES);
  await context.route(`${base}/**`, async (route) => {
    const response = await route.fetch();
    const worker = route.request().url().endsWith('/vouch-engine-worker.js');
    await route.fulfill({ response, body: worker ? WASM_MEMORIES + await response.text() : undefined,
      headers: Object.assign({}, response.headers(),
        { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }) });
  });
  const { page, workers } = await openPage(context);
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const uasm = await page.evaluate(async () => {
    if (!self.crossOriginIsolated || !performance.measureUserAgentSpecificMemory) return null;
    const result = await performance.measureUserAgentSpecificMemory();
    const workerBytes = result.breakdown.filter((b) => b.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope'))
      .reduce((sum, b) => sum + b.bytes, 0);
    return { total: result.bytes, workers: workerBytes };
  });
  let wasm = await page.evaluate(() => globalThis.__vouchWasmBytes());
  for (const worker of workers) wasm += await worker.evaluate(() => globalThis.__vouchWasmBytes());
  const result = { workers: workers.length, page_heap: metrics.JSHeapUsedSize, uasm_total: uasm && uasm.total,
    uasm_workers: uasm && uasm.workers, wasm_memory: wasm };
  await context.close();
  return result;
}

const median = (values) => {
  const sorted = values.filter((v) => v != null).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : null;
};

try {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await measure());
  const out = { bench: 'page_memory', static: staticAt, runs };
  for (const key of Object.keys(samples[0])) out[key] = median(samples.map((s) => s[key]));
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
