// Three `vouch serve` instances on one PostgreSQL database (VOUCH_TEST_PG,
// scripts/pg-scratch.sh), requests sprayed across them: nothing that matters
// is per instance. Skipped on SQLite (one machine: docs/server.md, "Scale-out").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { PG, workspace, startServer, postEvents, postOrder, summary, sign, conversion, click, admin, NO_LIMITS, until } from './harness.mjs';
import { png } from '../fixtures/images.mjs';

const skip = PG ? false : 'needs PostgreSQL (VOUCH_TEST_PG)';
let ws;
let servers = [];

before(async () => {
  if (skip) return;
  ws = workspace();
  // Started together: the three race to migrate the new database (one does, under the lock).
  servers = await Promise.all([0, 1, 2].map(() => startServer(ws, [...NO_LIMITS, '--review-rate-limit', '0', '--no-access-log'])));
});

after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  ws?.cleanup();
});

const live = () => servers.filter((s) => s.child.exitCode === null && s.child.signalCode === null);


// Clients sending batches of 20 fresh events round-robin to the live
// instances until stopped; a failed batch (503, a cut connection) is sent
// again, as the widget's outbox does. Returns the acknowledged ids.
function load(prefix, clients = 6) {
  const acknowledged = new Set();
  let failures = 0;
  let running = true;
  const loops = Array.from({ length: clients }, async (_, c) => {
    let events = null;
    for (let n = 0; running; ++n) {
      events ??= Array.from({ length: 20 }, (_, i) => click(`${prefix}-${c}-${n}-${i}`, `v-${prefix}-${c}`));
      const targets = live();
      const base = targets[n % targets.length].base;
      try {
        const res = await fetch(`${base}/v1/events`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }),
        });
        const body = await res.json();
        if (res.status === 200) { for (const id of body.accepted) acknowledged.add(id); events = null; } else failures += 1;
      } catch {
        failures += 1;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  });
  return { acknowledged, failures: () => failures, stop: async () => { running = false; await Promise.all(loops); } };
}

// Every event id, paging GET /v1/admin/events on one instance from `cursor`.
async function pageAll(base, cursor = '0', seen = []) {
  for (;;) {
    const page = await (await fetch(`${base}/v1/admin/events?after=${cursor}&limit=500`, { headers: admin })).json();
    if (!Array.isArray(page.events)) throw new Error(`events page after ${cursor}: ${JSON.stringify(page)}`);
    for (const e of page.events) seen.push(e.id);
    cursor = page.next;
    if (page.events.length === 0) return { seen, cursor };
  }
}

test('one order under 16 concurrent duplicates across three instances is stored once', { skip }, async () => {
  // The browser's conversion, 16 times (other event ids), and the store's signed order, 16 deliveries.
  const conversions = Array.from({ length: 16 }, (_, i) =>
    postEvents(servers[i % 3].base, [conversion(`dup-conv-${i}`, 'dup-1001', `v-dup-${i}`)]));
  const t = Math.floor(Date.now() / 1000);
  const order = { order_id: 'dup-1001', at: '2026-10-01T12:30:00Z', value: 129, currency: 'USD', items: [{ product: 'sku-1', qty: 1, price: 129 }] };
  const signed = Array.from({ length: 16 }, (_, i) => postOrder(servers[i % 3].base, order, { t: t - i }));
  const answers = await Promise.all([...conversions, ...signed]);
  assert.ok(answers.every((a) => a.status === 200), JSON.stringify(answers.map((a) => a.status)));
  const results = answers.slice(16).map((a) => a.body.result).sort();
  // One delivery created or replaced the browser's order; the other 15 are duplicates.
  assert.equal(results.filter((r) => r === 'duplicate').length, 15, results.join());
  const stored = await summary(servers[2].base);
  assert.equal(stored.orders.total, 1);
  assert.equal(stored.orders.server, 1);
});

