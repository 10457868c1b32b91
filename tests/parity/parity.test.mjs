// Native vs wasm parity: every case of cases.mjs runs through the `vouch` CLI
// and through web/dist/engine.js under node; the JSON must be byte-identical
// (the CLI may indent: whitespace outside strings is not compared), or both
// must fail with the identical {code, path, message}.
//
//   VOUCH_BIN=build/release/cli/vouch node --test tests/parity/
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { createEngine, validateFeed, VouchError } from '../../web/dist/engine.js';
import * as storefront from '../../web/dist/storefront-engine.js';
import { CASES, FEEDS, NOW } from './cases.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const vouchBin = process.env.VOUCH_BIN ?? join(here, '../../build/release/cli/vouch');
const work = mkdtempSync(join(tmpdir(), 'vouch-parity-'));
const feedPaths = {};

function runCli(args) {
  return spawnSync(vouchBin, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
}

// Drops whitespace outside JSON strings: `dump(2)` and `dump()` of the same
// document become the same bytes; numbers and strings are untouched.
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
    } else if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') {
      out += c;
    }
  }
  return out;
}

test('compactJson removes layout only', () => {
  assert.equal(compactJson('{\n  "a b": [1.5e-07, "x\\" y"],\n  "c": {}\n}\n'), '{"a b":[1.5e-07,"x\\" y"],"c":{}}');
});

// Deterministic traffic for a generated feed: touches by link and by code for
// its first influencers, and orders that follow some of them.
function trafficFor(feed) {
  const influencers = feed.influencers.slice(0, 8);
  const products = feed.products;
  const touches = [];
  const orders = [];
  const at = (day, seconds) => new Date(Date.parse('2026-10-01T00:00:00Z') + day * 86400e3 + seconds * 1e3)
    .toISOString().replace('.000Z', 'Z');
  for (let v = 0; v < 40; v++) {
    const inf = influencers[v % influencers.length];
    const product = products[(v * 7) % products.length];
    const byCode = v % 5 === 0;
    touches.push({ visitor: `v-${v}`, at: at(v % 25, v * 37), influencer: byCode ? null : inf.id,
      code: byCode ? inf.codes[0] : null, source: byCode ? 'coupon' : 'link', landing: product.url });
    if (v % 3 === 0) {
      const second = influencers[(v + 3) % influencers.length];
      touches.push({ visitor: `v-${v}`, at: at(v % 25, v * 37 + 3600), influencer: second.id, code: null,
        source: 'link', landing: product.url });
    }
    if (v % 2 === 0) {
      const qty = 1 + (v % 3);
      orders.push({ order_id: `o-${v}`, visitor: `v-${v}`, at: at(v % 25, v * 37 + (v % 4 === 0 ? 5 : 7200)),
        value: product.price * qty, currency: product.currency,
        items: [{ product: product.id, qty, price: product.price }],
        coupon: byCode ? inf.codes[0] : null, customer: v % 6 === 0 ? `c-${v}` : null });
    }
  }
  orders.push({ ...orders[0], at: at(24, 0) }); // a duplicate order id
  return { touches, orders };
}

const toJsonLines = (items) => items.map((x) => JSON.stringify(x)).join('\n') + '\n';

before(() => {
  assert.ok(existsSync(vouchBin), `no vouch CLI at ${vouchBin}: build the release preset or set VOUCH_BIN`);
  for (const [name, spec] of Object.entries(FEEDS)) {
    if (spec.file) {
      feedPaths[name] = join(here, spec.file);
      continue;
    }
    const path = join(work, `${name}.json`);
    const made = runCli(['generate', ...spec.generate, '--out', path]);
    assert.equal(made.status, 0, `vouch generate failed: ${made.stderr}`);
    feedPaths[name] = path;
    const { touches, orders } = trafficFor(JSON.parse(readFileSync(path, 'utf8')));
    writeFileSync(join(work, `${name}-touches.jsonl`), toJsonLines(touches));
    writeFileSync(join(work, `${name}-orders.jsonl`), toJsonLines(orders));
  }
});

after(() => rmSync(work, { recursive: true, force: true }));

const inputPath = (name) => (existsSync(join(work, name)) ? join(work, name) : join(here, 'inputs', name));

// The same input for the engine: JSON lines become an array, JSON stays text.
function input(name) {
  const text = readFileSync(inputPath(name), 'utf8');
  if (!name.endsWith('.jsonl')) return text;
  return `[${text.split('\n').filter((line) => line.trim()).join(',')}]`;
}

const engines = new Map();
async function engineFor(feed) {
  if (!engines.has(feed)) engines.set(feed, await createEngine(readFileSync(feedPaths[feed])));
  return engines.get(feed);
}

async function runWasm(kase) {
  const feedBytes = readFileSync(feedPaths[kase.feed]);
  try {
    if (kase.call.method === 'validateFeed') {
      // validateFeed resolves with the parsed document: compared as parsed JSON.
      return { ok: true, text: JSON.stringify(await validateFeed(feedBytes)), parsed: true };
    }
    const engine = await engineFor(kase.feed);
    return { ok: true, text: engine.raw[kase.call.method](...kase.call.args(input)) };
  } catch (e) {
    if (!(e instanceof VouchError)) throw e;
    return { ok: false, error: { code: e.code, path: e.path, message: e.message } };
  }
}

