// vouch attribute / vouch report / vouch generate --journeys, end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bin as BIN } from './helpers.mjs';
const dir = mkdtempSync(join(tmpdir(), 'vouch-attr-'));
const NOW = '2026-11-01T00:00:00Z';

function vouch(...args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const feed = join(dir, 'feed.json');
const touches = join(dir, 'touches.jsonl');
const orders = join(dir, 'orders.jsonl');
const gen = vouch('generate', '--seed', '1', '--influencers', '20', '--ugc', '20', '--out', feed,
  '--journeys', '200', '--touches-out', touches, '--orders-out', orders);

test('generate --journeys writes touches and orders that agree with the feed', () => {
  assert.equal(gen.status, 0, gen.stderr);
  const ids = new Set(JSON.parse(readFileSync(feed, 'utf8')).influencers.map((i) => i.id));
  const t = readFileSync(touches, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const o = readFileSync(orders, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(t.length > 200 && o.length > 20);
  for (const touch of t) assert.ok(touch.code || ids.has(touch.influencer));
  assert.ok(o.some((x) => x.refund_of), 'a refund');
  assert.ok(t.every((x) => x.at < NOW) && o.every((x) => x.at < NOW));
});

test('generate --journeys is byte-for-byte deterministic', () => {
  const t2 = join(dir, 't2.jsonl');
  const o2 = join(dir, 'o2.jsonl');
  const r = vouch('generate', '--seed', '1', '--influencers', '20', '--ugc', '20', '--out', join(dir, 'f2.json'),
    '--journeys', '200', '--touches-out', t2, '--orders-out', o2);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(t2, 'utf8'), readFileSync(touches, 'utf8'));
  assert.equal(readFileSync(o2, 'utf8'), readFileSync(orders, 'utf8'));
});

test('attribute prints one JSON line per order, in order, the same every time', () => {
  const r = vouch('attribute', '--feed', feed, '--touches', touches, '--orders', orders, '--now', NOW);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const input = readFileSync(orders, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.order_id), input.map((o) => o.order_id));
  for (const l of lines) {
    for (const key of ['order_id', 'credits', 'flags', 'duplicate', 'model', 'reasons']) assert.ok(key in l, key);
    if (l.credits.length && l.model !== 'refund') {
      const cents = l.credits.reduce((s, c) => s + Math.round(c.revenue * 100), 0);
      assert.equal(cents, Math.round(l.value * 100));
      const share = l.credits.reduce((s, c) => s + Math.round(c.share * 1e6), 0);
      assert.equal(share, 1e6);
    }
  }
  assert.equal(lines.filter((l) => l.duplicate).length, 1);
  const again = vouch('attribute', '--feed', feed, '--touches', touches, '--orders', orders, '--now', NOW);
  assert.equal(again.stdout, r.stdout);
});

test('report prints one document with per-influencer rows, totals and unknown codes', () => {
  const r = vouch('report', '--feed', feed, '--touches', touches, '--orders', orders);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  for (const key of ['from', 'to', 'currency', 'influencers', 'totals', 'unknown_codes']) assert.ok(key in report, key);
  assert.equal(report.influencers.length, 20);
  for (const key of ['influencer', 'handle', 'clicks', 'visitors', 'orders', 'revenue', 'conversion_rate', 'epc',
    'aov', 'commission', 'cost', 'roi']) assert.ok(key in report.influencers[0], key);
  assert.deepEqual(report.unknown_codes.map((u) => u.code), ['FREESHIP', 'SUMMER-SALE']);
  assert.equal(report.totals.duplicates, 1);
});

test('a config file changes the model and is validated', () => {
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ model: 'linear', window_days: 7 }));
  const r = vouch('attribute', '--feed', feed, '--touches', touches, '--orders', orders, '--config', config, '--now', NOW);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes('"model":"linear"'));
  writeFileSync(config, JSON.stringify({ model: 'best' }));
  const bad = vouch('attribute', '--feed', feed, '--touches', touches, '--orders', orders, '--config', config);
  assert.equal(bad.status, 1);
  assert.equal(JSON.parse(bad.stderr.trim()).code, 'config.invalid_model');
});

test('a bad JSON line is reported with its line number (line N is /touches/N-1)', () => {
  const t = join(dir, 'bad-touches.jsonl');
  const good = '{"visitor":"v-1","at":"2026-10-01T00:00:00Z","code":"X","source":"link"}';
  writeFileSync(t, `${good}\n\n{"visitor": \n`);
  let r = vouch('attribute', '--feed', feed, '--touches', t, '--orders', orders, '--now', NOW);
  assert.equal(r.status, 1);
  let error = JSON.parse(r.stderr.trim());
  assert.equal(error.code, 'touch.parse_error');
  assert.equal(error.path, '/touches/2');
  assert.match(error.message, /^line 3 of /);

  writeFileSync(t, `${good}\n${good.replace('2026-10-01T00:00:00Z', 'soon')}\n`);
  r = vouch('attribute', '--feed', feed, '--touches', t, '--orders', orders, '--now', NOW);
  assert.equal(r.status, 1);
  error = JSON.parse(r.stderr.trim());
  assert.deepEqual(error, {
    code: 'touch.invalid_time',
    path: '/touches/1/at',
    message: 'touches[1].at must be an RFC 3339 time such as 2026-10-02T17:00:00Z, got "soon"',
  });
});

test('a report always answers: orders it cannot attribute are listed with the reason', () => {
  const o = join(dir, 'some-bad-orders.jsonl');
  const good = '{"order_id":"g-1","visitor":"v-1","at":"2026-10-01T00:00:00Z","value":10,"currency":"USD"}';
  // Line 2 is in EUR on a USD store, line 3 is not JSON.
  writeFileSync(o, `${good}\n${good.replace('g-1', 'eur-1').replace('USD', 'EUR')}\n{"order_id":\n`);
  const r = vouch('report', '--feed', feed, '--touches', touches, '--orders', o);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.totals.orders, 1);
  assert.equal(report.totals.unattributable_orders, 2);
  assert.deepEqual(report.unattributable_orders[0], { order_id: 'eur-1', error: { code: 'order.currency_mismatch',
    path: '/orders/1/currency', message: 'orders[1].currency is "EUR" but the store sells in USD' } });
  assert.equal(report.unattributable_orders[1].order_id, null);
  assert.equal(report.unattributable_orders[1].error.code, 'order.parse_error');
  assert.equal(report.unattributable_orders[1].error.path, '/orders/2');
  // `attribute` answers per order, so it stops at the first it cannot attribute.
  assert.equal(vouch('attribute', '--feed', feed, '--touches', touches, '--orders', o, '--now', NOW).status, 1);
});

test('usage errors exit 2', () => {
  assert.equal(vouch('attribute', '--feed', feed, '--touches', touches).status, 2);
  assert.equal(vouch('report', '--feed', feed, '--orders', orders).status, 2);
  assert.equal(vouch('generate', '--journeys', '5').status, 2);
});
