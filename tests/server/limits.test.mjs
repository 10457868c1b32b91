// Flooding from outside: the visitor id is the client's to pick, so the
// event collector also limits each client address (from a trusted proxy's
// X-Forwarded-For only) and all clients together; wrong admin tokens are
// counted per address and answered 429 once too many.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { workspace, startServer, postEvents, storedIds, click, admin, database } from './harness.mjs';

let ws;

before(() => { ws = workspace(); });
after(() => ws?.cleanup());

const databaseFor = (name) => ({ ...ws, db: database(ws, name) });
const invented = (prefix, count) => Array.from({ length: count }, (_, i) => click(`${prefix}-${i}`, `v-${prefix}-${i}`));

test('helpful votes have their own, lower limit per address', async () => {
  // --vote-rate-limit 6: six votes pass (6 tokens, 0 left); a batch with one
  // more vote needs 1 token, 10 s away, and is refused whole (its click too);
  // clicks alone still pass.
  const server = await startServer(databaseFor('votes'), ['--vote-rate-limit', '6', '--global-rate-limit', '0']);
  const vote = (i) => ({ id: `vote-${i}`, type: 'helpful_vote', at: new Date().toISOString(), visitor: `v-vote-${i}`, ugc: 'u-1' });
  try {
    assert.equal((await postEvents(server.base, Array.from({ length: 6 }, (_, i) => vote(i)))).status, 200);
    const r = await postEvents(server.base, [vote(6), click('vote-click', 'v-vote-click')]);
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '10');
    assert.deepEqual(r.body, { error: { code: 'events.rate_limited',
      message: 'too many helpful votes from this address; retry after 10 seconds' } });
    assert.equal((await postEvents(server.base, invented('after-votes', 3))).status, 200);
    const stored = await storedIds(server.base);
    assert.equal(stored.filter((id) => id.startsWith('vote-')).length, 6);
  } finally {
    await server.stop();
  }
});

test('100 events from 100 invented visitors meet the per-address limit', async () => {
  // 60 events a minute per address: the first 50 pass (60 tokens, 10 left),
  // the next 50 need 40 more tokens, 40 s away. Each visitor sent one event,
  // far under the per-visitor limit (1,200 a minute).
  const server = await startServer(databaseFor('address'), ['--address-rate-limit', '60', '--global-rate-limit', '0']);
  try {
    assert.equal((await postEvents(server.base, invented('flood-a', 50))).status, 200);
    const r = await postEvents(server.base, invented('flood-b', 50));
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '40');
    assert.deepEqual(r.body, { error: { code: 'events.rate_limited',
      message: 'too many events from this address; retry after 40 seconds' } });
    const stored = await storedIds(server.base);
    assert.equal(stored.filter((id) => id.startsWith('flood-a-')).length, 50);
    assert.equal(stored.filter((id) => id.startsWith('flood-b-')).length, 0);
  } finally {
    await server.stop();
  }
});

test('behind a trusted proxy each client address has its own bucket, and forged entries gain nothing', async () => {
  const server = await startServer(databaseFor('proxy'),
    ['--address-rate-limit', '60', '--global-rate-limit', '0', '--trusted-proxy', '127.0.0.1']);
  try {
    const from = (address) => ({ 'x-forwarded-for': address });
    assert.equal((await postEvents(server.base, invented('px-a', 50), from('203.0.113.1'))).status, 200);
    // Another client behind the same proxy is not held back by the first.
    assert.equal((await postEvents(server.base, invented('px-b', 50), from('203.0.113.2'))).status, 200);
    // The first client claiming to be someone else: the proxy appended its real address last.
    const forged = await postEvents(server.base, invented('px-c', 50), from('198.51.100.9, 203.0.113.1'));
    assert.equal(forged.status, 429);
    assert.equal(forged.body.error.message, 'too many events from this address; retry after 40 seconds');
  } finally {
    await server.stop();
  }
});

test('without --trusted-proxy, X-Forwarded-For is the client\'s word and is ignored', async () => {
  const server = await startServer(databaseFor('untrusted'), ['--address-rate-limit', '60', '--global-rate-limit', '0']);
  try {
    assert.equal((await postEvents(server.base, invented('ut-a', 50), { 'x-forwarded-for': '203.0.113.1' })).status, 200);
    const r = await postEvents(server.base, invented('ut-b', 50), { 'x-forwarded-for': '203.0.113.2' });
    assert.equal(r.status, 429);
  } finally {
    await server.stop();
  }
});

test('a global ceiling holds every client back once reached', async () => {
  // 30 events a minute in all: 20 from one address, then 20 from another need 10 more tokens: 20 s.
  const server = await startServer(databaseFor('global'),
    ['--address-rate-limit', '0', '--global-rate-limit', '30', '--trusted-proxy', '127.0.0.1']);
  try {
    assert.equal((await postEvents(server.base, invented('gl-a', 20), { 'x-forwarded-for': '203.0.113.1' })).status, 200);
    const r = await postEvents(server.base, invented('gl-b', 20), { 'x-forwarded-for': '203.0.113.2' });
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '20');
    assert.equal(r.body.error.message, 'too many events from all clients together; retry after 20 seconds');
  } finally {
    await server.stop();
  }
});

test('wrong admin tokens from one address are answered 429 with Retry-After, the right one too, other addresses not', async () => {
  const server = await startServer(databaseFor('admin'), ['--trusted-proxy', '127.0.0.1']);
  try {
    const get = (token, address) => fetch(`${server.base}/v1/admin/events/summary`,
      { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': address } });
    // 10 wrong tokens a minute are answered 401; the bucket is then empty.
    for (let i = 0; i < 10; ++i) assert.equal((await get(`guess-${i}`, '203.0.113.66')).status, 401);
    const eleventh = await get('guess-10', '203.0.113.66');
    assert.equal(eleventh.status, 429);
    // One failure refills in 60 / 10 = 6 s.
    assert.equal(eleventh.headers.get('retry-after'), '6');
    assert.deepEqual(await eleventh.json(), { error: { code: 'auth.too_many_attempts',
      message: 'too many wrong admin tokens from this address; retry after 6 seconds' } });
    // Not even the right token is compared while the address is held back.
    assert.equal((await get(admin.authorization.slice(7), '203.0.113.66')).status, 429);
    // The owner, elsewhere, is not locked out.
    assert.equal((await get(admin.authorization.slice(7), '198.51.100.20')).status, 200);
  } finally {
    await server.stop();
  }
});
