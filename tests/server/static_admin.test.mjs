// Static files (types, caching, no traversal) and the admin endpoints'
// bearer token; the report endpoint against `vouch report` on the same data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { connect } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { workspace, webTree, startServer, startServerRaw, runServeToExit, postEvents, postOrder, admin, conversion, BIN, database } from './harness.mjs';

let ws;
let server;

before(async () => {
  ws = workspace();
  const web = webTree(ws.dir);
  server = await startServer(ws, ['--static', web, '--allow-origin', 'https://shop.example']);
});

after(async () => {
  await server?.stop();
  ws?.cleanup();
});

// Sends a request line as written, without URL normalisation.
function rawRequest(base, target) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    socket.on('data', (d) => { data += d; });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

test('the loader, the engine and the pages are served with their types and cache rules', async () => {
  const loader = await fetch(`${server.base}/vouch.js`);
  assert.equal(loader.status, 200);
  assert.equal(loader.headers.get('content-type'), 'application/javascript; charset=utf-8');
  assert.equal(loader.headers.get('cache-control'), 'no-cache');
  assert.equal(await loader.text(), 'console.log("vouch loader");\n');

  const wasm = await fetch(`${server.base}/vouch-engine.wasm`);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assert.deepEqual([...new Uint8Array(await wasm.arrayBuffer())], [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);

  const hashed = await fetch(`${server.base}/engine.3f2a9c1b.js`);
  assert.equal(hashed.headers.get('cache-control'), 'public, max-age=31536000, immutable');

  const demo = await fetch(`${server.base}/demo/`);
  assert.equal(demo.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(await demo.text(), /Trail &amp; Co/);
  const dashboard = await fetch(`${server.base}/admin/`);
  assert.match(await dashboard.text(), /Vouch dashboard/);
  const redirect = await fetch(`${server.base}/demo`, { redirect: 'manual' });
  assert.equal(redirect.status, 301);
  assert.equal(redirect.headers.get('location'), '/demo/');
});

// GET with the given Accept-Encoding, the body as received (not decoded).
function rawGet(base, path, acceptEncoding) {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {};
    get(`${base}${path}`, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

test('JavaScript and wasm go out gzip-compressed once, as is to a client that does not accept gzip', async () => {
  for (const [path, raw] of [['/vouch.js', Buffer.from('console.log("vouch loader");\n')],
    ['/vouch-engine.wasm', Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])]]) {
    const zipped = await rawGet(server.base, path, 'gzip, deflate, br');
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(zipped.body), raw);
    const plain = await rawGet(server.base, path, '');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.deepEqual(plain.body, raw);
  }
});

test('a shop on an allowed origin may import the loader and the engine; another origin gets no CORS grant', async () => {
  for (const path of ['/vouch.js', '/vouch-engine.wasm']) {
    const allowed = await fetch(`${server.base}${path}`, { headers: { Origin: 'https://shop.example' } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://shop.example');
    assert.match(allowed.headers.get('vary'), /Origin/);
    const other = await fetch(`${server.base}${path}`, { headers: { Origin: 'https://elsewhere.example' } });
    assert.equal(other.status, 200);   // a plain GET: the browser, not the server, withholds it
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  }
});

test('a static file answers 304 to its ETag', async () => {
  const etag = (await fetch(`${server.base}/vouch.js`)).headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  const again = await fetch(`${server.base}/vouch.js`, { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
});

test('paths that climb out of web/ or name hidden files are not served', async () => {
  for (const target of ['/../secret.txt', '/demo/../../secret.txt', '/%2e%2e/secret.txt', '/demo/%2e%2e/%2e%2e/secret.txt',
    '/..%2fsecret.txt', '/.hidden', '/admin/..%5c..%5csecret.txt']) {
    const raw = await rawRequest(server.base, target);
    assert.doesNotMatch(raw, /outside the web root/, target);
    assert.match(raw, /^HTTP\/1\.1 (404|400)/, target);
  }
  const missing = await fetch(`${server.base}/nope.js`);
  assert.equal(missing.status, 404);
  assert.deepEqual(await missing.json(), { error: { code: 'http.not_found', message: 'nothing is served at this path' } });
});

test('admin endpoints refuse a request without the token, or with a wrong one', async () => {
  for (const path of ['/v1/admin/events/summary', '/v1/admin/events', '/v1/admin/moderation', '/v1/reports/influencers']) {
    const none = await fetch(`${server.base}${path}`);
    assert.equal(none.status, 401, path);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    assert.deepEqual(await none.json(), { error: { code: 'auth.missing_token',
      message: 'this endpoint needs the header Authorization: Bearer <admin token>' } });
    const wrong = await fetch(`${server.base}${path}`, { headers: { authorization: 'Bearer guess' } });
    assert.equal(wrong.status, 401, path);
    assert.deepEqual(await wrong.json(), { error: { code: 'auth.invalid_token', message: 'the admin token is wrong' } });
  }
  const posted = await fetch(`${server.base}/v1/admin/moderation`, { method: 'POST', body: '{"ugc":"r-1","status":"rejected"}' });
  assert.equal(posted.status, 401);
  const ok = await fetch(`${server.base}/v1/admin/events/summary`, { headers: admin });
  assert.equal(ok.status, 200);
});

test('the influencer report equals `vouch report` on the same touches and orders', async () => {
  await postEvents(server.base, [conversion('rep-conv-1', 'rep-1', 'v-rep')]);
  await postOrder(server.base, { order_id: 'rep-2', visitor: 'v-rep2', at: '2026-10-02T10:00:00Z', value: 40, currency: 'USD',
    items: [{ product: 'sku-1', qty: 1, price: 40 }], coupon: null, customer: null });
  const res = await fetch(`${server.base}/v1/reports/influencers`, { headers: admin });
  const body = await res.json();
  assert.equal(res.status, 200);
  // The same data as the CLI reads it: the touch carried by the conversion, and both orders
  // (the browser's conversion is not verified; the signed order is).
  const touches = [{ visitor: 'v-rep', at: '2026-10-01T12:00:00Z', influencer: 'inf-1', code: null, source: 'link', landing: '/p/sku-1' }];
  const orders = [
    { order_id: 'rep-1', visitor: 'v-rep', at: '2026-10-01T12:30:00Z', value: 129, currency: 'USD', items: [{ product: 'sku-1', qty: 1, price: 129 }], coupon: null, customer: null, verified: false },
    { order_id: 'rep-2', visitor: 'v-rep2', at: '2026-10-02T10:00:00Z', value: 40, currency: 'USD', items: [{ product: 'sku-1', qty: 1, price: 40 }], coupon: null, customer: null },
  ];
  writeFileSync(`${ws.dir}/touches.jsonl`, touches.map((x) => JSON.stringify(x)).join('\n') + '\n');
  writeFileSync(`${ws.dir}/orders.jsonl`, orders.map((x) => JSON.stringify(x)).join('\n') + '\n');
  const cli = JSON.parse(execFileSync(BIN, ['report', '--feed', ws.feed, '--touches', `${ws.dir}/touches.jsonl`, '--orders', `${ws.dir}/orders.jsonl`]));
  assert.deepEqual(body, cli);
});

test('the dashboard\'s pages forbid framing and anything not served by this server', async () => {
  for (const path of ['/admin/', '/admin/index.html']) {
    const res = await fetch(`${server.base}${path}`);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get('content-security-policy'),
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data:; object-src 'none'; " +
      "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
  }
  // The widget is embedded by shops: no such headers on it.
  const loader = await fetch(`${server.base}/vouch.js`);
  assert.equal(loader.headers.get('x-frame-options'), null);
  assert.equal(loader.headers.get('content-security-policy'), null);
});

test('an admin token shorter than 24 characters is refused at start; --admin-token-file keeps it out of ps', async () => {
  const short = await runServeToExit(['--feed', ws.feed, '--db', database(ws, 'short'), '--admin-token', 'hunter2-but-longer']);
  assert.equal(short.code, 2);
  assert.match(short.stderr, /the admin token must be at least 24 characters long \(got 18\); generate one with: openssl rand -hex 24/);

  const tokenFile = `${ws.dir}/admin-token.txt`;
  const token = 'file-token-0123456789abcdefghij';
  writeFileSync(tokenFile, token + '\n');
  const child = await startServerRaw(['--feed', ws.feed, '--db', database(ws, 'file'), '--admin-token-file', tokenFile]);
  try {
    assert.doesNotMatch(readFileSync(`/proc/${child.child.pid}/cmdline`, 'utf8'), new RegExp(token));
    const ok = await fetch(`${child.base}/v1/admin/events/summary`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
  } finally {
    await child.stop();
  }
});

test('a report range that is not a date is refused before the engine runs', async () => {
  const range = await fetch(`${server.base}/v1/reports/influencers?from=someday`, { headers: admin });
  assert.equal(range.status, 400);
  assert.deepEqual(await range.json(), { error: { code: 'report.invalid_range', message: 'from must be a date (2026-10-01) or an RFC 3339 time' } });
});
