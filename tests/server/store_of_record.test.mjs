// The database is the store of record (issue 28, docs/server.md "Import"):
// a restart serves the stored documents at once with the same ETags and
// reads no feed; a shopper's review, a helpful vote and a decision reach
// their product's documents; `vouch export --db` writes the store with
// them, byte for byte what the same store as a file exports; a changed feed
// file is imported while the server serves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesUnder } from '../cli/helpers.mjs';
import { BIN, PG, workspace, startServer, postEvents, conversion, admin, until } from './harness.mjs';

let ws;
let server;

before(async () => {
  ws = workspace();
  server = await startServer(ws, ['--review-rate-limit', '0']);
});

after(async () => {
  await server?.stop();
  ws?.cleanup();
});

const paths = ['store.json', ...Array.from({ length: 24 }, (_, i) => [`products/sku-${i + 1}.json`,
  `products/sku-${i + 1}/reviews.json`, `badges/sku-${i + 1}.json`]).flat()];

async function getJson(base, path) {
  const res = await fetch(`${base}/v1/${path}`);
  return { status: res.status, etag: res.headers.get('etag'), body: res.status === 200 ? await res.json() : null };
}

const post = (base, path, body, headers = {}) => fetch(`${base}${path}`, {
  method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
}).then(async (r) => ({ status: r.status, body: await r.json() }));

test('a restart serves every stored document at once, with the same ETags, and reads no unchanged feed', async () => {
  const before_ = {};
  for (const path of paths) before_[path] = (await getJson(server.base, path)).etag;
  await server.stop();
  server = await startServer(ws, ['--review-rate-limit', '0']);
  for (const path of paths) {
    const now = await getJson(server.base, path);
    assert.equal(now.status, 200, path);
    assert.equal(now.etag, before_[path], path);
  }
  assert.doesNotMatch(server.stderr(), /"event":"documents_built"/);   // nothing was due
  assert.doesNotMatch(server.stderr(), /"event":"feed_imported"/);     // the file was not read
});

