// `vouch import`: a feed file into the store's database; `vouch export --db`:
// the public documents from that database, the same bytes as from the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vouch, fixtures, filesUnder } from './helpers.mjs';

function workdir() {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-import-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('import writes every element once, then nothing for the same file; its summary counts the file', () => {
  const { dir, done } = workdir();
  try {
    const feedPath = join(dir, 'feed.json');
    writeFileSync(feedPath, vouch(['generate', '--seed', '1']).stdout);
    const feed = JSON.parse(readFileSync(feedPath, 'utf8'));
    const db = join(dir, 'vouch.db');
    const first = vouch(['import', feedPath, '--db', db]);
    assert.equal(first.status, 0, first.stderr);
    const summary = JSON.parse(first.stdout);
    for (const section of ['products', 'influencers', 'endorsements', 'ugc'])
      assert.deepEqual(summary.sections[section], { added: feed[section].length, changed: 0, unchanged: 0, retired: 0 }, section);
    const elements = 1 + feed.products.length + feed.influencers.length + feed.endorsements.length + feed.ugc.length;
    assert.equal(summary.rows_written, elements);

    const again = JSON.parse(vouch(['import', feedPath, '--db', db]).stdout);
    assert.equal(again.rows_written, 0);
    assert.equal(again.passes, 1);
    assert.equal(again.sections.ugc.unchanged, feed.ugc.length);

    // Standard input works too (read into a temporary file: the import reads it twice).
    const piped = vouch(['import', '-', '--db', db], readFileSync(feedPath, 'utf8'));
    assert.equal(piped.status, 0, piped.stderr);
    assert.equal(JSON.parse(piped.stdout).rows_written, 0);
  } finally {
    done();
  }
});

test('an invalid feed is refused with its errors, exit 1, and the database keeps what it had', () => {
  const { dir, done } = workdir();
  try {
    const db = join(dir, 'vouch.db');
    assert.equal(vouch(['import', `${fixtures}feed-minimal.json`, '--db', db]).status, 0);
    const bad = vouch(['import', `${fixtures}broken/rating-as-word.json`, '--db', db]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /"code":"feed\.invalid_type"/);
    assert.match(bad.stderr, /nothing was imported/);
    const out = join(dir, 'site');
    assert.equal(vouch(['export', '--db', db, '--out', out, '--now', '2026-12-01T00:00:00Z']).status, 0);
    const fromFile = join(dir, 'file');
    assert.equal(vouch(['export', '--feed', `${fixtures}feed-minimal.json`, '--out', fromFile, '--now', '2026-12-01T00:00:00Z']).status, 0);
    assert.deepEqual(filesUnder(out), filesUnder(fromFile));
    assert.equal(vouch(['import', '--db', db]).status, 2);
  } finally {
    done();
  }
});

// The parity of issue 28: the documents built from the database equal, byte
// for byte, those built from the same store as a file (store.json, and each
// product's document, reviews document and badge).
for (const [seed, flags] of [['1', []], ['3', ['--products', '60', '--influencers', '90', '--ugc', '6000']],
  ['7', ['--products', '40', '--influencers', '50', '--ugc', '4000']]]) {
  test(`export --db equals export --feed on generated store ${seed} ${flags.join(' ')}`, () => {
    const { dir, done } = workdir();
    try {
      const feedPath = join(dir, 'feed.json');
      writeFileSync(feedPath, vouch(['generate', '--seed', seed, ...flags]).stdout);
      const db = join(dir, 'vouch.db');
      assert.equal(vouch(['import', feedPath, '--db', db]).status, 0);
      const now = '2026-12-01T09:30:00Z';
      const a = vouch(['export', '--db', db, '--out', join(dir, 'db'), '--now', now]);
      assert.equal(a.status, 0, a.stderr);
      assert.equal(vouch(['export', '--feed', feedPath, '--out', join(dir, 'file'), '--now', now]).status, 0);
      const fromDb = filesUnder(join(dir, 'db'));
      const fromFile = filesUnder(join(dir, 'file'));
      assert.deepEqual(Object.keys(fromDb).sort(), Object.keys(fromFile).sort());
      for (const path of Object.keys(fromFile)) assert.ok(fromDb[path].equals(fromFile[path]), path);
      assert.equal(JSON.parse(a.stdout).products, JSON.parse(readFileSync(feedPath, 'utf8')).products.length);
    } finally {
      done();
    }
  });
}
