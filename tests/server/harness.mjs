// Starts a real `vouch serve` (VOUCH_BIN, else the release build) on a free loopback port
// with a temporary database, the generated demo feed and fixed secrets.
import { spawn, execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// scripts/test.sh runs this suite against the ASan/UBSan build (build/asan/cli/vouch).
export const BIN = process.env.VOUCH_BIN || resolve(dirname(fileURLToPath(import.meta.url)), '../../build/release/cli/vouch');

export const ADMIN_TOKEN = 'test-admin-token-0123456789';   // 27 characters: at least 24 are required
export const WEBHOOK_SECRET = 'test-webhook-secret-abcdef';

// With VOUCH_TEST_PG (a throw-away cluster's URL, scripts/pg-scratch.sh) the
// suite runs on PostgreSQL: each database below is a new database there.
export const PG = process.env.VOUCH_TEST_PG || '';

// A fresh, empty database for `vouch serve --db`: a file in the workspace
// (SQLite), or a new database in the cluster (PostgreSQL).
export function database(ws, name) {
  if (!PG) return join(ws.dir, `${name}.db`);
  const db = `v_${randomBytes(5).toString('hex')}_${name.replace(/[^a-z0-9]/gi, '_')}`.slice(0, 60).toLowerCase();
  execFileSync('psql', [PG, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${db}`]);
  ws.databases.push(db);
  return PG.replace(/\/[^/]*$/, `/${db}`);
}

// A scratch directory with the demo feed (seed 1) written by `vouch generate`,
// and a database.
export function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-serve-'));
  const feed = join(dir, 'feed.json');
  execFileSync(BIN, ['generate', '--seed', '1', '--out', feed]);
  const ws = { dir, feed, databases: [] };
  ws.db = database(ws, 'vouch');
  ws.cleanup = () => {
    rmSync(dir, { recursive: true, force: true });
    for (const db of ws.databases) {
      try { execFileSync('psql', [PG, '-q', '-c', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`], { stdio: 'ignore' }); } catch { /* the cluster is thrown away anyway */ }
    }
  };
  return ws;
}

// A small web/ tree standing in for the built widget, the demo and the dashboard.
export function webTree(dir) {
  const web = join(dir, 'web');
  for (const sub of ['dist', 'demo', 'admin']) mkdirSync(join(web, sub), { recursive: true });
  writeFileSync(join(web, 'dist', 'vouch.js'), 'console.log("vouch loader");\n');
  writeFileSync(join(web, 'dist', 'engine.3f2a9c1b.js'), 'export const engine = 1;\n');
  writeFileSync(join(web, 'dist', 'vouch-engine.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(join(web, 'demo', 'index.html'), '<!doctype html><title>Trail &amp; Co</title>\n');
  writeFileSync(join(web, 'admin', 'index.html'), '<!doctype html><title>Vouch dashboard</title>\n');
  writeFileSync(join(dir, 'secret.txt'), 'outside the web root\n');
  return web;
}

// Starts the server; resolves once it printed its URL. Extra flags are
// appended; `env` is added to the environment (VOUCH_CLOCK_OFFSET: seconds
// the server's clock runs ahead).
export function startServer(ws, extra = [], env = {}) {
  return startServerRaw(['--feed', ws.feed, '--db', ws.db, '--admin-token', ADMIN_TOKEN,
    '--webhook-secret', WEBHOOK_SECRET, ...extra], env);
}

// The same with exactly these flags (and --port 0).
export async function startServerRaw(flags, env = {}) {
  const args = ['serve', '--port', '0', ...flags];
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const base = await new Promise((resolve, reject) => {
    // A start imports the feed file into the database (three instances on one
    // PostgreSQL database at once in scaleout.test.mjs): a minute under ASan
    // on a loaded machine is a hang guard, not a timing.
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`vouch serve did not start:\n${stdout}\n${stderr}`)); }, 60000);
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`vouch serve exited ${code}:\n${stderr}`)); });
  });
  child.removeAllListeners('exit');
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  await documentsReady(base);
  return {
    base, child, exited,
    stderr: () => stderr,
    stop: async (signal = 'SIGTERM') => { if (child.exitCode === null && child.signalCode === null) child.kill(signal); return exited; },
  };
}