for (const kase of CASES) {
  test(`parity: ${kase.name}`, async () => {
    const args = kase.cli.map((a) => a.replace('{feed}', feedPaths[kase.feed])
      .replace(/^\{input:(.+)\}$/, (_, name) => inputPath(name)));
    const wasm = await runWasm(kase);
    const cli = runCli(args);
    assert.notEqual(cli.status, 2, `usage error from vouch ${args.join(' ')}: ${cli.stderr}`);
    if (wasm.ok && cli.status === 0 || kase.call.method === 'validateFeed') {
      assert.ok(wasm.ok, `wasm failed but the CLI succeeded: ${JSON.stringify(wasm.error)}`);
      let native = kase.jsonLines
        ? `[${cli.stdout.split('\n').filter((l) => l.trim()).map(compactJson).join(',')}]`
        : compactJson(cli.stdout);
      // validateFeed's result went through JSON.parse: compare it as parsed JSON.
      if (wasm.parsed) native = JSON.stringify(JSON.parse(native));
      assert.equal(wasm.text, native);
      return;
    }
    assert.equal(cli.status, 1, `unexpected exit ${cli.status}: ${cli.stderr}`);
    assert.ok(!wasm.ok, `the CLI failed (${cli.stderr.trim()}) but wasm succeeded`);
    const nativeError = JSON.parse(cli.stderr.split('\n')[0]);
    assert.deepEqual(wasm.error, nativeError);
  });
}

// The storefront module (built for size, its social proof for speed: a
// different compilation of the same sources) answers social proof exactly
// as the full module does, which the cases above hold to the CLI's bytes.
const storefrontEngines = new Map();
for (const kase of CASES.filter((c) => c.call.method === 'socialProof')) {
  test(`parity of the storefront module: ${kase.name}`, async () => {
    if (!storefrontEngines.has(kase.feed))
      storefrontEngines.set(kase.feed, await storefront.createEngine(readFileSync(feedPaths[kase.feed])));
    const answer = (engine, Errors) => {
      try {
        return engine.raw.socialProof(...kase.call.args(input));
      } catch (e) {
        if (!(e instanceof Errors)) throw e;
        return JSON.stringify({ code: e.code, path: e.path, message: e.message });
      }
    };
    assert.equal(answer(storefrontEngines.get(kase.feed), storefront.VouchError),
      answer(await engineFor(kase.feed), VouchError));
  });
}

// The same journeys through an attribution session, in chunks of 7 lines
// (elements counted across chunks): the same results as the CLI.
for (const kase of CASES.filter((c) => c.call.method === 'attribute' || c.call.method === 'report')) {
  test(`parity in chunks: ${kase.name}`, async () => {
    const args = kase.cli.map((a) => a.replace('{feed}', feedPaths[kase.feed])
      .replace(/^\{input:(.+)\}$/, (_, name) => inputPath(name)));
    const file = (flag) => readFileSync(args[args.indexOf(flag) + 1], 'utf8');
    const config = args.includes('--config') ? file('--config') : null;
    const chunks = (text) => {
      const lines = text.split('\n');
      const out = [];
      for (let i = 0; i < lines.length; i += 7) out.push(lines.slice(i, i + 7).join('\n'));
      return out;
    };
    const session = (await engineFor(kase.feed)).attribution();
    for (const chunk of chunks(file('--touches'))) session.addTouches(chunk);
    for (const chunk of chunks(file('--orders'))) session.addOrders(chunk);
    const result = kase.call.method === 'report' ? session.report(config) : session.attribute(config, { now: NOW });
    const cli = runCli(args);
    assert.equal(cli.status, 0, cli.stderr);
    const native = kase.jsonLines ? cli.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))
      : JSON.parse(cli.stdout);
    assert.deepEqual(result, native);
  });
}

// Orders a report sets aside (another currency, no time): the session lists
// the same ones as `vouch report`, with the same errors, and attribute()
// refuses the first as `vouch attribute` does (the session once added every
// order, so that its report failed where the CLI answered).
test('parity in chunks: orders set aside', async () => {
  const touchesPath = inputPath('trail-touches.jsonl');
  const good = readFileSync(inputPath('trail-orders.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
  const other = { ...JSON.parse(good[0]), order_id: 'zzz-1', currency: 'ZZZ' };
  const timeless = { ...JSON.parse(good[1]), order_id: 'no-time' };
  delete timeless.at;
  const orders = [good[0], JSON.stringify(other), ...good.slice(1), JSON.stringify(timeless)].join('\n') + '\n';
  const ordersPath = join(work, 'set-aside-orders.jsonl');
  writeFileSync(ordersPath, orders);
  const touches = readFileSync(touchesPath, 'utf8');
  const open = async () => {
    const session = (await engineFor('trail')).attribution();
    session.addTouches(touches);
    session.addOrders(orders);
    return session;
  };
  const cli = runCli(['report', '--feed', feedPaths.trail, '--touches', touchesPath, '--orders', ordersPath]);
  assert.equal(cli.status, 0, cli.stderr);
  const report = (await open()).report(null);
  assert.deepEqual(report.unattributable_orders.map((o) => [o.order_id, o.error.code]),
    [['zzz-1', 'order.currency_mismatch'], ['no-time', 'order.missing_field']]);
  assert.deepEqual(report, JSON.parse(cli.stdout));

  const refused = runCli(['attribute', '--feed', feedPaths.trail, '--touches', touchesPath, '--orders', ordersPath,
    '--now', NOW]);
  assert.equal(refused.status, 1);
  const attributing = await open();
  let error;
  try {
    attributing.attribute(null, { now: NOW });
  } catch (e) {
    error = { code: e.code, path: e.path, message: e.message };
  }
  assert.deepEqual(error, JSON.parse(refused.stderr.split('\n')[0]));
});

test('parity cases use the fixed clock', () => {
  for (const kase of CASES)
    if (['socialProof', 'match', 'attribute'].includes(kase.call.method))
      assert.ok(kase.cli.includes(NOW), kase.name);
});
