// The database cannot be filled by strangers: raw events and touches are
// kept for --retention-days and pruned in the background, and a database at
// its size cap (--max-db-mb; a full disk answers the same way) refuses new
// batches with 503 while every acknowledged event stays stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { workspace, startServer, runServeToExit, postEvents, storedIds, summary, click, NO_LIMITS, database, PG, until } from './harness.mjs';

let ws;

before(() => { ws = workspace(); });
after(() => ws?.cleanup());


test('touches older than the retention are pruned in the background', async () => {
  const db = { ...ws, db: database(ws, 'retention') };
  const at = (daysAgo) => new Date(Date.now() - daysAgo * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
  const touch = (id, daysAgo) => ({ id, type: 'touch', at: at(daysAgo), visitor: `v-${id}`, code: 'SUNNYHIKIN17', source: 'link' });
  // Stored by a server that keeps everything (--retention-days 0)...
  const keeping = await startServer(db, [...NO_LIMITS, '--retention-days', '0']);
  try {
    const r = await postEvents(keeping.base, [touch('old-1', 31), touch('old-2', 45), touch('new-1', 29)]);
    assert.equal(r.body.accepted.length, 3);
    await new Promise((done) => setTimeout(done, 1500));
    assert.equal((await summary(keeping.base)).touches, 3);
  } finally {
    await keeping.stop();
  }
  // ...then served with a 30-day retention: its first housekeeping tick
  // deletes the two touches made more than 30 days ago (and checks again hourly).
  const server = await startServer(db, [...NO_LIMITS, '--retention-days', '30']);
  try {
    await until(async () => (await summary(server.base)).touches === 1, 'the old touches to be pruned');
    assert.match(server.stderr(), /"event":"retention_pruned","level":"info","rows":2/);
    // The events themselves were received today: kept.
    assert.equal((await summary(server.base)).events.total, 3);
  } finally {
    await server.stop();
  }
});

// --max-db-mb caps an SQLite file; PostgreSQL is sized (and full) on its own server.
test('a full database answers 503 store.full and loses nothing it acknowledged', { skip: PG ? 'SQLite only' : false }, async () => {
  const full = { ...ws, db: database(ws, 'full') };
  // 2 MiB: the demo store's catalogue, items and documents take ~0.8 MiB of it.
  const server = await startServer(full, [...NO_LIMITS, '--max-db-mb', '2']);
  const acknowledged = [];
  let refused = null;
  try {
    // Batches of 50 events of ~600 bytes (~30 KB) until the cap is reached.
    for (let n = 0; n < 100 && !refused; ++n) {
      const events = Array.from({ length: 50 }, (_, i) => ({ ...click(`full-${n}-${i}`, `v-full-${n}`), target: `/p/${'x'.repeat(500)}` }));
      const r = await postEvents(server.base, events);
      if (r.status === 200) acknowledged.push(...r.body.accepted);
      else refused = r;
    }
    assert.ok(refused, 'the cap was reached');
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '60');
    assert.deepEqual(refused.body, { error: { code: 'store.full',
      message: 'the database is full; nothing of this request was stored; retry later' } });
    assert.ok(acknowledged.length >= 500, `${acknowledged.length} events stored before the cap`);
    // Reads still work on a full database.
    assert.equal((await summary(server.base)).events.total, acknowledged.length);
  } finally {
    await server.stop();
  }
  // Restarted without the cap: everything acknowledged is there, and ingest resumes.
  const restarted = await startServer(full, NO_LIMITS);
  try {
    const stored = new Set(await storedIds(restarted.base));
    assert.deepEqual(acknowledged.filter((id) => !stored.has(id)), []);
    assert.equal(stored.size, acknowledged.length);
    assert.equal((await postEvents(restarted.base, [click('after-full', 'v-after')])).status, 200);
  } finally {
    await restarted.stop();
  }
});

test('a PostgreSQL server that cannot be reached: exit 1 with the address (password hidden), nothing leaked', async () => {
  // Port 1 on loopback: nothing listens there, so libpq's connect is refused at once.
  const r = await runServeToExit(['--feed', ws.feed, '--db', 'postgres://vouch:s3cret@127.0.0.1:1/vouch']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /cannot connect to PostgreSQL at postgres:\/\/vouch:\*\*\*@127\.0\.0\.1:1\/vouch/);
  assert.doesNotMatch(r.stderr, /s3cret/);
  // Under the ASan build, LeakSanitizer reports a PGconn left behind by the failed connect.
  assert.doesNotMatch(r.stderr, /LeakSanitizer/);
});
