// What a product page costs a shopper, and the server, as the store grows
// (docs/benchmarks.md, "Product page by store size"). For each generated
// store: `vouch serve` on it (fresh database), the time until its public
// documents are built and its resident memory; then, in headless Chromium, a
// plain page on another origin with the README's two script lines, the
// reservation CSS and one social-proof placement, loaded RUNS times with a
// cold cache and once more with a warm one:
//   bytes     over the wire: CDP Network.loadingFinished encodedDataLength,
//             summed over the page and the engine's worker
//   filled    ms from navigation start to the placement's summary on screen
//   blocking  main-thread time of long tasks beyond 50 ms (to 2 s after filled)
//   CLS       layout shifts without input
// Medians of RUNS. Prints one JSON line per store and product, then a table.
//
//   node bench/store_pages.mjs VOUCH_BIN RUNS NAME=FEED[:PRODUCT,PRODUCT] ...
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as netServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [bin, runsText, ...specs] = process.argv.slice(2);
const runs = Number(runsText || 5);

const freePort = () => new Promise((done) => {
  const probe = netServer();
  probe.listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => done(port)); });
});
const median = (values) => {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const rss = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)[1]);
  return { rss_mb: Math.round(kb('VmRSS') / 1024), peak_rss_mb: Math.round(kb('VmHWM') / 1024) };
};

// The page of the measurement: what a store owner pastes, nothing else.
const pageHtml = (server, product) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>A shop on another origin</title>
<style>
  body { font-family: Georgia, serif; margin: 0 auto; max-width: 1000px; padding: 16px; }
  [data-vouch="social-proof"] { display: block; min-height: var(--vouch-social-proof-height, 600px); }
  @media (max-width: 600px) { [data-vouch="social-proof"] { min-height: var(--vouch-social-proof-height-narrow, 780px); } }
</style>
<script>window.vouch=window.vouch||function(){(vouch.q=vouch.q||[]).push(arguments)}</script>
<script src="${server}/vouch.js" data-endpoint="${server}/v1/events" async></script>
</head><body>
<h1>Product ${product}</h1>
<div data-vouch="social-proof" data-product="${product}"></div>
</body></html>`;

// Installed before any page script: long tasks, layout shifts, the fill.
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

// Bytes received by the page and by the workers it starts (the engine's).
async function countBytes(context, page) {
  const cdp = await context.newCDPSession(page);
  const counter = { bytes: 0 };
  let id = 0;
  cdp.on('Network.loadingFinished', (e) => { counter.bytes += e.encodedDataLength; });
  cdp.on('Target.attachedToTarget', async ({ sessionId }) => {
    for (const method of ['Network.enable', 'Runtime.runIfWaitingForDebugger'])
      await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: ++id, method }) }).catch(() => {});
  });
  cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
    const m = JSON.parse(message);
    if (m.method === 'Network.loadingFinished') counter.bytes += m.params.encodedDataLength;
  });
  await cdp.send('Network.enable');
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
  return counter;
}

async function load(browser, url, context) {
  const own = !context;
  context = context || await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(OBSERVE);
  const page = await context.newPage();
  const counter = await countBytes(context, page);
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__vouchBench.filled !== null, null, { timeout: 60000 });
  await page.waitForTimeout(2000);
  const figures = Object.assign(await page.evaluate(() => window.__vouchBench), { bytes: counter.bytes });
  await page.close();
  if (own) await context.close();
  return figures;
}

async function measureStore(browser, name, feed, products) {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-store-pages-'));
  const [port, pagePort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${port}`;
  const pageOrigin = `http://127.0.0.1:${pagePort}`;
  const started = Date.now();
  const server = spawn(bin, ['serve', '--feed', feed, '--db', join(dir, 'vouch.db'), '--host', '127.0.0.1', '--port', String(port),
    '--static', join(ROOT, 'web'), '--allow-origin', pageOrigin, '--no-access-log'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr.on('data', (d) => { log += d; });
  const pages = createServer((req, res) => {
    const product = new URL(req.url, pageOrigin).searchParams.get('product') || 'sku-1';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageHtml(base, product));
  });
  await new Promise((done) => pages.listen(pagePort, '127.0.0.1', done));
  try {
    for (;;) {
      if (server.exitCode !== null) throw new Error(`vouch serve exited: ${log}`);
      try { if ((await fetch(`${base}/v1/store.json`)).ok) break; } catch (_) { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 200));
    }
    const ready = (Date.now() - started) / 1000;
    const built = JSON.parse(log.split('\n').find((line) => line.includes('"documents_built"')));
    const memory = rss(server.pid);
    const out = [];
    for (const product of products) {
      const url = `${pageOrigin}/?product=${encodeURIComponent(product)}`;
      await load(browser, url);   // warm-up: the server's first requests, the browser
      const cold = [];
      for (let i = 0; i < runs; i++) cold.push(await load(browser, url));
      // Warm: the same browser profile a minute later would revalidate; within
      // the documents' max-age (60 s) it asks again only for the no-cache scripts.
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await load(browser, url, context);
      const warm = await load(browser, url, context);
      await context.close();
      const doc = await fetch(`${base}/v1/products/${product}.json`, { headers: { 'accept-encoding': 'gzip' } });
      const docText = await doc.text();
      out.push({
        store: name,
        feed_mb: Math.round(statSync(feed).size / 1e6),
        products: built.products,
        candidates: built.candidates,
        product,
        document_items: JSON.parse(docText).ugc.length,
        document_kb: Math.round(docText.length / 102.4) / 10,
        cold_kb: Math.round(median(cold.map((f) => f.bytes)) / 102.4) / 10,
        warm_kb: Math.round(warm.bytes / 102.4) / 10,
        filled_ms: Math.round(median(cold.map((f) => f.filled))),
        blocking_ms: Math.round(median(cold.map((f) => f.blocking))),
        cls: median(cold.map((f) => f.cls)),
        ready_s: ready,
        build_s: built.seconds,
        ...memory,
        ...rss(server.pid),
        runs,
      });
    }
    return out;
  } finally {
    server.kill('SIGTERM');
    await new Promise((done) => pages.close(done));
    rmSync(dir, { recursive: true, force: true });
  }
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
const rows = [];
try {
  for (const spec of specs) {
    const [name, rest] = spec.split('=');
    const [feed, list] = rest.split(':');
    for (const row of await measureStore(browser, name, feed, (list || 'sku-1').split(','))) {
      process.stdout.write(JSON.stringify(row) + '\n');
      rows.push(row);
    }
  }
} finally {
  await browser.close();
}