test('a webhook delivery accepted by one instance is refused as a replay by the others', { skip }, async () => {
  const body = JSON.stringify({ order_id: 'replay-1', at: '2026-10-01T12:30:00Z', value: 20, currency: 'USD', items: [] });
  const signature = sign(body, Math.floor(Date.now() / 1000));
  const deliver = (s) => fetch(`${s.base}/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-vouch-signature': signature }, body });
  assert.equal((await deliver(servers[0])).status, 200);
  for (const s of servers.slice(1)) {
    const res = await deliver(s);
    assert.equal(res.status, 409);
    assert.equal((await res.json()).error.code, 'webhook.replayed');
  }
});

test('the webhook secret is shown once per database, not once per instance', { skip }, async () => {
  const reveal = (s) => fetch(`${s.base}/v1/admin/install/webhook-secret`, { method: 'POST', headers: admin });
  assert.equal((await reveal(servers[0])).status, 200);
  for (const s of servers) {
    const again = await reveal(s);
    assert.equal(again.status, 410);
    assert.equal((await again.json()).error.code, 'install.secret_already_shown');
    const install = await (await fetch(`${s.base}/v1/admin/install`, { headers: admin })).json();
    assert.equal(install.webhook_secret_revealed, true);
  }
});

test('a moderation decision on one instance gives every instance the same new ETag', { skip }, async () => {
  const etags = async (path) => Promise.all(servers.map(async (s) => (await fetch(s.base + path)).headers.get('etag')));
  const before_ = await etags('/v1/products/sku-2.json');
  assert.equal(new Set(before_).size, 1, 'the same feed and decisions: the same bytes everywhere');
  const doc = await (await fetch(`${servers[0].base}/v1/products/sku-2.json`)).json();
  const item = doc.ugc.find((u) => u.rating !== null);
  const decided = await fetch(`${servers[1].base}/v1/admin/moderation`, {
    method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ ugc: item.id, status: 'rejected' }),
  });
  assert.equal(decided.status, 200);
  const after_ = await until(async () => {
    const now = await etags('/v1/products/sku-2.json');
    return now.every((e) => e !== before_[0]) && new Set(now).size === 1 && now;
  }, 'every instance to serve the new document');
  assert.notEqual(after_[0], before_[0]);
  const served = await (await fetch(`${servers[2].base}/v1/products/sku-2.json`)).json();
  assert.ok(!served.ugc.some((u) => u.id === item.id));
});

test('rate limits and the admin-token throttle are shared by the instances', { skip }, async () => {
  // Limited instances on the same database: 60 events a minute per visitor,
  // 10 wrong admin tokens a minute per address, in all.
  // Behind a trusted proxy, so the wrong tokens come from an address of their own.
  const limited = await Promise.all([0, 1, 2].map(() =>
    startServer(ws, ['--rate-limit', '60', '--trusted-proxy', '127.0.0.1', '--no-access-log'])));
  try {
    const batch = (n) => Array.from({ length: 25 }, (_, i) => click(`lim-${n}-${i}`, 'v-limited'));
    const first = await postEvents(limited[0].base, batch(0));
    const second = await postEvents(limited[1].base, batch(1));
    const third = await postEvents(limited[2].base, batch(2));
    // 25 + 25 fit in the visitor's 60; 25 more do not, on whichever instance.
    assert.deepEqual([first.status, second.status, third.status], [200, 200, 429]);
    assert.equal(third.body.error.code, 'events.rate_limited');
    const wrong = { authorization: 'Bearer wrong-token-wrong-token-wrong-token', 'x-forwarded-for': '203.0.113.9' };
    const statuses = [];
    for (let i = 0; i < 11; ++i) statuses.push((await fetch(`${limited[i % 3].base}/v1/admin/events/summary`, { headers: wrong })).status);
    assert.deepEqual(statuses, [...Array(10).fill(401), 429]);
  } finally {
    await Promise.all(limited.map((s) => s.stop()));
  }
});

test('a review token spent through one instance is refused by another; a photo uploaded to one is served by another', { skip }, async () => {
  const order = { order_id: 'rev-1', at: '2026-10-01T12:30:00Z', value: 129, currency: 'USD', items: [{ product: 'sku-1', qty: 1, price: 129 }] };
  const created = await postOrder(servers[0].base, order);
  assert.equal(created.status, 200);
  const token = created.body.review_token;
  const upload = await fetch(`${servers[0].base}/v1/reviews/photos`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: png({ width: 40, height: 30 }) });
  assert.equal(upload.status, 201);
  const photo = await upload.json();
  const served = await fetch(servers[2].base + photo.url);
  assert.equal(served.status, 200);
  assert.equal(served.headers.get('content-type'), 'image/webp');
  const review = (clientId) => ({ client_id: clientId, product: 'sku-1', rating: 5, title: 'Great', body: 'Dry feet all weekend long.',
    author: { name: 'Sam' }, token, photos: [photo.photo] });
  const post = (s, body) => fetch(`${s.base}/v1/reviews`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const first = await post(servers[1], review('scale-c-1'));
  assert.equal(first.status, 201);
  assert.equal((await first.json()).verified_buyer, true);
  const second = await post(servers[2], review('scale-c-2'));
  assert.equal(second.status, 409);
  assert.equal((await second.json()).error.code, 'review.token_used');
});

test('paging /v1/admin/events during a three-instance load never skips an event', { skip }, async () => {
  const { cursor: start } = await pageAll(servers[0].base);
  const run = load('page');
  const seen = [];
  let cursor = start;
  // Page while writes commit on all three instances, in whatever order.
  await until(async () => {
    ({ cursor } = await pageAll(servers[1].base, cursor, seen));
    return run.acknowledged.size >= 3000;
  }, '3000 acknowledged events');
  await run.stop();
  await pageAll(servers[1].base, cursor, seen);
  const mine = seen.filter((id) => id.startsWith('page-'));
  assert.equal(new Set(mine).size, mine.length, 'no event twice');
  const missing = [...run.acknowledged].filter((id) => !mine.includes(id));
  assert.deepEqual(missing, [], `${missing.length} acknowledged events were skipped by the pages`);
});

test('SIGKILL of one instance mid-load: the others keep serving and nothing acknowledged is lost', { skip }, async () => {
  const run = load('kill');
  await until(() => run.acknowledged.size >= 2000, '2000 acknowledged events');
  servers[0].child.kill('SIGKILL');
  assert.equal((await servers[0].exited).signal, 'SIGKILL');
  const atKill = run.acknowledged.size;
  await until(() => run.acknowledged.size >= atKill + 2000, 'the other two to acknowledge 2000 more');
  await run.stop();
  const { seen } = await pageAll(servers[1].base);
  const stored = new Set(seen);
  const lost = [...run.acknowledged].filter((id) => !stored.has(id));
  assert.deepEqual(lost, [], `${lost.length} of ${run.acknowledged.size} acknowledged events are missing`);
  servers[0] = await startServer(ws, [...NO_LIMITS, '--review-rate-limit', '0', '--no-access-log']);
});

test('pg_ctl restart mid-load: requests in flight fail with 503, retries succeed, nothing acknowledged is lost', { skip: skip || (!process.env.VOUCH_PG_CTL && 'needs VOUCH_PG_CTL') }, async () => {
  const run = load('restart');
  await until(() => run.acknowledged.size >= 2000, '2000 acknowledged events');
  const unavailable = [];
  const probe = (async () => {
    // What a client hears while the database restarts.
    for (let i = 0; i < 200 && unavailable.length === 0; ++i) {
      const r = await postEvents(servers[i % 3].base, [click(`probe-${i}`, 'v-probe')]).catch(() => null);
      if (r && r.status === 503) unavailable.push(r.body.error.code);
      await new Promise((res) => setTimeout(res, 10));
    }
  })();
  execSync(`${process.env.VOUCH_PG_CTL} restart -m fast`, { stdio: 'ignore' });
  await probe;
  const atRestart = run.acknowledged.size;
  await until(() => run.acknowledged.size >= atRestart + 2000, '2000 more acknowledged after the restart');
  await run.stop();
  assert.ok(run.failures() > 0, 'some batches failed while the database was down');
  assert.deepEqual([...new Set(unavailable)], ['store.unavailable']);
  const { seen } = await pageAll(servers[2].base);
  const stored = new Set(seen);
  const lost = [...run.acknowledged].filter((id) => !stored.has(id));
  assert.deepEqual(lost, [], `${lost.length} of ${run.acknowledged.size} acknowledged events are missing`);
});
