// Hostile input through the wasm boundary: every bad call is a structured
// VouchError, the module keeps working, and memory stops growing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { createEngine, validateFeed, VouchError } from '../../web/dist/engine.js';

const trailText = readFileSync(new URL('../parity/feeds/trail.json', import.meta.url), 'utf8');
const NOW = { now: '2026-11-01T00:00:00Z' };

const DEPTH = 100_000;
const nestingBomb = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
const FIFTY_MB = 50 * 1024 * 1024;
const hugeString = 'a'.repeat(FIFTY_MB);

// '{"product":"' is 12 bytes, so the 0xFF is at offset 12.
const invalidUtf8Query = new Uint8Array([...new TextEncoder().encode('{"product":"'), 0xff, 0x22, 0x7d]);

function errorOf(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof VouchError, `expected a VouchError, got ${e && e.stack}`);
    return { code: e.code, path: e.path, message: e.message };
  }
  assert.fail('expected a VouchError');
}

// The good call made after every bad one: the module must still answer.
async function assertStillWorks(engine) {
  assert.equal((await validateFeed(trailText)).valid, true);
  assert.equal(engine.counts.ugc, 7);
  // A call through the engine handle that fails the same way every time.
  assert.equal(errorOf(() => engine.match({}, { now: 'bad' })).code, 'input.invalid_now');
}

test('malformed JSON is a parse error, and the module stays usable', async () => {
  const engine = await createEngine(trailText);
  assert.deepEqual(errorOf(() => engine.match('{"niches": {"hiking": 1,}}', NOW)), {
    code: 'brief.parse_error',
    path: '',
    // The trailing comma: byte 25 is the '}' where a key was expected. Every
    // input says where by line and column, as the feed always did (once "(byte 25)").
    message: "the brief is not valid JSON: line 1, column 25: unexpected '}'; expected string literal",
  });
  await assertStillWorks(engine);
  engine.dispose();
});

test('wrong types in a feed are reported with their JSON Pointer', async () => {
  const feed = JSON.parse(trailText);
  feed.ugc[3].rating = 'five';
  const result = await validateFeed(feed);
  assert.equal(result.valid, false);
  assert.deepEqual(result.errors.map((e) => [e.code, e.path]), [['feed.invalid_type', '/ugc/3/rating']]);
  const notAnObject = await validateFeed('[]');
  assert.equal(notAnObject.valid, false);
  assert.equal(notAnObject.errors[0].path, '');
});

test('a 100,000-deep nesting bomb is refused before parsing, in a feed and in a query', async () => {
  // The 33rd '[' (index 32, column 33) is the first one past the depth limit of 32.
  const expected = 'the document nests deeper than 32 levels (at line 1, column 33)';
  assert.deepEqual((await validateFeed(nestingBomb)).errors,
    [{ code: 'feed.too_deep', path: '', message: expected }]);
  const engine = await createEngine(trailText);
  assert.deepEqual(errorOf(() => engine.socialProof(nestingBomb, NOW)),
    { code: 'query.too_deep', path: '', message: expected });
  assert.equal(errorOf(() => engine.attribute(nestingBomb, '[]', null, NOW)).code, 'touches.too_deep');
  await assertStillWorks(engine);
  engine.dispose();
});

test('a 50 MB string is refused: too large for a query, too long for a feed string', async () => {
  const engine = await createEngine(trailText);
  // The query is the JSON string literal: 50 MiB + 2 quotes = 52,428,802 bytes; the
  // boundary accepts queries up to 1 MiB = 1,048,576 bytes.
  assert.deepEqual(errorOf(() => engine.socialProof(`"${hugeString}"`, NOW)), {
    code: 'query.too_large',
    path: '',
    message: 'the query is 52428802 bytes; at most 1048576 bytes are accepted',
  });
  await assertStillWorks(engine);
  const feed = JSON.parse(trailText);
  feed.store.name = hugeString;
  const result = await validateFeed(JSON.stringify(feed));
  assert.equal(result.valid, false);
  assert.deepEqual(result.errors.map((e) => [e.code, e.path]), [['feed.string_too_long', '/store/name']]);
  await assertStillWorks(engine);
  engine.dispose();
});

test('invalid UTF-8 is refused, as bytes and as a lone surrogate in a JS string', async () => {
  const engine = await createEngine(trailText);
  assert.deepEqual(errorOf(() => engine.socialProof(invalidUtf8Query, NOW)), {
    code: 'query.invalid_utf8',
    path: '',
    // Line and column, as the feed's (this once said "(bad byte at offset 12)").
    message: 'the query is not valid UTF-8: bad byte at line 1, column 13',
  });
  assert.deepEqual(errorOf(() => engine.match('{"niches": {"\uD800": 1}}', NOW)), {
    code: 'brief.invalid_utf8',
    path: '',
    message: 'the brief contains a lone UTF-16 surrogate and cannot be encoded as UTF-8',
  });
  // Through JSON.stringify a lone surrogate becomes the escape \ud800, which
  // JSON (RFC 8259 + Unicode) cannot decode: a parse error.
  assert.equal(errorOf(() => engine.match({ niches: { '\uD800': 1 } }, NOW)).code, 'brief.parse_error');
  const feedBytes = new TextEncoder().encode(trailText);
  feedBytes[feedBytes.indexOf(0x54)] = 0xc0; // the first 'T' (of "Trail") becomes a lone lead byte
  const result = await validateFeed(feedBytes);
  assert.equal(result.errors[0].code, 'feed.invalid_utf8');
  await assertStillWorks(engine);
  engine.dispose();
});

