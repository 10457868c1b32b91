// Shared set-up for the browser tests: builds web/dist, generates the demo
// feed, starts a server and drives headless Chromium (the Debian package; no
// downloaded browsers).
//
// Server: the real `vouch serve` when VOUCH_SERVE_BIN names the binary, else
// the stand-in of test-server.mjs, which follows the same HTTP contract.
// Engine: web/dist/engine.js when the wasm build has put it there (unless
// VOUCH_FAKE_ENGINE=1), else the test double fake-engine.js.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startTestServer } from './test-server.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SUPPORT = join(ROOT, 'tests/browser/support');
const FIXTURES = join(ROOT, 'tests/browser/fixtures');
export const SCREENSHOTS = join(ROOT, 'var/screenshots');

const realEngine = existsSync(join(ROOT, 'web/dist/engine.js')) && process.env.VOUCH_FAKE_ENGINE !== '1';
export const usingRealServer = Boolean(process.env.VOUCH_SERVE_BIN);

let built = false;
function buildWeb() {
  if (built) return;
  execFileSync('bash', [join(ROOT, 'scripts/build-web.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  built = true;
}

export function tempDir() {
  mkdirSync(join(ROOT, 'var'), { recursive: true });
  return mkdtempSync(join(tmpdir(), 'vouch-browser-'));
}

// The demo feed, as scripts/demo.sh makes it: `vouch generate --seed 1`.
export function demoFeed(dir) {
  const bin = process.env.VOUCH_BIN || join(ROOT, 'build/release/cli/vouch');
  const out = join(dir, 'feed.json');
  execFileSync(bin, ['generate', '--seed', '1', '--out', out]);
  return out;
}

export function writeFeed(dir, name, feed) {
  const path = join(dir, name);
  writeFileSync(path, typeof feed === 'string' ? feed : JSON.stringify(feed));
  return path;
}

function freePort() {
  return new Promise((done) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => done(port)); });
  });
}

async function startRealServer(feedPath, dir) {
  const port = await freePort();
  const child = spawn(process.env.VOUCH_SERVE_BIN, ['serve', '--feed', feedPath, '--db', join(dir, 'vouch.db'),
    '--host', '127.0.0.1', '--port', String(port), '--static', join(ROOT, 'web')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url + '/v1/feed')).ok) break; } catch (_) { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stored: null, close: async () => { child.kill('SIGTERM'); } };
}

export async function startServer(feedPath, dir) {
  buildWeb();
  return usingRealServer ? startRealServer(feedPath, dir) : startTestServer({ feedPath, webRoot: join(ROOT, 'web') });
}

export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

// A browser context on the server's origin: the engine double when needed,
// test fixture pages under /fixtures/, and a record of every event the
// server acknowledged.
export async function openContext(browser, server, options = {}) {
  const context = await browser.newContext(Object.assign({ viewport: { width: 1280, height: 900 } }, options));
  if (!realEngine) {
    const engine = readFileSync(join(SUPPORT, 'fake-engine.js'));
    await context.route('**/engine.js', (route) => route.fulfill({ contentType: 'text/javascript', body: engine }));
  }
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

// The text a placement's shadow root shows, for assertions.
export function shadowText(page, selector) {
  return page.$eval(selector, (el) => (el.shadowRoot ? el.shadowRoot.textContent : ''));
}
