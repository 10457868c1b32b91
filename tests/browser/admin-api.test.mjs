// The server endpoints added for the dashboard (docs/server.md, "dashboard
// additions"), over HTTP against a real `vouch serve` with a temporary
// database: orders per day, the install check, the webhook secret kept in
// the database and shown once, and the moderation log. No browser needed.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT } from './support/harness.mjs';

const BIN = process.env.VOUCH_SERVE_BIN || process.env.VOUCH_BIN || join(ROOT, 'build/release/cli/vouch');
const TOKEN = 'admin-api-test-token-0123456789';   // at least 24 characters
const SHOP = 'https://shop.example';
const auth = { authorization: `Bearer ${TOKEN}` };

let dir;
let feed;

// Starts `vouch serve`; `secret` null leaves the webhook secret to the server.
async function serve(db, secret, feedPath = feed) {
  const args = ['serve', '--port', '0', '--feed', feedPath, '--db', join(dir, db), '--admin-token', TOKEN,
    '--allow-origin', SHOP, '--no-access-log'];
  if (secret) args.push('--webhook-secret', secret);
  const env = Object.assign({}, process.env);
  delete env.VOUCH_WEBHOOK_SECRET;
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vouch serve did not start: ${out}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)[\s\S]*Press Ctrl-C/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  return { url, banner: () => out, stop: () => new Promise((done) => { child.on('exit', done); child.kill('SIGTERM'); }) };
}

const get = async (server, path, headers = auth) => {
  const res = await fetch(server.url + path, { headers });
  return { status: res.status, body: await res.json() };
};
const post = async (server, path, body, headers = {}) => {
  const res = await fetch(server.url + path, { method: 'POST', body: JSON.stringify(body),
    headers: Object.assign({ 'content-type': 'application/json' }, headers) });
  return { status: res.status, body: await res.json() };
};
function signed(order, secret, t) {
  const body = JSON.stringify(order);
  return { body, signature: `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}` };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'vouch-admin-api-'));
  feed = join(dir, 'feed.json');
  execFileSync(BIN, ['generate', '--seed', '1', '--out', feed]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('the dashboard endpoints need the admin token', async () => {
  const server = await serve('auth.db', 'secret-auth');
  try {
    for (const path of ['/v1/admin/timeseries', '/v1/admin/install']) {
      const res = await get(server, path, {});
      assert.equal(res.status, 401, path);
      assert.equal(res.body.error.code, 'auth.missing_token');
    }
    const reveal = await post(server, '/v1/admin/install/webhook-secret', {}, { authorization: 'Bearer wrong' });
    assert.equal(reveal.status, 401);
    assert.equal(reveal.body.error.code, 'auth.invalid_token');
  } finally { await server.stop(); }
});

test('orders per day cover every day of [from, to), empty days included, revenue summed in cents', async () => {
  const server = await serve('series.db', 'secret-series');
  try {
    // 2026-10-01: 19.99 + 0.01 = 20.00 (two orders); 2026-10-02: none; 2026-10-03: 5.50 at 23:59:59.
    // An order at 2026-10-04T00:00:00Z is outside to=2026-10-04 ([from, to)).
    const orders = [['s-1', '2026-10-01T08:00:00Z', 19.99], ['s-2', '2026-10-01T21:30:00Z', 0.01],
      ['s-3', '2026-10-03T23:59:59Z', 5.5], ['s-4', '2026-10-04T00:00:00Z', 100]];
    let t = Math.floor(Date.now() / 1000);
    for (const [id, at, value] of orders) {
      const { body, signature } = signed({ order_id: id, at, value, currency: 'USD', items: [] }, 'secret-series', t++);
      const res = await fetch(`${server.url}/v1/orders`, { method: 'POST', body, headers: { 'x-vouch-signature': signature } });
      assert.equal(res.status, 200);
    }
    const ranged = await get(server, '/v1/admin/timeseries?from=2026-10-01&to=2026-10-04');
    assert.equal(ranged.status, 200);
    assert.deepEqual(ranged.body, { currency: 'USD', other_currency_orders: 0, days: [
      { date: '2026-10-01', orders: 2, revenue: 20 },
      { date: '2026-10-02', orders: 0, revenue: 0 },
      { date: '2026-10-03', orders: 1, revenue: 5.5 }] });
    // Unbounded: from the first to the last order.
    const all = await get(server, '/v1/admin/timeseries');
    assert.deepEqual(all.body.days.map((d) => [d.date, d.orders]),
      [['2026-10-01', 2], ['2026-10-02', 0], ['2026-10-03', 1], ['2026-10-04', 1]]);
    const bad = await get(server, '/v1/admin/timeseries?from=yesterday');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error, { code: 'timeseries.invalid_range', message: 'from must be a date (2026-10-01) or an RFC 3339 time' });
  } finally { await server.stop(); }
});

