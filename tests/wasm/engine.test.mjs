// The public JS API of the wasm engine (web/dist/engine.js) under node.
// Run after scripts/build-wasm.sh: node --test tests/wasm/
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';

import { createEngine, validateFeed, VouchError } from '../../web/dist/engine.js';

const trailText = readFileSync(new URL('../parity/feeds/trail.json', import.meta.url), 'utf8');
const emptyText = readFileSync(new URL('../parity/feeds/empty.json', import.meta.url), 'utf8');

// Runs fn and returns the VouchError it throws (fails when it does not throw one).
function vouchErrorOf(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof VouchError, `expected a VouchError, got ${e}`);
    return e;
  }
  assert.fail('expected a VouchError');
}

test('validateFeed reports the counts of a valid feed, as `vouch validate --json` does', async () => {
  // trail.json: 2 products, 2 influencers, 2 endorsements, 7 ugc items.
  assert.deepEqual(await validateFeed(trailText), {
    valid: true,
    errors: [],
    truncated: false,
    counts: { products: 2, influencers: 2, endorsements: 2, ugc: 7 },
  });
});

test('validateFeed accepts a parsed object and UTF-8 bytes as well as text', async () => {
  const expected = { valid: true, errors: [], truncated: false,
    counts: { products: 1, influencers: 0, endorsements: 0, ugc: 0 } };
  assert.deepEqual(await validateFeed(JSON.parse(emptyText)), expected);
  assert.deepEqual(await validateFeed(new TextEncoder().encode(emptyText)), expected);
});

test('validateFeed resolves with the errors of a malformed feed instead of throwing', async () => {
  // '{' ends after byte 1: nlohmann reports byte 2, the loader points at column 2.
  const result = await validateFeed('{');
  assert.equal(result.valid, false);
  assert.deepEqual(result.errors, [{
    code: 'feed.parse_error',
    path: '',
    message: 'the feed is not valid JSON: line 1, column 2: unexpected end of input; expected string literal',
  }]);
});

test('createEngine rejects an invalid feed with the first error and all of them', async () => {
  const feed = JSON.parse(trailText);
  feed.ugc[2].rating = 'five';
  feed.products[1].price = -3;
  const error = await createEngine(feed).then(() => null, (e) => e);
  assert.ok(error instanceof VouchError);
  assert.equal(error.errors.length, 2);
  assert.deepEqual(error.errors.map((e) => e.path).sort(), ['/products/1/price', '/ugc/2/rating']);
  assert.equal(error.code, error.errors[0].code);
  assert.equal(error.path, error.errors[0].path);
});

test('an engine knows its feed counts, and a disposed engine refuses further calls', async () => {
  const engine = await createEngine(trailText);
  assert.deepEqual(engine.counts, { products: 2, influencers: 2, endorsements: 2, ugc: 7 });
  engine.dispose();
  engine.dispose(); // idempotent
  const error = vouchErrorOf(() => engine.match({}, { now: '2026-11-01T00:00:00Z' }));
  assert.equal(error.code, 'engine.unknown_handle');
  assert.equal(error.path, '');
  assert.equal(error.message, 'this engine was disposed: create another one');
});

test('two engines hold their own feeds', async () => {
  const a = await createEngine(trailText);
  const b = await createEngine(emptyText);
  assert.equal(a.counts.ugc, 7);
  assert.equal(b.counts.ugc, 0);
  b.dispose();
  assert.equal(a.counts.products, 2);
  a.dispose();
});

test('a "now" that is not RFC 3339 is a structured error', async () => {
  const engine = await createEngine(trailText);
  const error = vouchErrorOf(() => engine.match({}, { now: 'yesterday' }));
  assert.deepEqual({ code: error.code, path: error.path, message: error.message }, {
    code: 'input.invalid_now',
    path: '',
    message: 'now must be an RFC 3339 time such as 2026-11-01T00:00:00Z, got "yesterday"',
  });
  const invalidDate = vouchErrorOf(() => engine.match({}, { now: new Date(NaN) }));
  assert.equal(invalidDate.code, 'input.invalid_now');
  engine.dispose();
});

