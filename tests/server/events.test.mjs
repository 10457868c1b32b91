// POST /v1/events against a real `vouch serve`: idempotent retries, per-event
// validation, limits, order-id dedupe, CORS and the per-visitor rate limit
// (the other limits: limits.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { workspace, startServer, postEvents, summary, storedIds, click, conversion, NO_LIMITS, database } from './harness.mjs';

let ws;
let server;

before(async () => {
  ws = workspace();
  server = await startServer(ws, ['--allow-origin', 'https://shop.example,https://www.shop.example', ...NO_LIMITS]);
});

after(async () => {
  await server?.stop();
  ws?.cleanup();
});

test('a batch retried three times, twice at once, is accepted each time and stored exactly once', async () => {
  const batch = [click('retry-1', 'v-retry'), click('retry-2', 'v-retry'), click('retry-3', 'v-retry')];
  const before_ = (await summary(server.base)).events.total;
  const first = await postEvents(server.base, batch);
  const again = await Promise.all([postEvents(server.base, batch), postEvents(server.base, batch)]);
  for (const r of [first, ...again]) {
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { accepted: ['retry-1', 'retry-2', 'retry-3'], rejected: [] });
  }
  const ids = await storedIds(server.base);
  assert.equal(ids.filter((id) => id.startsWith('retry-')).length, 3);
  assert.equal((await summary(server.base)).events.total, before_ + 3);
});

test('a bad event is rejected with its code while the good ones of the batch are stored', async () => {
  const batch = [
    click('mixed-good-1', 'v-mixed'),
    { id: 'mixed-bad-type', type: 'pageview', at: '2026-10-01T12:00:00Z', visitor: 'v-mixed' },
    { id: 'mixed-bad-time', type: 'click', at: 'yesterday', visitor: 'v-mixed', placement: 'p', target: '/x' },
    { type: 'click', at: '2026-10-01T12:00:00Z', visitor: 'v-mixed', placement: 'p', target: '/x' },
    { id: 'mixed-nobody', type: 'touch', at: '2026-10-01T12:00:00Z', visitor: 'v-mixed', source: 'link' },
    click('mixed-good-2', 'v-mixed'),
  ];
  const r = await postEvents(server.base, batch);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.accepted, ['mixed-good-1', 'mixed-good-2']);
  // Every fault names its field by its path, as the touch's below always did,
  // and reads as in every contract (issue 32: these once said "type must be
  // one of impression, ...", "at must be ..." and "id must be a string of ...").
  assert.deepEqual(r.body.rejected, [
    { id: 'mixed-bad-type', index: 1, code: 'event.unknown_type', path: '/events/1/type',
      message: 'events[1].type must be one of "impression", "click", "helpful_vote", "touch" or "conversion", got "pageview"' },
    { id: 'mixed-bad-time', index: 2, code: 'event.invalid_time', path: '/events/2/at',
      message: 'events[2].at must be an RFC 3339 time such as 2026-10-02T17:00:00Z, got "yesterday"' },
    { id: null, index: 3, code: 'event.invalid_id', path: '/events/3/id',
      message: 'events[3].id must be 1 to 64 visible ASCII characters, got nothing' },
    // Touches are checked by the attribution engine's own validator (touch.* codes).
    { id: 'mixed-nobody', index: 4, code: 'touch.missing_referrer', path: '/events/4',
      message: 'events[4] needs an influencer or a code' },
  ]);
  const ids = await storedIds(server.base);
  assert.deepEqual(ids.filter((id) => id.startsWith('mixed-')).sort(), ['mixed-good-1', 'mixed-good-2']);
});

