// The Embind classes of wasm/bindings.cpp, called directly: every bound
// method of both modules, what it returns (the engine's JSON as a Uint8Array
// over the object's result buffer) and how it fails (an Error value
// {code, path, message}, never an exception), including the errors the
// merchant engines throw inside the class methods. web/src/engine.js is their
// only user; these tests pin what it relies on.
// Run after scripts/build-wasm.sh: node --test tests/wasm/
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, test } from 'node:test';

import { loadEngineModule } from '../../web/dist/engine.js';
import { loadEngineModule as loadStorefrontModule } from '../../web/dist/storefront-engine.js';

const merchant = await loadEngineModule();
const storefront = await loadStorefrontModule();
const MODULES = [['merchant', merchant], ['storefront', storefront]];

const trailText = readFileSync(new URL('../parity/feeds/trail.json', import.meta.url), 'utf8');
const NOW = '2026-11-01T00:00:00Z';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Every Embind object a test makes, deleted after it (as engine.js does).
let made = [];
afterEach(() => {
  for (const object of made) if (!object.isDeleted()) object.delete();
  made = [];
});
const keep = (object) => {
  made.push(object);
  return object;
};

// A Bytes object holding `text`'s UTF-8.
function bytes(module, text) {
  const data = encoder.encode(text);
  const native = keep(new module.Bytes(data.length));
  native.view().set(data);
  return native;
}

const engineOf = (module, feed = trailText) => keep(new module.Engine(bytes(module, feed)));

// A reply that must be JSON text: the Uint8Array decoded and parsed.
function resultOf(reply) {
  assert.ok(reply instanceof Uint8Array, `expected the engine's JSON, got ${JSON.stringify(reply)}`);
  return JSON.parse(decoder.decode(reply));
}

// A reply that must be an Error value: exactly {code, path, message}.
function errorOf(reply) {
  if (reply instanceof Uint8Array) assert.fail(`expected an Error, got ${decoder.decode(reply)}`);
  assert.deepEqual(Object.keys(reply).sort(), ['code', 'message', 'path']);
  return reply;
}

for (const [name, module] of MODULES) {
  test(`${name}: Bytes gives a view of its bytes in the module's memory, or null when they cannot be had`, () => {
    const small = keep(new module.Bytes(5));
    const view = small.view();
    assert.ok(view instanceof Uint8Array);
    assert.equal(view.length, 5);
    assert.equal(view.buffer, module.HEAPU8.buffer);
    // The module's memory grows to 2 GiB at most (Emscripten's default
    // maximum), so 3 GiB can never be allocated.
    assert.equal(keep(new module.Bytes(3 * 1024 ** 3)).view(), null);
  });

  test(`${name}: Engine.validate is the document of \`vouch validate --json\`, keys sorted, compact`, () => {
    // trail.json: 2 products, 2 influencers, 2 endorsements, 7 ugc items.
    assert.equal(decoder.decode(engineOf(module).validate()),
      '{"counts":{"endorsements":2,"influencers":2,"products":2,"ugc":7},"errors":[],"truncated":false,"valid":true}');
  });

  test(`${name}: an Engine on a refused feed reports its errors, and every call returns the first`, () => {
    // '{' ends after byte 1: nlohmann stops at byte 2, line 1, column 2.
    const refused = engineOf(module, '{');
    const parseError = { code: 'feed.parse_error', path: '',
      message: 'the feed is not valid JSON: line 1, column 2: unexpected end of input; expected string literal' };
    assert.deepEqual(resultOf(refused.validate()), { valid: false, errors: [parseError], truncated: false });
    assert.deepEqual(errorOf(refused.socialProof(bytes(module, '{"product":"sku-1"}'), NOW)), parseError);
  });

  test(`${name}: Engine.socialProof answers a query, and returns its faults as Error values`, () => {
    const engine = engineOf(module);
    const proof = resultOf(engine.socialProof(bytes(module, '{"product":"sku-1","limit":2}'), NOW));
    assert.equal(proof.product, 'sku-1');
    assert.equal(proof.items.length, 2);
    assert.deepEqual(errorOf(engine.socialProof(bytes(module, '{"product":"sku-404"}'), NOW)), {
      code: 'query.unknown_product', path: '/product', message: 'no product with id "sku-404" in the feed' });
    // A query without "now" takes the call's; "yesterday" is no RFC 3339 time.
    assert.deepEqual(errorOf(engine.socialProof(bytes(module, '{"product":"sku-1"}'), 'yesterday')), {
      code: 'input.invalid_now', path: '',
      message: 'now must be an RFC 3339 time such as 2026-11-01T00:00:00Z, got "yesterday"' });
    // The first fault in reading order wins: limit 0 (below 1) before sort.
    assert.deepEqual(errorOf(engine.socialProof(bytes(module, '{"product":"sku-1","limit":0,"sort":"up"}'), NOW)), {
      code: 'query.invalid_value', path: '/limit', message: 'limit must be an integer from 1 to 100, got 0' });
    // '{"product":' is 11 bytes: the parser stops at byte 12, the end.
    assert.equal(errorOf(engine.socialProof(bytes(module, '{"product":'), NOW)).code, 'query.parse_error');
    // The engine still answers after its errors.
    assert.equal(resultOf(engine.socialProof(bytes(module, '{"product":"sku-2"}'), NOW)).product, 'sku-2');
  });
}

