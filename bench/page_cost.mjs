// Page cost of the widget: the demo product page with and without it, in
// headless Chromium (the Debian package) against a real `vouch serve`.
// Per page load: blocking time (sum of long tasks' time beyond 50 ms, from
// navigation to 2 s after the load event), CLS (layout shifts without
// input), and the time until the social-proof placement shows its summary.
// Median of RUNS loads, each in a fresh context (cold cache). Prints JSON lines.
//   VOUCH_BIN=build/release/cli/vouch node bench/page_cost.mjs [RUNS=5]
// Needs web/dist built (scripts/build-wasm.sh, scripts/build-web.sh).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] || 5);
const bin = process.env.VOUCH_BIN || join(ROOT, 'build/release/cli/vouch');
if (!existsSync(join(ROOT, 'web/dist/storefront-engine.js'))) {
  console.error('page_cost: web/dist/storefront-engine.js is missing: run scripts/build-wasm.sh first');
  process.exit(1);
}
const PLACEMENT = '[data-vouch="social-proof"]';

function freePort() {
  return new Promise((done) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => done(port)); });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'vouch-page-cost-'));
execFileSync(bin, ['generate', '--seed', '1', '--out', join(dir, 'feed.json')]);
const port = await freePort();
const server = spawn(bin, ['serve', '--feed', join(dir, 'feed.json'), '--db', join(dir, 'vouch.db'), '--host', '127.0.0.1',
  '--port', String(port), '--static', join(ROOT, 'web'), '--no-access-log'], { stdio: ['ignore', 'ignore', 'inherit'] });
const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 100; i++) {
  try { if ((await fetch(base + '/v1/store.json')).ok) break; } catch (_) { /* not up yet (or its documents not built) */ }
  await new Promise((r) => setTimeout(r, 100));
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});

// Installed before any page script: observers for long tasks and layout shifts.
const OBSERVE = () => {
  const b = window.__vouchBench = { cls: 0, blocking: 0, filled: null };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) b.cls += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.blocking += Math.max(0, e.duration - 50);
  }).observe({ type: 'longtask', buffered: true });
  const poll = () => {
    const el = document.querySelector('[data-vouch="social-proof"]');
    if (el && el.shadowRoot && el.shadowRoot.querySelector('.summary')) b.filled = performance.now();
    else requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
};

async function load(withWidget) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (!withWidget) {
    await context.route('**/demo/product.html*', async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(/<script[^>]*src="\/vouch\.js"[^>]*><\/script>/, '');
      route.fulfill({ response, body: html });
    });
  }
  await context.addInitScript(OBSERVE);
  const page = await context.newPage();
  await page.goto(`${base}/demo/product.html?id=sku-1`, { waitUntil: 'load' });
  if (withWidget) await page.waitForFunction(() => window.__vouchBench.filled !== null, null, { timeout: 15000 });
  await page.waitForTimeout(2000);
  const figures = await page.evaluate(() => window.__vouchBench);
  await context.close();
  return figures;
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

try {
  for (const withWidget of [false, true]) {
    const all = [];
    await load(withWidget);   // warm-up: server caches, browser start
    for (let i = 0; i < runs; i++) all.push(await load(withWidget));
    process.stdout.write(JSON.stringify({
      page: withWidget ? 'product page with the widget' : 'product page without the widget',
      engine: 'wasm (storefront module)',
      blocking_ms: median(all.map((f) => f.blocking)),
      cls: median(all.map((f) => f.cls)),
      filled_ms: withWidget ? median(all.map((f) => f.filled)) : null,
      runs,
    }) + '\n');
  }
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
