// Shared set-up for the browser tests: builds web/dist, generates the demo
// feed, starts the real `vouch serve` and drives headless Chromium (the Debian
// package; no downloaded browsers). The page gets the real wasm engines,
// web/dist/storefront-engine.js and engine.js, which scripts/build-wasm.sh
// puts there.
//
// Binaries: VOUCH_SERVE_BIN, else VOUCH_BIN, else build/release/cli/vouch.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const FIXTURES = join(ROOT, 'tests/browser/fixtures');
export const SCREENSHOTS = join(ROOT, 'var/screenshots');
const VOUCH = process.env.VOUCH_BIN || join(ROOT, 'build/release/cli/vouch');
const SERVE = process.env.VOUCH_SERVE_BIN || VOUCH;

let built = false;
function buildWeb() {
  if (built) return;
  for (const file of ['storefront-engine.js', 'engine.js']) {
    if (!existsSync(join(ROOT, 'web/dist', file)))
      throw new Error(`web/dist/${file} is missing: build the wasm engine first (bash scripts/build-wasm.sh)`);
  }
  execFileSync('bash', [join(ROOT, 'scripts/build-web.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  built = true;
}

export function tempDir() {
  mkdirSync(join(ROOT, 'var'), { recursive: true });
  return mkdtempSync(join(tmpdir(), 'vouch-browser-'));
}

// The demo feed, as scripts/demo.sh makes it: `vouch generate --seed 1`.
export function demoFeed(dir) {
  const out = join(dir, 'feed.json');
  execFileSync(VOUCH, ['generate', '--seed', '1', '--out', out]);
  return out;
}

// The public documents of a feed as `vouch export` writes them (DIR/v1/...).
export function exportDocuments(dir, feedPath) {
  execFileSync(VOUCH, ['export', '--feed', feedPath, '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  return join(dir, 'v1');
}

export function writeFeed(dir, name, feed) {
  const path = join(dir, name);
  writeFileSync(path, typeof feed === 'string' ? feed : JSON.stringify(feed));
  return path;
}

export function freePort() {
  return new Promise((done) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => done(port)); });
  });
}

// `vouch serve` on a free port with its own database (`extra`: more flags).
// `admin(path)` reads the admin API (GET, with the admin token), to check
// what the server stored. `options`: `port` and `token` (a restart on the
// same address and database), `env` added to its environment
// (VOUCH_CLOCK_OFFSET: seconds its clock runs ahead).
export async function startServer(feedPath, dir, extra = [], options = {}) {
  buildWeb();
  const port = options.port || await freePort();
  const token = options.token || randomBytes(16).toString('hex');
  const child = spawn(SERVE, ['serve', '--feed', feedPath, '--db', join(dir, 'vouch.db'), '--host', '127.0.0.1',
    '--port', String(port), '--static', join(ROOT, 'web'), '--admin-token', token, '--no-access-log', ...extra],
  { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...options.env } });
  const exited = new Promise((done) => child.once('exit', done));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`vouch serve exited with status ${child.exitCode}`);
    try { return (await fetch(url + '/v1/store.json')).ok; } catch (_) { return false; }
  }, 'vouch serve to listen and build its documents', 60000);
  return {
    url,
    port,
    token,
    async admin(path) {
      const response = await fetch(url + path, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`GET ${path} answered HTTP ${response.status}`);
      return response.json();
    },
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

// A browser context on the server's origin: test fixture pages under
// /fixtures/, and a record of every event the server acknowledged.
export async function openContext(browser, server, options = {}) {
  const context = await browser.newContext(Object.assign({ viewport: { width: 1280, height: 900 } }, options));
  await context.route('**/fixtures/**', (route) => {
    const name = new URL(route.request().url()).pathname.split('/fixtures/')[1];
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: readFileSync(join(FIXTURES, name)) });
  });
  const log = { sent: [], accepted: new Set(), console: [], errors: [] };
  context.on('requestfinished', async (request) => {
    if (!request.url().endsWith('/v1/events') || request.method() !== 'POST') return;
    try {
      const events = JSON.parse(request.postData()).events;
      log.sent.push(...events);
      const response = await request.response();
      if (response && response.status() === 200) for (const id of (await response.json()).accepted) log.accepted.add(id);
    } catch (_) { /* page closed mid-request */ }
  });
  context.on('page', (page) => watchPage(page, log));
  // Distinct events of a type the server acknowledged (a retried event counts once).
  const acceptedOfType = (type) => [...new Map(log.sent.filter((e) => e.type === type && log.accepted.has(e.id))
    .map((e) => [e.id, e])).values()];
  return { context, log, acceptedOfType };
}

function watchPage(page, log) {
  page.on('console', (message) => log.console.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => log.errors.push(String(error)));
}

export async function waitFor(check, what, timeoutMs = 10000) {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function cleanup(dir) {
  rmSync(dir, { recursive: true, force: true });
}

// The demo store for one test file: the demo feed (`feedPath`, in `dir`) on a
// fresh `vouch serve` (`server`) and a headless Chromium (`browser`), started
// before the file's first test and stopped after its last.
export function useDemoStore() {
  const store = {};
  before(async () => {
    store.dir = tempDir();
    store.feedPath = demoFeed(store.dir);
    store.server = await startServer(store.feedPath, store.dir);
    store.browser = await launch();
  });
  after(async () => {
    await store.browser?.close();
    await store.server?.close();
    cleanup(store.dir);
  });
  return store;
}

// The text a placement's shadow root shows, for assertions.
export function shadowText(page, selector) {
  return page.$eval(selector, (el) => (el.shadowRoot ? el.shadowRoot.textContent : ''));
}