test('query errors carry the code of the input they came from', async () => {
  const engine = await createEngine(trailText);
  // '{"product":' is 11 bytes; the parser stops at byte 12, the end of input.
  const query = vouchErrorOf(() => engine.socialProof('{"product":'));
  assert.equal(query.code, 'query.parse_error');
  // Line and column, as the feed's (this once said "(byte 12)").
  assert.equal(query.message, 'the query is not valid JSON: line 1, column 12: unexpected end of input; ' +
    "expected '[', '{', or a literal");
  assert.equal(vouchErrorOf(() => engine.match('[1,')).code, 'brief.parse_error');
  assert.equal(vouchErrorOf(() => engine.attribute('nope', '[]')).code, 'touches.parse_error');
  assert.equal(vouchErrorOf(() => engine.attribute('[]', 'nope')).code, 'orders.parse_error');
  assert.equal(vouchErrorOf(() => engine.report('[]', '[]', '{')).code, 'config.parse_error');
  engine.dispose();
});

test('a value JSON.stringify cannot write is refused before the boundary', async () => {
  const engine = await createEngine(trailText);
  const cyclic = {};
  cyclic.self = cyclic;
  const error = vouchErrorOf(() => engine.match(cyclic));
  assert.equal(error.code, 'brief.parse_error');
  assert.match(error.message, /^the brief cannot be written as JSON: /);
  engine.dispose();
});

test('socialProof returns the social-proof shape, as parsed JSON and as raw text', async () => {
  const engine = await createEngine(trailText);
  const query = { product: 'sku-1', locale: 'en', limit: 3 };
  const clock = { now: '2026-11-01T00:00:00Z' };
  const result = engine.socialProof(query, clock);
  assert.equal(result.product, 'sku-1');
  assert.deepEqual(Object.keys(result.summary.distribution), ['1', '2', '3', '4', '5']);
  assert.deepEqual(JSON.parse(engine.raw.socialProof(query, clock)), result);
  engine.dispose();
});

test('match returns a ranking and a plan', async () => {
  const engine = await createEngine(trailText);
  const brief = { niches: { hiking: 1 }, budget: { amount: 5000, currency: 'USD' }, goal: 'conversions' };
  const result = engine.match(brief, { now: '2026-11-01T00:00:00Z' });
  assert.ok(Array.isArray(result.ranked));
  assert.ok(Array.isArray(result.plan.influencers));
  engine.dispose();
});

const TOUCHES = [{ visitor: 'v-1', at: '2026-10-20T10:00:00Z', influencer: 'inf-7', code: null,
  source: 'link', landing: '/p/sku-1' }];
const ORDERS = [{ order_id: '1001', visitor: 'v-1', at: '2026-10-20T11:00:00Z', value: 129.0,
  currency: 'USD', items: [{ product: 'sku-1', qty: 1, price: 129.0 }], coupon: null, customer: null }];

test('attribute returns one result per order, report one document', async () => {
  const engine = await createEngine(trailText);
  // One link touch an hour before the order, inside the window: last click
  // gives inf-7 the whole order.
  const credits = engine.attribute(TOUCHES, ORDERS, {}, { now: '2026-11-01T00:00:00Z' });
  assert.equal(credits.length, 1);
  assert.equal(credits[0].order_id, '1001');
  assert.deepEqual(credits[0].credits.map((c) => [c.influencer, c.share]), [['inf-7', 1]]);
  assert.equal(typeof engine.report(TOUCHES, ORDERS, {}), 'object');
  engine.dispose();
});

test('the storefront module answers social proof byte for byte as the full one, and refuses the merchant calls', async () => {
  const storefront = await import('../../web/dist/storefront-engine.js');
  const small = await storefront.createEngine(trailText);
  const full = await createEngine(trailText);
  const query = { product: 'sku-1', locale: 'en', sort: 'newest', limit: 4 };
  const clock = { now: '2026-11-01T00:00:00Z' };
  assert.equal(small.raw.socialProof(query, clock), full.raw.socialProof(query, clock));
  assert.deepEqual(await storefront.validateFeed(trailText), await validateFeed(trailText));
  // Each bundle has its own VouchError class.
  for (const call of [() => small.match({}), () => small.attribute(TOUCHES, ORDERS), () => small.report('[]', '[]')]) {
    assert.throws(call, (e) => e instanceof storefront.VouchError && e.code === 'engine.not_in_module' &&
      /is not in vouch-storefront\.wasm: import engine\.js/.test(e.message));
  }
  small.dispose();
  full.dispose();
});