test('1,000 bad calls leave wasm memory where it was after the first 100', async () => {
  const engine = await createEngine(trailText);
  const badCalls = [
    () => engine.socialProof('{"product": ', NOW),
    () => engine.match(nestingBomb, NOW),
    () => engine.socialProof(invalidUtf8Query, NOW),
    () => engine.attribute('[{"visitor": 1}', '[]', null, NOW),
    () => engine.report('[]', '[]', '{"model": "last_click",,}'),
    () => engine.match({}, { now: 'not a time' }),
  ];
  const badFeeds = ['{"version": 1,', nestingBomb, '{"version": "one"}'];
  const run = async (from, to) => {
    for (let i = from; i < to; i++) {
      errorOf(badCalls[i % badCalls.length]);
      if (i % 10 === 0) {
        const feed = badFeeds[(i / 10) % badFeeds.length];
        await createEngine(feed).then(() => assert.fail('bad feed accepted'), (e) => assert.ok(e instanceof VouchError));
      }
    }
  };
  // Warm up, including one 50 MB input so that the heap has grown to its
  // working size, then measure.
  errorOf(() => engine.socialProof(`"${hugeString}"`, NOW));
  await run(0, 100);
  const before = engine.memoryBytes();
  await run(100, 1000);
  assert.equal(engine.memoryBytes(), before);
  await assertStillWorks(engine);
  engine.dispose();
});

// The storefront module (what a shopper's page loads) is built without
// exceptions: every refusal on its paths is an error value, so the same
// hostile input must give the same structured errors there, leave it working,
// and not make its memory grow.
const storefront = await import('../../web/dist/storefront-engine.js');

function storefrontErrorOf(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof storefront.VouchError, `expected a VouchError, got ${e && e.stack}`);
    return { code: e.code, path: e.path, message: e.message };
  }
  assert.fail('expected a VouchError');
}

test('storefront module: the nesting bomb, the 50 MB string and invalid UTF-8 are refused as by the full one', async () => {
  const engine = await storefront.createEngine(trailText);
  const depth = 'the document nests deeper than 32 levels (at line 1, column 33)';
  assert.deepEqual((await storefront.validateFeed(nestingBomb)).errors,
    [{ code: 'feed.too_deep', path: '', message: depth }]);
  assert.deepEqual(storefrontErrorOf(() => engine.socialProof(nestingBomb, NOW)),
    { code: 'query.too_deep', path: '', message: depth });
  // 50 MiB + 2 quotes = 52,428,802 bytes against the 1 MiB query limit.
  assert.deepEqual(storefrontErrorOf(() => engine.socialProof(`"${hugeString}"`, NOW)), {
    code: 'query.too_large', path: '',
    message: 'the query is 52428802 bytes; at most 1048576 bytes are accepted' });
  const feed = JSON.parse(trailText);
  feed.store.name = hugeString;
  assert.deepEqual((await storefront.validateFeed(JSON.stringify(feed))).errors.map((e) => [e.code, e.path]),
    [['feed.string_too_long', '/store/name']]);
  assert.deepEqual(storefrontErrorOf(() => engine.socialProof(invalidUtf8Query, NOW)), {
    code: 'query.invalid_utf8', path: '', message: 'the query is not valid UTF-8: bad byte at line 1, column 13' });
  assert.equal(storefrontErrorOf(() => engine.socialProof('{"product": "\uD800"}', NOW)).code, 'query.invalid_utf8');
  assert.equal(engine.socialProof({ product: 'sku-1', limit: 1 }, NOW).items.length, 1);
  engine.dispose();
});

test('storefront module: 1,000 bad calls leave its memory where it was after the first 100', async () => {
  const engine = await storefront.createEngine(trailText);
  const badCalls = [
    () => engine.socialProof('{"product": ', NOW),
    () => engine.socialProof(nestingBomb, NOW),
    () => engine.socialProof(invalidUtf8Query, NOW),
    () => engine.socialProof({ product: 'sku-404' }, NOW),
    () => engine.socialProof({ product: 'sku-1', limit: 'all' }, NOW),
    () => engine.socialProof({ product: 'sku-1' }, { now: 'not a time' }),
  ];
  const badFeeds = ['{"version": 1,', nestingBomb, '{"version": "one"}'];
  const run = async (from, to) => {
    for (let i = from; i < to; i++) {
      storefrontErrorOf(badCalls[i % badCalls.length]);
      if (i % 10 === 0) {
        const feed = badFeeds[(i / 10) % badFeeds.length];
        await storefront.createEngine(feed).then(() => assert.fail('bad feed accepted'),
          (e) => assert.ok(e instanceof storefront.VouchError));
      }
    }
  };
  storefrontErrorOf(() => engine.socialProof(`"${hugeString}"`, NOW));
  await run(0, 100);
  const before = engine.memoryBytes();
  await run(100, 1000);
  assert.equal(engine.memoryBytes(), before);
  assert.equal(engine.socialProof({ product: 'sku-1', limit: 1 }, NOW).items.length, 1);
  engine.dispose();
});