test('storefront: the module binds no merchant method and no AttributionSession', () => {
  const engine = engineOf(storefront);
  assert.equal(engine.match, undefined);
  assert.equal(engine.attribute, undefined);
  assert.equal(engine.report, undefined);
  assert.equal(storefront.AttributionSession, undefined);
});

test('merchant: Engine.match ranks, and the brief errors thrown in the engine come back as values', () => {
  const engine = engineOf(merchant);
  const result = resultOf(engine.match(bytes(merchant, '{"niches":{"hiking":1}}'), NOW));
  assert.ok(Array.isArray(result.ranked));
  // Thrown by the brief reader (core/matching/brief.cpp) inside match_json.
  assert.deepEqual(errorOf(engine.match(bytes(merchant, '{"budget":{"amount":-1}}'), NOW)), {
    code: 'brief.out_of_range', path: '/budget/amount',
    message: 'budget.amount must be a number from 0 to 1000000000000, got -1' });
  assert.deepEqual(errorOf(engine.match(bytes(merchant, '[]'), NOW)), {
    code: 'brief.invalid_type', path: '', message: 'the brief must be a JSON object, got an array' });
  assert.equal(errorOf(engine.match(bytes(merchant, '{}'), 'soon')).code, 'input.invalid_now');
});

const TOUCH = '{"visitor":"v-1","at":"2026-10-20T10:00:00Z","influencer":"inf-7","code":null,"source":"link","landing":"/p/sku-1"}';
const ORDER = '{"order_id":"1001","visitor":"v-1","at":"2026-10-20T11:00:00Z","value":129.0,"currency":"USD",' +
  '"items":[{"product":"sku-1","qty":1,"price":129.0}],"coupon":null,"customer":null}';

test('merchant: Engine.attribute and Engine.report, and the errors thrown by the attribution engine', () => {
  const engine = engineOf(merchant);
  // One link touch an hour before the order: last click gives inf-7 all of it.
  const credits = resultOf(engine.attribute(bytes(merchant, `[${TOUCH}]`), bytes(merchant, `[${ORDER}]`),
    bytes(merchant, 'null'), NOW));
  assert.deepEqual(credits.map((r) => [r.order_id, r.credits.map((c) => [c.influencer, c.share])]),
    [['1001', [['inf-7', 1]]]]);
  assert.equal(typeof resultOf(engine.report(bytes(merchant, `[${TOUCH}]`), bytes(merchant, `[${ORDER}]`),
    bytes(merchant, '{}'))), 'object');
  // Thrown by load_data (core/attribution/attribution_json.cpp) for touches
  // that are not an array.
  assert.deepEqual(errorOf(engine.report(bytes(merchant, '{}'), bytes(merchant, '[]'), bytes(merchant, '{}'))), {
    code: 'touch.invalid_type', path: '/touches', message: 'touches must be an array of touches' });
  assert.equal(errorOf(engine.attribute(bytes(merchant, '[]'), bytes(merchant, '[]'), bytes(merchant, '{"model":7}'),
    NOW)).code, 'config.invalid_type');
});

