// The public storefront documents (docs/server.md, "Public documents"):
// headers a CDN expects (strong ETag and 304, Cache-Control, gzip once, CORS
// for any origin), the set rebuilt and swapped after a moderation decision
// and a feed reload (the last good one kept when the reload is bad), pages
// past the first equal to `vouch social-proof` byte for byte, the roster
// behind the admin token, and no public GET /v1/feed any more.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { BIN, workspace, startServer, runServeToExit, admin, database } from './harness.mjs';

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
function rawGet(url, headers = {}) {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
}

const json = async (path, headers) => {
  const res = await fetch(`${server.base}${path}`, { headers });
  assert.equal(res.status, 200, path);
  return { etag: res.headers.get('etag'), body: await res.json() };
};

// Drops whitespace outside JSON strings (the CLI indents, the server does not).
function compactJson(text) {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (!' \n\r\t'.includes(c)) {
      out += c;
    }
  }
  return out;
}

async function waitFor(predicate, ms = 15000) {
  const start = Date.now();
  while (!(await predicate())) {
    if (Date.now() - start > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('documents carry a strong ETag, 304 on If-None-Match, public caching, CORS for any origin and gzip', async () => {
  for (const path of ['/v1/store.json', '/v1/products/sku-1.json', '/v1/products/sku-1/reviews.json', '/v1/badges/sku-1.json']) {
    const plain = await rawGet(`${server.base}${path}`, { origin: 'https://elsewhere.example' });
    assert.equal(plain.status, 200, path);
    assert.equal(plain.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(plain.headers['cache-control'], 'public, max-age=60, stale-while-revalidate=600');
    assert.equal(plain.headers['access-control-allow-origin'], '*');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(plain.headers.etag, /^"[0-9a-f]{32}"$/);
    const gz = await rawGet(`${server.base}${path}`, { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.headers.etag, plain.headers.etag);
    assert.deepEqual(gunzipSync(gz.body), plain.body);
    const again = await rawGet(`${server.base}${path}`, { 'if-none-match': plain.headers.etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
  }
});

test('a product document is a valid feed of that product, as of the start of the UTC day', async () => {
  const { body: doc } = await json('/v1/products/sku-1.json');
  assert.equal(doc.version, 1);
  assert.deepEqual(doc.products.map((p) => p.id), ['sku-1']);
  assert.equal(doc.document.kind, 'product');
  assert.equal(doc.document.product, 'sku-1');
  const day = new Date().toISOString().slice(0, 10);
  assert.equal(doc.document.as_of, `${day}T00:00:00Z`);
  assert.equal(doc.document.scope, 'rail');
  assert.deepEqual(doc.document.page_sizes, [8]);
  const { body: reviews } = await json('/v1/products/sku-1/reviews.json');
  assert.equal(reviews.document.scope, 'reviews');
  assert.deepEqual(reviews.document.page_sizes, [10]);
  assert.ok(reviews.ugc.length > doc.ugc.length);
  assert.ok(doc.ugc.length > 0 && doc.ugc.every((u) => u.product === 'sku-1' && u.status === 'published'));
  const path = `${ws.dir}/doc-sku-1.json`;
  writeFileSync(path, JSON.stringify(doc));
  assert.match(execFileSync(BIN, ['validate', path], { encoding: 'utf8' }), /^valid: 1 products/);
});

test('GET /v1/feed is gone: the whole feed is not public', async () => {
  const res = await fetch(`${server.base}/v1/feed`);
  assert.equal(res.status, 404);
  assert.equal((await res.json()).error.code, 'http.not_found');
});

test('unknown products and names that are not canonical are 404', async () => {
  for (const path of ['/v1/products/sku-999.json', '/v1/badges/nope.json', '/v1/products/~73ku-1.json',
    '/v1/products/sku-999/social-proof', '/v1/products/~73ku-1/social-proof']) {
    const res = await fetch(`${server.base}${path}`);
    assert.equal(res.status, 404, path);
    assert.equal((await res.json()).error.code, 'http.not_found');
  }
});

test('pages past the first are vouch social-proof on the whole feed, byte for byte (compact)', async () => {
  const { body: store } = await json('/v1/store.json');
  const cases = [
    ['sort=newest&offset=10&limit=10', ['--sort', 'newest', '--offset', '10', '--limit', '10']],
    ['offset=10&limit=10&locale=fr&min_rating=4&verified_only=true', ['--offset', '10', '--limit', '10', '--locale', 'fr',
      '--min-rating', '4', '--verified-only']],
    ['sort=media&offset=20&limit=10&with_media=1&via=SUNNYHIKIN17', ['--sort', 'media', '--offset', '20', '--limit', '10',
      '--with-media', '--via', 'SUNNYHIKIN17']],
    ['', []],
  ];
  for (const [query, flags] of cases) {
    const res = await fetch(`${server.base}/v1/products/sku-1/social-proof?${query}`);
    assert.equal(res.status, 200, query);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=60, stale-while-revalidate=600');
    const cli = execFileSync(BIN, ['social-proof', '--feed', ws.feed, '--product', 'sku-1', '--no-moderation-lists',
      '--now', store.as_of, ...flags], { encoding: 'utf8' });
    assert.equal(await res.text(), compactJson(cli), query);
  }
});

test('a bad page query gets the engine\'s error with its path; now cannot be chosen', async () => {
  const bad = await fetch(`${server.base}/v1/products/sku-1/social-proof?limit=0`);
  assert.equal(bad.status, 400);
  assert.deepEqual(await bad.json(), { error: { code: 'query.invalid_value', path: '/limit', message: 'limit must be an integer from 1 to 100, got 0' } });
  const word = await fetch(`${server.base}/v1/products/sku-1/social-proof?offset=ten`);
  assert.equal(word.status, 400);
  assert.equal((await word.json()).error.code, 'query.invalid_type');
  const { body: store } = await json('/v1/store.json');
  const page = await (await fetch(`${server.base}/v1/products/sku-1/social-proof?now=2030-01-01T00:00:00Z`)).json();
  assert.equal(page.context.now, store.as_of);
});

test('the roster needs the admin token and carries what matching needs', async () => {
  const anonymous = await fetch(`${server.base}/v1/admin/roster`);
  assert.equal(anonymous.status, 401);
  const { body: roster } = await json('/v1/admin/roster', admin);
  const feed = JSON.parse(readFileSync(ws.feed, 'utf8'));
  assert.equal(roster.influencers.length, feed.influencers.length);
  assert.deepEqual(roster.influencers[0].rate, feed.influencers[0].rate);
  assert.deepEqual(roster.influencers[0].audience, feed.influencers[0].audience);
  assert.deepEqual(roster.ugc, []);
});

// Until the builder has nothing due (a pass still running would take a
// change made now into its own count).
const settled = () => waitFor(async () => (await json('/v1/admin/store', admin)).body.documents.due === 0);

test('a moderation decision rebuilds the documents: the item leaves them and the summary counts it no more', async () => {
  await settled();
  const builds = () => server.stderr().split('\n').filter((line) => line.includes('"documents_built"')).map((line) => JSON.parse(line));
  const passes = builds().length;
  const before_ = await json('/v1/products/sku-1.json');
  const badge = (await json('/v1/badges/sku-1.json')).body.summary;
  const item = before_.body.ugc.find((u) => u.rating !== null);
  const decided = await fetch(`${server.base}/v1/admin/moderation`, {
    method: 'POST', headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({ ugc: item.id, status: 'rejected' }),
  });
  assert.equal(decided.status, 200);
  // The old set answers until the new one is swapped in.
  await waitFor(async () => (await fetch(`${server.base}/v1/products/sku-1.json`)).headers.get('etag') !== before_.etag);
  const after_ = await json('/v1/products/sku-1.json');
  assert.ok(!after_.body.ugc.some((u) => u.id === item.id));
  assert.equal((await json('/v1/badges/sku-1.json')).body.summary.count, badge.count - 1);
  const page = await (await fetch(`${server.base}/v1/products/sku-1/social-proof?limit=100&sort=newest`)).json();
  assert.ok(!page.items.some((u) => u.id === item.id));

  // Only sku-1 was built again; the 23 other products kept their documents
  // (the pass logs once it is done: store.json comes after the product's).
  await waitFor(() => builds().length > passes);
  assert.equal(builds().at(-1).products, 1);
  // And that incremental build wrote what a build from scratch writes: a
  // second server on the same feed and database (the decision applied).
  const fresh = await startServer(ws);
  try {
    for (let n = 1; n <= 24; n++) {
      const [a, b] = await Promise.all([server.base, fresh.base].map((base) => fetch(`${base}/v1/products/sku-${n}.json`)));
      if ((await a.clone().json()).document.as_of !== (await b.clone().json()).document.as_of) continue;   // midnight passed
      assert.equal(a.headers.get('etag'), b.headers.get('etag'), `sku-${n}`);
    }
  } finally {
    await fresh.stop();
  }

  const unknown = await fetch(`${server.base}/v1/admin/moderation`, {
    method: 'POST', headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({ ugc: 'no-such-ugc', status: 'rejected' }),
  });
  assert.equal(unknown.status, 404);
  assert.deepEqual(await unknown.json(), { error: { code: 'moderation.unknown_ugc', path: '/ugc', message: 'the feed has no UGC item "no-such-ugc"' } });
});

test('a bad feed on SIGHUP is refused and the last good documents are still served; a good one replaces them', async () => {
  await settled();
  const etag = (await fetch(`${server.base}/v1/store.json`)).headers.get('etag');
  const good = JSON.parse(readFileSync(ws.feed, 'utf8'));
  writeFileSync(ws.feed, JSON.stringify({ ...good, version: 'one' }));
  server.child.kill('SIGHUP');
  await waitFor(() => server.stderr().includes('feed_reload_rejected'));
  assert.equal((await fetch(`${server.base}/v1/store.json`)).headers.get('etag'), etag);

  good.store.name = 'Trail & Co (reloaded)';
  writeFileSync(ws.feed, JSON.stringify(good));
  server.child.kill('SIGHUP');
  await waitFor(async () => (await json('/v1/store.json')).body.store.name === 'Trail & Co (reloaded)');
  assert.notEqual((await fetch(`${server.base}/v1/store.json`)).headers.get('etag'), etag);
  assert.match(server.stderr(), /"event":"documents_built"/);
});

test('an invalid feed at start is refused: exit 1 with the errors printed', async () => {
  const bad = `${ws.dir}/bad-feed.json`;
  writeFileSync(bad, '{"version": 1, "store": {"id": "x"}}');
  const r = await runServeToExit(['--feed', bad, '--db', database(ws, 'refused')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /is invalid; not starting/);
  assert.match(r.stderr, /"code":"feed\./);
  assert.doesNotMatch(r.stdout, /listening/);
});