test('the install check counts impressions per page from the Origin and Referer of the batch', async () => {
  const server = await serve('install.db', 'secret-install');
  try {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const impression = (id) => ({ id, type: 'impression', at: now, visitor: 'v-i', placement: 'social-proof', product: 'sku-1' });
    const click = { id: 'i-click', type: 'click', at: now, visitor: 'v-i', placement: 'social-proof', target: '/p/sku-1' };
    // A shop page on another origin: the browser sends Origin and (cross-origin) only the origin as Referer.
    const first = await post(server, '/v1/events', { events: [impression('i-1'), impression('i-2'), click] },
      { origin: SHOP, referer: `${SHOP}/` });
    assert.deepEqual(first.body.accepted, ['i-1', 'i-2', 'i-click']);
    // A retried batch is not counted again; a batch without impressions is not counted.
    await post(server, '/v1/events', { events: [impression('i-1')] }, { origin: SHOP, referer: `${SHOP}/` });
    await post(server, '/v1/events', { events: [Object.assign({}, click, { id: 'i-click-2' })] }, { origin: SHOP });
    // Same-origin page: the path comes from the Referer, without its query.
    await post(server, '/v1/events', { events: [impression('i-3')] }, { referer: `${server.url}/demo/product.html?id=sku-1` });

    const { status, body } = await get(server, '/v1/admin/install');
    assert.equal(status, 200);
    assert.deepEqual(body.allowed_origins, [SHOP]);
    assert.equal(body.webhook_secret_revealed, false);
    const seen = body.sightings.map((s) => [s.origin, s.path, s.impressions]).sort();
    assert.deepEqual(seen, [[server.url, '/demo/product.html', 1], [SHOP, '/', 2]]);
  } finally { await server.stop(); }
});

test('a generated webhook secret is kept in the database across restarts and shown once per database', async () => {
  const first = await serve('secret.db', null);
  let secret;
  try {
    secret = /webhook secret: ([0-9a-f]{48})  \(generated and kept in the database/.exec(first.banner())?.[1];
    assert.ok(secret, first.banner());
    const shown = await post(first, '/v1/admin/install/webhook-secret', {}, auth);
    assert.deepEqual(shown, { status: 200, body: { webhook_secret: secret } });
    const again = await post(first, '/v1/admin/install/webhook-secret', {}, auth);
    assert.equal(again.status, 410);
    assert.equal(again.body.error.code, 'install.secret_already_shown');
  } finally { await first.stop(); }

  const second = await serve('secret.db', null);
  try {
    assert.doesNotMatch(second.banner(), /[0-9a-f]{48}/, 'the kept secret is not printed again');
    assert.match(second.banner(), /webhook secret: kept in the database \(the dashboard's Install page shows it once\)/);
    const { body, signature } = signed({ order_id: 'kept-1', value: 10, currency: 'USD', items: [] }, secret, Math.floor(Date.now() / 1000));
    const res = await fetch(`${second.url}/v1/orders`, { method: 'POST', body, headers: { 'x-vouch-signature': signature } });
    assert.equal(res.status, 200, 'orders signed with the kept secret are accepted after a restart');
    // Shown once per database, not once per process: a restart (or another instance) does not show it again.
    const again = await post(second, '/v1/admin/install/webhook-secret', {}, auth);
    assert.equal(again.status, 410);
    assert.equal(again.body.error.code, 'install.secret_already_shown');
  } finally { await second.stop(); }
});

test('the moderation log keeps every decision, newest first, beside the latest one per item', async () => {
  const server = await serve('moderation.db', 'secret-moderation');
  try {
    for (const status of ['published', 'rejected']) {
      const res = await post(server, '/v1/admin/moderation', { ugc: 'r-20', status }, auth);
      assert.equal(res.status, 200);
    }
    const { body } = await get(server, '/v1/admin/moderation');
    assert.deepEqual(body.log.map((d) => [d.ugc, d.status]), [['r-20', 'rejected'], ['r-20', 'published']]);
    assert.deepEqual(body.decisions.map((d) => [d.ugc, d.status]), [['r-20', 'rejected']]);
    for (const d of body.log) assert.match(d.decided_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(body.pending.every((item) => typeof item.moderation.spam === 'boolean'));
  } finally { await server.stop(); }
});

test('injection attempts waiting for moderation are called spam, with the script named', async () => {
  // Two injection attempts the seed-1 feed plants as published, made pending here:
  // r-211 "';alert('quote');//" (script 3) and r-298 '<a href="javascript:void(0)">see photos</a>'
  // (markup 2 + script 3).
  const planted = JSON.parse(readFileSync(feed, 'utf8'));
  for (const item of planted.ugc) if (item.id === 'r-211' || item.id === 'r-298') item.status = 'pending';
  const pendingFeed = join(dir, 'feed-injections.json');
  writeFileSync(pendingFeed, JSON.stringify(planted));
  const server = await serve('injections.db', 'secret-injections', pendingFeed);
  try {
    const { body } = await get(server, '/v1/admin/moderation');
    const verdict = (id) => body.pending.find((item) => item.id === id).moderation;
    assert.deepEqual([verdict('r-211').spam, verdict('r-211').points, verdict('r-211').signals], [true, 3, ['script']]);
    assert.deepEqual([verdict('r-298').spam, verdict('r-298').points, verdict('r-298').signals], [true, 5, ['markup', 'script']]);
    assert.ok(verdict('r-298').reasons.includes('script-like text: a javascript: link, an event handler such as onerror=, or a call such as alert( (+3, enough to exclude it on its own)'));
  } finally { await server.stop(); }
});