test('an attribution session counts elements across chunks, and a bad line ends it', async () => {
  const engine = await createEngine(trailText);
  const touch = JSON.stringify(TOUCHES[0]);
  const session = engine.attribution();
  // Chunk 1: lines 0-2 (line 1 blank, still counted); chunk 2: lines 3 and 4.
  assert.deepEqual(session.addTouches(`${touch}\n\n${touch}\n`), { touches: 2, orders: 0 });
  // Line 4 (the fifth) is cut short: a parse error on /touches/4, "line 5".
  const error = vouchErrorOf(() => session.addTouches(`${touch}\n{"visitor":`));
  assert.equal(error.code, 'touch.parse_error');
  assert.equal(error.path, '/touches/4');
  assert.match(error.message, /^line 5 of the touches: the touch is not valid JSON/);
  assert.equal(vouchErrorOf(() => session.addOrders(ORDERS)).code, 'engine.unknown_session');

  // A typed fault in an array chunk points at its element across chunks.
  const second = engine.attribution();
  second.addTouches([TOUCHES[0], TOUCHES[0]]);
  const typed = vouchErrorOf(() => second.addTouches([TOUCHES[0], { ...TOUCHES[0], at: 'yesterday' }]));
  assert.equal(typed.path, '/touches/3/at');
  engine.dispose();
});

test('a session attributes as the one-shot call does, and ends with its result', async () => {
  const engine = await createEngine(trailText);
  const clock = { now: '2026-11-01T00:00:00Z' };
  const session = engine.attribution();
  session.addTouches(TOUCHES);
  session.addOrders(ORDERS.map((o) => JSON.stringify(o)).join('\n'));
  assert.deepEqual(session.attribute({}, clock), engine.attribute(TOUCHES, ORDERS, {}, clock));
  assert.equal(vouchErrorOf(() => session.report()).code, 'engine.unknown_session');
  const reporting = engine.attribution();
  reporting.addTouches(TOUCHES);
  reporting.addOrders(ORDERS);
  assert.deepEqual(reporting.report({}), engine.report(TOUCHES, ORDERS, {}));
  engine.dispose();
});

// A larger feed for the lifetime tests: trail.json's first review 3,000 times
// under new ids (~1 MB of JSON), so that an engine left alive is plain in the
// module's memory.
function largeFeed() {
  const feed = JSON.parse(trailText);
  const review = feed.ugc[0];
  feed.ugc = Array.from({ length: 3000 }, (_, i) => ({ ...review, id: `r-large-${i}`, body: `${review.body} (${i})` }));
  return JSON.stringify(feed);
}

// The garbage collector, for the FinalizationRegistry test.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc');
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test('dispose deletes the engine and its sessions: 40 engines made and disposed leave memory where one did', async () => {
  const feed = largeFeed();
  const cycle = async () => {
    const engine = await createEngine(feed);
    const session = engine.attribution();   // left open: dispose deletes it with the engine
    session.addTouches(TOUCHES);
    engine.socialProof({ product: 'sku-1' }, { now: '2026-11-01T00:00:00Z' });
    engine.dispose();
    assert.equal(vouchErrorOf(() => session.addOrders(ORDERS)).code, 'engine.unknown_handle');
    session.dispose();   // idempotent after the engine's
    return engine;
  };
  const probe = await cycle();
  const before = probe.memoryBytes();
  for (let i = 0; i < 40; i++) await cycle();
  assert.equal(probe.memoryBytes(), before);
});

test('engines dropped without dispose are deleted by the FinalizationRegistry', async () => {
  const feed = largeFeed();
  const drop = async () => {
    await createEngine(feed);   // dropped at once, never disposed
    collectGarbage();
    await settle();
    await settle();
  };
  const probe = await createEngine(trailText);
  for (let i = 0; i < 3; i++) await drop();
  const before = probe.memoryBytes();
  // Each engine holds ~3,000 prepared reviews; were they kept, 40 of them
  // would grow the module's memory by tens of megabytes.
  for (let i = 0; i < 40; i++) await drop();
  assert.equal(probe.memoryBytes(), before);
  probe.dispose();
});
