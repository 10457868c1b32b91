// `vouch migrate --from A --to B`: a store moves from SQLite to PostgreSQL and
// back with everything a server shows from it: events (and their order),
// orders, refunds, reviews with their photos, moderation, settings, the kept
// webhook secret. Needs PostgreSQL (VOUCH_TEST_PG).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, PG, workspace, database, startServer, postEvents, postOrder, postRefund, storedIds, summary, report, click, conversion, admin, NO_LIMITS } from './harness.mjs';
import { png } from '../fixtures/images.mjs';

const skip = PG ? false : 'needs PostgreSQL (VOUCH_TEST_PG)';
let ws;

before(() => { if (!skip) ws = workspace(); });
after(() => ws?.cleanup());

// What a server on `db` shows: the figures a migration must keep.
async function shown(db, photoUrl) {
  const server = await startServer({ ...ws, db }, NO_LIMITS);
  try {
    const get = async (path) => (await fetch(server.base + path, { headers: admin })).json();
    const photo = await fetch(server.base + photoUrl);
    return {
      ids: await storedIds(server.base),
      summary: await summary(server.base),
      report: (await report(server.base)).body,
      moderation: await get('/v1/admin/moderation'),
      settings: await get('/v1/admin/review-settings'),
      photo: [photo.status, Buffer.from(await photo.arrayBuffer()).toString('base64')],
    };
  } finally {
    await server.stop();
  }
}

function migrate(from, to) {
  return spawnSync(BIN, ['migrate', '--from', from, '--to', to], { encoding: 'utf8' });
}

test('a store moves from SQLite to PostgreSQL and back with everything it shows', { skip }, async () => {
  const sqlite = join(ws.dir, 'first.db');
  const server = await startServer({ ...ws, db: sqlite }, [...NO_LIMITS, '--review-rate-limit', '0']);
  let photoUrl;
  try {
    for (let n = 0; n < 5; ++n) {
      const r = await postEvents(server.base, Array.from({ length: 20 }, (_, i) => click(`mig-${n}-${i}`, `v-mig-${i}`)));
      assert.equal(r.status, 200);
    }
    assert.equal((await postEvents(server.base, [conversion('mig-conv', 'mig-1001')])).status, 200);
    const order = { order_id: 'mig-1002', at: '2026-10-01T12:30:00Z', value: 129, currency: 'USD', items: [{ product: 'sku-1', qty: 1, price: 129 }] };
    const signed = await postOrder(server.base, order);
    assert.equal(signed.status, 200);
    assert.equal((await postRefund(server.base, { refund_id: 'mig-rf-1', order_id: 'mig-1002', at: '2026-10-02T12:00:00Z', amount: 29, currency: 'USD' })).status, 200);
    const upload = await fetch(`${server.base}/v1/reviews/photos`, { method: 'POST', body: png({ width: 30, height: 20 }) });
    photoUrl = (await upload.json()).url;
    const review = await fetch(`${server.base}/v1/reviews`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'mig-c-1', product: 'sku-1', rating: 5, title: 'Moved', body: 'Still here after the move.',
        author: { name: 'Ana' }, token: signed.body.review_token, photos: [photoUrl.slice(11, 43)] }),
    });
    assert.equal(review.status, 201);
    for (const [path, body] of [['/v1/admin/moderation', { ugc: 'r-3', status: 'rejected' }], ['/v1/admin/review-settings', { auto_publish: true }]]) {
      const res = await fetch(server.base + path, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(res.status, 200);
    }
  } finally {
    await server.stop();
  }
  const original = await shown(sqlite, photoUrl);
  assert.equal(original.ids.length, 101);
  assert.equal(original.photo[0], 200);

  const postgres = database(ws, 'moved');
  const there = migrate(sqlite, postgres);
  assert.equal(there.status, 0, there.stderr);
  const copied = JSON.parse(there.stdout).tables;
  // 100 clicks + 1 conversion; the conversion's order and the signed one; two photo files.
  assert.equal(copied.events, 101);
  assert.equal(copied.orders, 2);
  assert.equal(copied.refunds, 1);
  assert.equal(copied.reviews, 1);
  assert.equal(copied.photo_files, 2);
  assert.deepEqual(await shown(postgres, photoUrl), original);

  // A second copy into the same, now full, database is refused.
  const again = migrate(sqlite, postgres);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /migrate\.destination_not_empty/);

  const back = join(ws.dir, 'back.db');
  const returned = migrate(postgres, back);
  assert.equal(returned.status, 0, returned.stderr);
  assert.deepEqual(await shown(back, photoUrl), original);
});