// The public documents are built in the background after the server
// listens (503 documents.building until then): waits for store.json.
export async function documentsReady(base, ms = 60000) {
  const start = Date.now();
  for (;;) {
    const res = await fetch(`${base}/v1/store.json`);
    await res.arrayBuffer();
    if (res.status === 200) return;
    if (res.status !== 503 || Date.now() - start > ms) throw new Error(`store.json answered ${res.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The first truthy value of `check()` (sync or async), polled every 50 ms for
// at most `ms`; throws "timed out waiting for WHAT" after.
export async function until(check, what, ms = 30000) {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Runs `vouch serve` expecting it to exit (a refused start).
export function runServeToExit(args) {
  return new Promise((resolve) => {
    const child = spawn(BIN, ['serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

export const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

export async function postEvents(base, events, headers = {}) {
  const res = await fetch(`${base}/v1/events`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ events }),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

export async function summary(base) {
  const res = await fetch(`${base}/v1/admin/events/summary`, { headers: admin });
  return res.json();
}

// Every stored event id, paging through GET /v1/admin/events.
export async function storedIds(base) {
  const ids = [];
  let after = 0;
  for (;;) {
    const res = await fetch(`${base}/v1/admin/events?after=${after}&limit=5000`, { headers: admin });
    const page = await res.json();
    if (page.events.length === 0) return ids;
    for (const e of page.events) ids.push(e.id);
    after = page.next;
  }
}

export function sign(body, t, secret = WEBHOOK_SECRET) {
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

// A signed webhook delivery: an order to /v1/orders, a refund to /v1/refunds.
export async function postSigned(base, path, payload, { t = Math.floor(Date.now() / 1000), signature } = {}) {
  const body = JSON.stringify(payload);
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-vouch-signature': signature ?? sign(body, t) },
    body,
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

export const postOrder = (base, order, options) => postSigned(base, '/v1/orders', order, options);
export const postRefund = (base, refund, options) => postSigned(base, '/v1/refunds', refund, options);

export async function report(base, query = '') {
  const res = await fetch(`${base}/v1/reports/influencers${query}`, { headers: admin });
  return { status: res.status, body: await res.json() };
}

// No limits on ingest (load tests from one loopback address).
export const NO_LIMITS = ['--rate-limit', '0', '--address-rate-limit', '0', '--global-rate-limit', '0'];

// Events with times in the past of the real clock (the server refuses times
// more than a day ahead).
export function click(id, visitor = 'v-1') {
  return { id, type: 'click', at: '2026-10-01T12:00:00Z', visitor, placement: 'social-proof', target: '/p/sku-1' };
}

export function conversion(id, orderId, visitor = 'v-1') {
  return {
    id, type: 'conversion', at: '2026-10-01T12:30:00Z', visitor,
    order: { order_id: orderId, value: 129.0, currency: 'USD', items: [{ product: 'sku-1', qty: 1, price: 129.0 }], coupon: null, customer: null },
    touches: [{ visitor, at: '2026-10-01T12:00:00Z', influencer: 'inf-1', code: null, source: 'link', landing: '/p/sku-1' }],
  };
}

// The review token the server should give for an order, computed here from
// its definition (docs/server.md, "Review tokens"): base64url(order id) "."
// the first 32 hex digits of HMAC-SHA256(webhook secret,
// "vouch-review-token/1\n" + the order id and each of its sorted distinct
// product ids written "<byte length>:<text>\n").
export function reviewToken(orderId, products, secret = WEBHOOK_SECRET) {
  const field = (s) => `${Buffer.byteLength(s)}:${s}\n`;
  const message = 'vouch-review-token/1\n' + field(orderId) + [...new Set(products)].sort().map(field).join('');
  const mac = createHmac('sha256', secret).update(message).digest('hex').slice(0, 32);
  return `${Buffer.from(orderId).toString('base64url')}.${mac}`;
}