test('merchant: an AttributionSession adds lines, ends with its result, and answers unknown_session after', () => {
  const session = keep(new merchant.AttributionSession(engineOf(merchant)));
  // Chunk 1: a touch, a blank line (counted), a touch; chunk 2: one order.
  assert.deepEqual(resultOf(session.addTouches(bytes(merchant, `${TOUCH}\n\n${TOUCH}\n`))), { touches: 2, orders: 0 });
  assert.deepEqual(resultOf(session.addOrders(bytes(merchant, ORDER))), { touches: 2, orders: 1 });
  const credits = resultOf(session.attribute(bytes(merchant, '{}'), NOW));
  assert.deepEqual(credits.map((r) => r.order_id), ['1001']);
  assert.deepEqual(errorOf(session.addTouches(bytes(merchant, TOUCH))), {
    code: 'engine.unknown_session', path: '', message: 'the attribution session has ended: it gave its result' });

  const reporting = keep(new merchant.AttributionSession(engineOf(merchant)));
  reporting.addTouches(bytes(merchant, TOUCH));
  reporting.addOrders(bytes(merchant, ORDER));
  assert.equal(typeof resultOf(reporting.report(bytes(merchant, '{}'))), 'object');
});

test('merchant: a bad line is an error thrown in the session, counted across chunks, and it ends the session', () => {
  const session = keep(new merchant.AttributionSession(engineOf(merchant)));
  session.addTouches(bytes(merchant, `${TOUCH}\n${TOUCH}`));
  // Lines 0 and 1 came first: this chunk's touch is element 2, whose visitor is a number.
  // (Type faults show the value as written, and a visitor is what the widget
  // makes, by the input layer's one rule: this once said "must be a string, got number".)
  assert.deepEqual(errorOf(session.addTouches(bytes(merchant, TOUCH.replace('"v-1"', '7')))), {
    code: 'touch.invalid_type', path: '/touches/2/visitor',
    message: 'touches[2].visitor must be 1 to 128 visible ASCII characters, got 7' });
  assert.deepEqual(errorOf(session.report(bytes(merchant, '{}'))), {
    code: 'engine.unknown_session', path: '', message: 'the attribution session has ended: a call on it failed' });

  // A line that is not JSON: line 2 (index 1) of the whole input, after one
  // line in the first chunk; '{"visitor":' stops the parser at byte 12.
  const cut = keep(new merchant.AttributionSession(engineOf(merchant)));
  cut.addTouches(bytes(merchant, `${TOUCH}\n`));
  const error = errorOf(cut.addTouches(bytes(merchant, '{"visitor":')));
  assert.equal(error.code, 'touch.parse_error');
  assert.equal(error.path, '/touches/1');
  // Every input says where by line and column, as the feed always did (once "(byte 12)").
  assert.match(error.message, /^line 2 of the touches: the touch is not valid JSON: line 1, column 12: /);
});

test('merchant: a session keeps its feed when its engine is deleted first, and one on a refused feed reports it', () => {
  const engine = new merchant.Engine(bytes(merchant, trailText));
  const session = keep(new merchant.AttributionSession(engine));
  engine.delete();
  session.addTouches(bytes(merchant, TOUCH));
  session.addOrders(bytes(merchant, ORDER));
  assert.deepEqual(resultOf(session.attribute(bytes(merchant, '{}'), NOW)).map((r) => r.order_id), ['1001']);

  const orphan = keep(new merchant.AttributionSession(engineOf(merchant, '[]')));
  // A whole document is "a JSON object" in every contract (issue 32: the feed said "an object").
  assert.deepEqual(errorOf(orphan.addTouches(bytes(merchant, TOUCH))), {
    code: 'feed.invalid_type', path: '', message: 'the feed must be a JSON object, got an array' });
});
