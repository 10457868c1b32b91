// The engine under a strict Content Security Policy in headless Chromium:
// `script-src 'self' 'wasm-unsafe-eval'` (no 'unsafe-eval') must be enough to
// load each bundle (web/dist/engine.js and storefront-engine.js, each with its
// module's Embind glue), compile the wasm and validate a feed. A control page
// without 'wasm-unsafe-eval' shows that the policy is really enforced. The
// bundles are also read as text: no eval and no Function constructor in them
// (the glue is built -sDYNAMIC_EXECUTION=0, wasm/CMakeLists.txt).
//
//   node --test tests/browser/      (after scripts/build-wasm.sh)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const dist = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const feedText = readFileSync(new URL('../parity/feeds/trail.json', import.meta.url), 'utf8');

const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

const STRICT_CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'";
const NO_WASM_CSP = "default-src 'none'; script-src 'self'; connect-src 'self'";

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>vouch csp</title>
<script type="module" src="/main.js"></script></head><body></body></html>`;

// Loads the engine, validates the feed, runs one engine call, and reports
// everything (including CSP violations) on window.__result.
const main = (bundle) => `
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI));
window.__result = (async () => {
  try {
    const { createEngine, validateFeed } = await import('/${bundle}');
    const text = await (await fetch('/feed.json')).text();
    const validation = await validateFeed(text);
    const engine = await createEngine(text);
    let badQuery;
    try { engine.socialProof('{', { now: '2026-11-01T00:00:00Z' }); } catch (e) { badQuery = { name: e.name, code: e.code }; }
    const counts = engine.counts;
    engine.dispose();
    return { ok: true, validation, counts, badQuery, violations };
  } catch (e) {
    return { ok: false, error: String(e && e.message || e), violations };
  }
})();
`;

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

let server;
let origin;
let browser;

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const send = (status, type, body, headers = {}) => {
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(body);
    };
    if (url.pathname === '/' || url.pathname === '/no-wasm-eval') {
      const csp = url.pathname === '/' ? STRICT_CSP : NO_WASM_CSP;
      const page = PAGE.replace('/main.js', `/main.js?bundle=${url.searchParams.get('bundle') ?? 'engine.js'}`);
      return send(200, 'text/html; charset=utf-8', page, { 'content-security-policy': csp });
    }
    if (url.pathname === '/main.js') return send(200, 'text/javascript', main(url.searchParams.get('bundle')));
    if (url.pathname === '/feed.json') return send(200, 'application/json', feedText);
    const file = url.pathname.slice(1);
    if (/^[\w.-]+$/.test(file)) {
      try {
        const ext = file.slice(file.lastIndexOf('.'));
        return send(200, TYPES[ext] ?? 'application/octet-stream', readFileSync(dist + file));
      } catch {
        // fall through to 404
      }
    }
    return send(404, 'text/plain', 'not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function resultOf(path) {
  const page = await browser.newPage();
  const consoleErrors = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  await page.goto(origin + path);
  await page.waitForFunction(() => window.__result !== undefined);
  const result = await page.evaluate(() => window.__result);
  await page.close();
  return { ...result, consoleErrors };
}

for (const bundle of ['engine.js', 'storefront-engine.js']) {
  test(`under script-src 'self' 'wasm-unsafe-eval' ${bundle} loads and validates a feed`, async () => {
    const result = await resultOf(`/?bundle=${bundle}`);
    assert.equal(result.ok, true, `engine failed: ${result.error}`);
    assert.deepEqual(result.violations, []);
    assert.deepEqual(result.validation, { valid: true, errors: [], truncated: false,
      counts: { products: 2, influencers: 2, endorsements: 2, ugc: 7 } });
    assert.deepEqual(result.counts, { products: 2, influencers: 2, endorsements: 2, ugc: 7 });
    assert.deepEqual(result.badQuery, { name: 'VouchError', code: 'query.parse_error' });
  });
}

test("without 'wasm-unsafe-eval' the policy blocks the wasm: the control shows CSP is enforced", async () => {
  const result = await resultOf('/no-wasm-eval');
  assert.equal(result.ok, false);
  assert.ok(result.violations.some((v) => v.startsWith('script-src')), JSON.stringify(result.violations));
});

test('no bundle the widget or the dashboard loads calls eval or the Function constructor', () => {
  // eval or the Function constructor, called or passed on (Embind's dynamic
  // invokers do `new_(Function, args)`), is what 'unsafe-eval' would be needed
  // for; `new WebAssembly.Function`, names such as createNamedFunction and
  // the word in a message are not.
  const dynamic = /(?<![\w$.'"])(eval|Function)(?![\w$])/g;
  for (const file of ['engine.js', 'storefront-engine.js', 'vouch.js', 'vouch-widget.js', 'vouch-engine-worker.js']) {
    const text = readFileSync(dist + file, 'utf8');
    assert.deepEqual(text.match(dynamic) ?? [], [], file);
  }
});
