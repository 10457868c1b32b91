// GET /v1/feed: ETag and 304, gzip, validation at start, reload on SIGHUP
// keeping the last good feed, and moderation overrides from the database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { workspace, startServer, runServeToExit, admin } from './harness.mjs';

let ws;
let server;

before(async () => {
  ws = workspace();
  server = await startServer(ws);
});

after(async () => {
  await server?.stop();
  ws?.cleanup();
});

// A raw GET (fetch always decompresses and hides Content-Encoding details).
function rawGet(url, headers) {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
}

test('the feed carries an ETag, and If-None-Match with it gives 304 with no body', async () => {
  const first = await fetch(`${server.base}/v1/feed`);
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(first.headers.get('cache-control'), 'no-cache');
  const etag = first.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  const feed = await first.json();
  assert.deepEqual(feed, JSON.parse(readFileSync(ws.feed, 'utf8')));

  const again = await rawGet(`${server.base}/v1/feed`, { 'if-none-match': etag });
  assert.equal(again.status, 304);
  assert.equal(again.headers.etag, etag);
  assert.equal(again.body.length, 0);
  const weak = await rawGet(`${server.base}/v1/feed`, { 'if-none-match': `"nope", W/${etag}` });
  assert.equal(weak.status, 304);
  const other = await rawGet(`${server.base}/v1/feed`, { 'if-none-match': '"0000"' });
  assert.equal(other.status, 200);
});

test('the feed is gzipped when the client accepts gzip, and plain otherwise', async () => {
  const gz = await rawGet(`${server.base}/v1/feed`, { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  const { gunzipSync } = await import('node:zlib');
  assert.deepEqual(JSON.parse(gunzipSync(gz.body)), JSON.parse(readFileSync(ws.feed, 'utf8')));
  const plain = await rawGet(`${server.base}/v1/feed`, {});
  assert.equal(plain.headers['content-encoding'], undefined);
});

test('a moderation decision changes the served status and the ETag', async () => {
  const before_ = await fetch(`${server.base}/v1/feed`);
  const etag = before_.headers.get('etag');
  const feed = await before_.json();
  const item = feed.ugc.find((u) => u.status === 'published');
  const decided = await fetch(`${server.base}/v1/admin/moderation`, {
    method: 'POST', headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({ ugc: item.id, status: 'rejected' }),
  });
  assert.equal(decided.status, 200);
  assert.equal((await decided.json()).status, 'rejected');
  const after_ = await fetch(`${server.base}/v1/feed`, { headers: { 'if-none-match': etag } });
  assert.equal(after_.status, 200);
  assert.notEqual(after_.headers.get('etag'), etag);
  assert.equal((await after_.json()).ugc.find((u) => u.id === item.id).status, 'rejected');

  const unknown = await fetch(`${server.base}/v1/admin/moderation`, {
    method: 'POST', headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({ ugc: 'no-such-ugc', status: 'rejected' }),
  });
  assert.equal(unknown.status, 404);
  assert.deepEqual(await unknown.json(), { error: { code: 'moderation.unknown_ugc', path: '/ugc', message: 'the feed has no UGC item "no-such-ugc"' } });
});

test('a bad feed on SIGHUP is refused and the last good feed is still served; a good one replaces it', async () => {
  const etag = (await fetch(`${server.base}/v1/feed`)).headers.get('etag');
  const good = JSON.parse(readFileSync(ws.feed, 'utf8'));
  writeFileSync(ws.feed, JSON.stringify({ ...good, version: 'one' }));
  server.child.kill('SIGHUP');
  await waitFor(() => server.stderr().includes('feed_reload_rejected'));
  const still = await fetch(`${server.base}/v1/feed`);
  assert.equal(still.headers.get('etag'), etag);

  good.store.name = 'Trail & Co (reloaded)';
  writeFileSync(ws.feed, JSON.stringify(good));
  server.child.kill('SIGHUP');
  await waitFor(() => server.stderr().includes('feed_reloaded'));
  const fresh = await fetch(`${server.base}/v1/feed`);
  assert.notEqual(fresh.headers.get('etag'), etag);
  assert.equal((await fresh.json()).store.name, 'Trail & Co (reloaded)');
});

test('an invalid feed at start is refused: exit 1 with the errors printed', async () => {
  const bad = `${ws.dir}/bad-feed.json`;
  writeFileSync(bad, '{"version": 1, "store": {"id": "x"}}');
  const r = await runServeToExit(['--feed', bad, '--db', `${ws.dir}/refused.db`]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /is invalid; not starting/);
  assert.match(r.stderr, /"code":"feed\./);
  assert.doesNotMatch(r.stdout, /listening/);
});

async function waitFor(predicate, ms = 10000) {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
