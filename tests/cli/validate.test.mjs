// `vouch validate`, `vouch generate`, help and exit codes, as a store owner runs them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, vouch, fixtures } from './helpers.mjs';

test('generate --seed 1 piped into validate - exits 0', () => {
  const feed = vouch(['generate', '--seed', '1']).stdout;
  const r = vouch(['validate', '-'], feed);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^valid: 24 products, 60 influencers, \d+ endorsements, 600 ugc items$/m);
});

test('generate is deterministic: same seed, same bytes', () => {
  const a = vouch(['generate', '--seed', '7', '--ugc', '50']).stdout;
  const b = vouch(['generate', '--seed', '7', '--ugc', '50']).stdout;
  assert.equal(a, b);
  assert.notEqual(a, vouch(['generate', '--seed', '8', '--ugc', '50']).stdout);
});

test('generate --truth-out writes what was planted beside the same feed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vouch-truth-'));
  try {
    const truthPath = join(dir, 'truth.json');
    const r = vouch(['generate', '--seed', '7', '--ugc', '50', '--truth-out', truthPath]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, vouch(['generate', '--seed', '7', '--ugc', '50']).stdout);
    const truth = JSON.parse(readFileSync(truthPath, 'utf8'));
    const feed = JSON.parse(r.stdout);
    assert.equal(truth.seed, 7);
    assert.deepEqual(truth.influencers.map((t) => t.id), feed.influencers.map((i) => i.id));
    for (const t of truth.influencers) {
      assert.ok(Array.isArray(t.labels));
      assert.ok(t.real_followers <= t.followers);
      assert.equal(typeof t.conversion_rate, 'number');
      assert.deepEqual(Object.keys(t.per_post), ['reach', 'engagements', 'orders']);
    }
    assert.equal(vouch(['generate', '--truth-out', join(dir, 'missing', 'truth.json')]).status, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('validate --json reports counts for a valid feed', () => {
  const r = vouch(['validate', `${fixtures}feed-minimal.json`, '--json']);
  assert.equal(r.status, 0);
  const out = JSON.parse(r.stdout);
  assert.equal(out.valid, true);
  assert.deepEqual(out.counts, { products: 1, influencers: 1, endorsements: 1, ugc: 1 });
});

// Each broken fixture is the minimal feed with one fault (see tests/fixtures/broken/).
const broken = {
  'missing-title': ['feed.missing_field', '/products/0/title'],
  'rating-as-word': ['feed.invalid_type', '/ugc/0/rating'],
  'rating-out-of-range': ['feed.out_of_range', '/ugc/0/rating'],
  'duplicate-product-id': ['feed.duplicate_id', '/products/1/id'],
  'unknown-product': ['feed.unknown_reference', '/ugc/0/product'],
  'bad-timestamp': ['feed.invalid_value', '/ugc/0/at'],
  'unknown-kind': ['feed.invalid_value', '/ugc/0/kind'],
  'javascript-url': ['feed.invalid_url', '/ugc/0/media/0/url'],
  'version-2': ['feed.unsupported_version', '/version'],
  'audience-over-one': ['feed.out_of_range', '/influencers/0/audience/countries'],
  'unknown-endorser': ['feed.unknown_reference', '/endorsements/0/influencer'],
  'trailing-comma': ['feed.parse_error', ''],
  'invalid-utf8': ['feed.invalid_utf8', ''],
};

for (const [name, [code, path]] of Object.entries(broken)) {
  test(`broken feed "${name}" exits 1 with ${code} at "${path}"`, () => {
    const r = vouch(['validate', `${fixtures}broken/${name}.json`, '--json']);
    assert.equal(r.status, 1);
    const out = JSON.parse(r.stdout);
    assert.equal(out.valid, false);
    assert.equal(out.errors.length, 1, JSON.stringify(out.errors));
    assert.equal(out.errors[0].code, code);
    assert.equal(out.errors[0].path, path);
    assert.ok(out.errors[0].message.length > 10);
  });
}

test('validate --json answers on stdout, in valid UTF-8, for JSON whose faulty token is not ASCII', () => {
  // tests/fixtures/json-nonascii/: in the style of nst's JSONTestSuite. Before,
  // `{🇨🇭}` printed nothing on stdout and internal.error type_error.316 on stderr.
  const files = readdirSync(join(fixtures, 'json-nonascii')).sort();
  assert.equal(files.length, 9);
  for (const name of files) {
    const r = spawnSync(bin, ['validate', '--json', join(fixtures, 'json-nonascii', name)]);
    assert.equal(r.status, 1, name);
    assert.equal(r.stderr.length, 0, `${name}: ${r.stderr}`);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(r.stdout);   // throws on bad UTF-8
    const out = JSON.parse(text);
    assert.equal(out.valid, false, name);
    assert.equal(out.errors[0].code, 'feed.parse_error', name);
  }
  const flag = JSON.parse(vouch(['validate', '--json', join(fixtures, 'json-nonascii', 'object-emoji-key.json')]).stdout);
  assert.equal(flag.errors[0].message,
    "the feed is not valid JSON: line 1, column 2: invalid literal; last read: '{\u{FFFD}'; expected string literal");
});

test('without --json, errors are plain lines on stderr', () => {
  const r = vouch(['validate', `${fixtures}broken/rating-as-word.json`]);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.equal(
    r.stderr,
    'feed.invalid_type at /ugc/0/rating: ugc[0].rating must be an integer from 1 to 5, got "five"\n' +
      '1 error; the feed is not valid\n',
  );
});

test('the trailing comma error gives line and column', () => {
  // Line 2 is ` "store": {"id": "demo",},`: the `}` after the comma is byte 25.
  const out = JSON.parse(vouch(['validate', `${fixtures}broken/trailing-comma.json`, '--json']).stdout);
  assert.match(out.errors[0].message, /^the feed is not valid JSON: line 2, column 25: /);
});

test('a missing file is bad input (exit 1) with a stable code', () => {
  const r = vouch(['validate', '/nonexistent/feed.json']);
  assert.equal(r.status, 1);
  const err = JSON.parse(r.stderr.trim());
  assert.equal(err.code, 'input.unreadable');
});

test('usage errors exit 2; --help and --version exit 0', () => {
  assert.equal(vouch([]).status, 2);
  assert.equal(vouch(['frobnicate']).status, 2);
  assert.equal(vouch(['validate']).status, 2);
  assert.equal(vouch(['generate', '--seed', 'abc']).status, 2);
  assert.equal(vouch(['generate', '--bogus']).status, 2);
  const help = vouch(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /vouch validate FEED/);
  assert.match(vouch(['--version']).stdout, /^vouch \d+\.\d+\.\d+\n$/);
});
