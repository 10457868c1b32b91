// `vouch social-proof` end to end: the binary named by VOUCH_BIN (else the
// release build), on a feed made by `vouch generate`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bin as BIN } from './helpers.mjs';
const NOW = '2026-11-01T00:00:00Z';

function vouch(args, input) {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'vouch-sp-'));
const feedPath = join(dir, 'feed.json');
writeFileSync(feedPath, vouch(['generate', '--seed', '1']).stdout);

test('prints the documented shape, pretty with two spaces', () => {
  const r = vouch(['social-proof', '--feed', feedPath, '--product', 'sku-1', '--now', NOW]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\{\n  "/);
  const out = JSON.parse(r.stdout);
  assert.equal(out.product, 'sku-1');
  for (const key of ['count', 'average', 'bayesian_average', 'distribution', 'verified_share'])
    assert.ok(key in out.summary, key);
  assert.deepEqual(Object.keys(out.summary.distribution), ['1', '2', '3', '4', '5']);
  assert.equal(out.items.length, 6);
  for (const item of out.items) {
    assert.equal(typeof item.id, 'string');
    assert.equal(typeof item.score, 'number');
    assert.ok(Array.isArray(item.reasons));
  }
  assert.ok(out.items.some((i) => i.rating !== null && i.rating <= 3), 'a critical review on the first page');
  assert.ok(Array.isArray(out.endorsements) && Array.isArray(out.excluded));
  assert.equal(typeof out.total, 'number');
});

test('the same command twice prints the same bytes', () => {
  const args = ['social-proof', '--feed', feedPath, '--product', 'sku-2', '--now', NOW, '--limit', '10'];
  assert.equal(vouch(args).stdout, vouch(args).stdout);
});

test('reads the feed from stdin and honours sort, filters and pagination', () => {
  const feed = readFileSync(feedPath, 'utf8');
  const base = ['social-proof', '--feed', '-', '--product', 'sku-1', '--now', NOW, '--sort', 'newest'];
  const all = JSON.parse(vouch([...base, '--limit', '20'], feed).stdout).items;
  const page2 = JSON.parse(vouch([...base, '--limit', '5', '--offset', '5'], feed).stdout).items;
  assert.deepEqual(page2.map((i) => i.id), all.slice(5, 10).map((i) => i.id));
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].at >= all[i].at);
  const filtered = JSON.parse(
    vouch([...base, '--min-rating', '4', '--verified-only', '--with-media'], feed).stdout).items;
  for (const item of filtered) {
    assert.ok(item.rating >= 4 && item.verified && item.media.length > 0);
  }
});

test('--via puts that influencer first', () => {
  const feed = JSON.parse(readFileSync(feedPath, 'utf8'));
  const endorsement = feed.endorsements[0];
  const r = vouch(['social-proof', '--feed', feedPath, '--product', endorsement.product, '--via',
    endorsement.influencer, '--now', NOW]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.endorsements[0].influencer, endorsement.influencer);
  assert.equal(out.context.via, endorsement.influencer);
});

test('bad input exits 1 with {code, path, message} on stderr', () => {
  const r = vouch(['social-proof', '--feed', feedPath, '--product', 'sku-404', '--now', NOW]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.deepEqual(JSON.parse(r.stderr.trim()), {
    code: 'query.unknown_product', path: '/product', message: 'no product with id "sku-404" in the feed' });
  const sort = vouch(['social-proof', '--feed', feedPath, '--product', 'sku-1', '--sort', 'best', '--now', NOW]);
  assert.equal(sort.code, 1);
  assert.equal(JSON.parse(sort.stderr.trim()).path, '/sort');
  const limit = vouch(['social-proof', '--feed', feedPath, '--product', 'sku-1', '--limit', '0', '--now', NOW]);
  assert.equal(limit.code, 1);
  assert.equal(JSON.parse(limit.stderr.trim()).code, 'query.invalid_value');
});

test('usage errors exit 2', () => {
  assert.equal(vouch(['social-proof', '--product', 'sku-1']).code, 2);  // no --feed
  assert.equal(vouch(['social-proof', '--feed', feedPath]).code, 2);  // no --product
  assert.equal(vouch(['social-proof', '--feed', feedPath, '--product', 'sku-1', '--limit', 'six']).code, 2);
  assert.equal(vouch(['social-proof', '--feed', feedPath, '--product', 'sku-1', '--now', 'soon']).code, 2);
  assert.equal(vouch(['social-proof', '--feed', feedPath, '--product', 'sku-1', '--bogus']).code, 2);
});
