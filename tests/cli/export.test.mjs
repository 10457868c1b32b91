// `vouch export`: the public documents as files for a static host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vouch, fixtures } from './helpers.mjs';

test('export writes store.json, a document and a badge per product, as of the start of --now\'s day', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-export-'));
  try {
    writeFileSync(join(dir, 'feed.json'), vouch(['generate', '--seed', '1']).stdout);
    const r = vouch(['export', '--feed', join(dir, 'feed.json'), '--out', join(dir, 'site'), '--now', '2026-11-01T17:45:00Z']);
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.out, join(dir, 'site', 'v1'));
    assert.equal(summary.as_of, '2026-11-01T00:00:00Z');
    // 24 products: a document, a reviews document and a badge each, and store.json.
    assert.equal(summary.products, 24);
    assert.equal(summary.documents, 73);
    assert.equal(readdirSync(join(dir, 'site', 'v1', 'products')).length, 48);   // NAME.json and NAME/
    assert.ok(existsSync(join(dir, 'site', 'v1', 'products', 'sku-1', 'reviews.json')));
    assert.equal(readdirSync(join(dir, 'site', 'v1', 'badges')).length, 24);
    const store = JSON.parse(readFileSync(join(dir, 'site', 'v1', 'store.json'), 'utf8'));
    assert.equal(store.as_of, '2026-11-01T00:00:00Z');
    const doc = join(dir, 'site', 'v1', 'products', 'sku-1.json');
    assert.equal(vouch(['validate', doc]).status, 0);

    // Again, the same day: the same bytes, the old tree replaced whole (no temporary left).
    const before = readFileSync(doc, 'utf8');
    assert.equal(vouch(['export', '--feed', join(dir, 'feed.json'), '--out', join(dir, 'site'), '--now', '2026-11-01T23:00:00Z']).status, 0);
    assert.equal(readFileSync(doc, 'utf8'), before);
    assert.deepEqual(readdirSync(join(dir, 'site')), ['v1']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('export without --out is a usage error; a bad feed is refused with its errors and writes nothing', () => {
  const usage = vouch(['export', '--feed', `${fixtures}feed-minimal.json`]);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--out/);
  const dir = mkdtempSync(join(tmpdir(), 'vouch-export-'));
  try {
    const bad = vouch(['export', '--feed', `${fixtures}broken/rating-as-word.json`, '--out', dir]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /"code":"feed\.invalid_type"/);
    assert.equal(existsSync(join(dir, 'v1')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