test('a body over 64 KiB is refused with 413 and nothing of it is stored', async () => {
  const before_ = (await summary(server.base)).events.total;
  // 100 events of ~700 bytes: about 70 KiB, over the 65,536-byte limit.
  const events = Array.from({ length: 100 }, (_, i) => ({ ...click(`big-${i}`, 'v-big'), target: `/p/${'x'.repeat(650)}` }));
  const body = JSON.stringify({ events });
  assert.ok(body.length > 65536);
  const res = await fetch(`${server.base}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.equal(res.status, 413);
  assert.deepEqual(await res.json(), { error: { code: 'request.too_large', message: 'the request body is larger than the server accepts' } });
  assert.equal((await summary(server.base)).events.total, before_);
});

test('a batch of 101 events is refused with 413 and nothing of it is stored', async () => {
  const before_ = (await summary(server.base)).events.total;
  const events = Array.from({ length: 101 }, (_, i) => click(`many-${i}`, 'v-many'));
  const r = await postEvents(server.base, events);
  assert.equal(r.status, 413);
  assert.deepEqual(r.body, { error: { code: 'events.too_many', message: 'a batch may hold at most 100 events, got 101', path: '/events' } });
  assert.equal((await summary(server.base)).events.total, before_);
});

test('ten concurrent conversions with the same order id are all accepted and store one order', async () => {
  const before_ = await summary(server.base);
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) =>
    postEvents(server.base, [conversion(`dup-conv-${i}`, 'order-dup-1', `v-dup-${i}`)])));
  for (const [i, r] of results.entries()) {
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.accepted, [`dup-conv-${i}`]);
    assert.deepEqual(r.body.rejected, []);
  }
  // Only the conversion that created the order gets its review token.
  assert.equal(results.filter((r) => r.body.review_tokens).length, 1);
  const after_ = await summary(server.base);
  assert.equal(after_.orders.browser, before_.orders.browser + 1);
  // Each conversion event is kept (it is a distinct event), the order once.
  assert.equal(after_.events.by_type.conversion, (before_.events.by_type.conversion ?? 0) + 10);
});

test('a malformed body is a JSON error, not a crash', async () => {
  const res = await fetch(`${server.base}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"events": [' });
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.equal(body.error.code, 'events.parse_error');
  const res2 = await postEvents(server.base, undefined);
  assert.equal(res2.status, 400);
  assert.deepEqual(res2.body, { error: { code: 'events.invalid_batch', message: 'the body must be {"events": [...]}', path: '/events' } });
});

test('a configured shop origin gets CORS headers and a preflight; another origin is refused', async () => {
  const pre = await fetch(`${server.base}/v1/events`, {
    method: 'OPTIONS', headers: { origin: 'https://www.shop.example', 'access-control-request-method': 'POST' },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), 'https://www.shop.example');
  assert.equal(pre.headers.get('access-control-allow-methods'), 'GET, POST, OPTIONS');

  const ok = await postEvents(server.base, [click('cors-ok', 'v-cors')], { origin: 'https://shop.example' });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('access-control-allow-origin'), 'https://shop.example');

  const bad = await postEvents(server.base, [click('cors-bad', 'v-cors')], { origin: 'https://evil.example' });
  assert.equal(bad.status, 403);
  assert.deepEqual(bad.body, { error: { code: 'cors.origin_not_allowed',
    message: 'the origin https://evil.example is not allowed; start the server with --allow-origin https://evil.example' } });
  assert.ok(!(await storedIds(server.base)).includes('cors-bad'));
});

test('a visitor over the rate limit gets 429 with Retry-After and nothing stored', async () => {
  const limited = await startServer(workspaceFor(ws, 'limited'), ['--rate-limit', '5']);
  try {
    // 5 events a minute: the bucket starts full with 5 tokens; 3 + 2 empty it,
    // the sixth event needs one more token, 12 s away (60 / 5).
    assert.equal((await postEvents(limited.base, [click('rl-1', 'v-rl'), click('rl-2', 'v-rl'), click('rl-3', 'v-rl')])).status, 200);
    assert.equal((await postEvents(limited.base, [click('rl-4', 'v-rl'), click('rl-5', 'v-rl')])).status, 200);
    const r = await postEvents(limited.base, [click('rl-6', 'v-rl')]);
    assert.equal(r.status, 429);
    assert.equal(r.body.error.code, 'events.rate_limited');
    const wait = Number(r.headers.get('retry-after'));
    assert.ok(wait >= 11 && wait <= 12, `Retry-After ${wait}`);
    assert.equal(r.body.error.message, `too many events from this visitor; retry after ${wait} seconds`);
    // Another visitor has its own bucket.
    assert.equal((await postEvents(limited.base, [click('rl-other', 'v-other')])).status, 200);
    assert.deepEqual((await storedIds(limited.base)).sort(), ['rl-1', 'rl-2', 'rl-3', 'rl-4', 'rl-5', 'rl-other']);
  } finally {
    await limited.stop();
  }
});

function workspaceFor(base, name) {
  return { ...base, db: database(base, name) };
}