test('a review, a vote and a decision reach sku-3\'s documents; export --db equals the file of the same store', async () => {
  const base = server.base;
  const feed = JSON.parse(readFileSync(ws.feed, 'utf8'));
  assert.equal((await post(base, '/v1/admin/review-settings', { auto_publish: true }, admin)).status, 200);
  const token = (await postEvents(base, [{ ...conversion('conv-sor', 'order-sor', 'v-sor'),
    order: { order_id: 'order-sor', value: 89.0, currency: 'USD', items: [{ product: 'sku-3', qty: 1, price: 89.0 }], coupon: null, customer: null } }]))
    .body.review_tokens[0].token;
  const written = await post(base, '/v1/reviews', { client_id: 'sor-1', product: 'sku-3', rating: 2, title: 'Too narrow',
    body: 'Narrow in the toe box; fine otherwise after a week of walks.', author: { name: 'Kim' }, locale: 'en', token });
  assert.equal(written.status, 201);
  assert.equal(written.body.status, 'published');
  const reviews = 'products/sku-3/reviews.json';
  const shown = await until(async () => (await getJson(base, reviews)).body.ugc.find((u) => u.id === written.body.id),
    'the review in sku-3\'s documents');

  // Two visitors vote for the first published item of sku-3, one of them twice: +2.
  const voted = feed.ugc.find((u) => u.product === 'sku-3' && u.status === 'published' && u.rating !== null);
  const vote = (id, visitor) => ({ id, type: 'helpful_vote', at: new Date().toISOString(), visitor, ugc: voted.id, product: 'sku-3' });
  assert.equal((await postEvents(base, [vote('hv-1', 'v-a'), vote('hv-2', 'v-a'), vote('hv-3', 'v-b')])).status, 200);
  await until(async () => (await getJson(base, reviews)).body.ugc.find((u) => u.id === voted.id)?.helpful === voted.helpful + 2,
    'the votes in the shown helpful count');
  // One more vote costs rows of its own, not of the store: its event, its
  // helpful_votes row, the item's count, its product's change mark (4);
  // then the build: the claim, the product and reviews documents (the badge
  // is unchanged, not written), the product's build mark (4). 8 in all, and
  // up to 4 more for the builder's passes meanwhile. On PostgreSQL the rate
  // limits are shared rows: the vote's 4 buckets inserted and updated (8),
  // and the once-a-second prune deleting the buckets of this test's earlier
  // requests as they refill (at most the 8 it made). Nothing of the store's
  // 600 items.
  const status = async () => (await fetch(`${base}/v1/admin/store`, { headers: admin })).json();
  const rowsBefore = (await status()).rows_written;
  assert.equal((await postEvents(base, [vote('hv-4', 'v-c')])).status, 200);
  await until(async () => (await getJson(base, reviews)).body.ugc.find((u) => u.id === voted.id)?.helpful === voted.helpful + 3,
    'the third vote shown');
  await until(async () => (await status()).documents.due === 0, 'nothing due');
  const rows = (await status()).rows_written - rowsBefore;
  assert.ok(rows >= 8 && rows <= (PG ? 28 : 12), `${rows} rows for one vote`);

  // The owner rejects another published item of sku-3: it leaves the documents.
  const rejected = feed.ugc.find((u) => u.product === 'sku-3' && u.status === 'published' && u.id !== voted.id);
  assert.equal((await post(base, '/v1/admin/moderation', { ugc: rejected.id, status: 'rejected' }, admin)).status, 200);
  await until(async () => !(await getJson(base, reviews)).body.ugc.some((u) => u.id === rejected.id), 'the rejected item gone');

  // The same store as a file: the feed with the votes, the decision, and the
  // shopper's review as an item (as its document shows it: its text is clean).
  const same = structuredClone(feed);
  same.ugc.find((u) => u.id === voted.id).helpful += 3;
  same.ugc.find((u) => u.id === rejected.id).status = 'rejected';
  same.ugc.push(shown);
  const dir = mkdtempSync(join(tmpdir(), 'vouch-sor-'));
  try {
    writeFileSync(join(dir, 'same.json'), JSON.stringify(same));
    const now = new Date().toISOString();
    execFileSync(BIN, ['export', '--db', ws.db, '--out', join(dir, 'db'), '--now', now]);
    execFileSync(BIN, ['export', '--feed', join(dir, 'same.json'), '--out', join(dir, 'file'), '--now', now]);
    const fromDb = filesUnder(join(dir, 'db'));
    const fromFile = filesUnder(join(dir, 'file'));
    assert.deepEqual(Object.keys(fromDb).sort(), Object.keys(fromFile).sort());
    for (const path of Object.keys(fromFile)) assert.ok(fromDb[path].equals(fromFile[path]), path);
    // sku-3 was built after its last change, with the store's ratings of
    // then: its served documents are those bytes too.
    for (const path of ['products/sku-3.json', reviews, 'badges/sku-3.json']) {
      const served = await fetch(`${base}/v1/${path}`);
      assert.ok(Buffer.from(await served.arrayBuffer()).equals(fromFile[`v1/${path}`]), path);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a changed feed file is imported while serving: one item changed, one row written, its product rebuilt', async () => {
  const feed = JSON.parse(readFileSync(ws.feed, 'utf8'));
  const changed = feed.ugc.find((u) => u.product === 'sku-5' && u.status === 'published');
  changed.title = 'Reimported title';
  writeFileSync(ws.feed, JSON.stringify(feed));   // no SIGHUP: the file is polled
  await until(async () => (await getJson(server.base, 'products/sku-5/reviews.json')).body.ugc
    .some((u) => u.id === changed.id && u.title === 'Reimported title'), 'the changed item in sku-5\'s documents');
  const imported = server.stderr().split('\n').filter((l) => l.includes('"feed_imported"')).map((l) => JSON.parse(l)).at(-1);
  assert.equal(imported.summary.rows_written, 1);
  assert.equal(imported.summary.sections.ugc.changed, 1);
  const built = server.stderr().split('\n').filter((l) => l.includes('"documents_built"')).map((l) => JSON.parse(l)).at(-1);
  assert.equal(built.products, 1);
});
