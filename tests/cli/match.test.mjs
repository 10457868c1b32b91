// `vouch match` end to end: a generated store, a brief file, the documented
// output shape, exit codes and errors. VOUCH_BIN names the binary.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = process.env.VOUCH_BIN ?? path.resolve('build/release/cli/vouch');
const briefs = fileURLToPath(new URL('../fixtures/briefs/', import.meta.url));
const now = '2026-11-01T00:00:00Z';

function vouch(args, input) {
  const r = spawnSync(bin, args, { input, maxBuffer: 256 << 20, encoding: 'utf8' });
  if (r.error) throw r.error;
  return r;
}

const dir = mkdtempSync(path.join(tmpdir(), 'vouch-match-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const feed = path.join(dir, 'feed.json');
writeFileSync(feed, vouch(['generate', '--seed', '1']).stdout);
const brief = `${briefs}hiking-conversions.json`;

test('match prints the documented shape with readable reasons', () => {
  const r = vouch(['match', '--feed', feed, '--brief', brief, '--now', now]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(out.ranked.length > 0 && out.ranked.length <= 10);
  for (const e of out.ranked) {
    for (const k of ['niche', 'audience', 'engagement', 'authenticity', 'cost', 'proven']) {
      assert.ok(e.components[k] >= 0 && e.components[k] <= 1, `${e.influencer} ${k}`);
    }
    assert.ok(e.score >= 0 && e.score <= 1);
    assert.ok(Array.isArray(e.flags));
    assert.equal(typeof e.expected.reach, 'number');
    assert.equal(typeof e.expected.engagements, 'number');
    assert.ok(e.reasons.some((s) => s.startsWith('niche fit ')));
    assert.ok(e.followers >= 1000 && e.followers <= 500000);
    assert.notEqual(e.influencer, 'inf-3');
    assert.equal(typeof e.handle, 'string');
  }
  const scores = out.ranked.map((e) => e.score);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
  assert.ok(out.plan.cost <= 3000);
  assert.ok(out.plan.influencers.length > 0);
  assert.equal(typeof out.plan.expected_reach, 'number');
  assert.equal(typeof out.plan.expected_engagements, 'number');
  assert.deepEqual(out.filtered.find((f) => f.influencer === 'inf-3'),
    { influencer: 'inf-3', reason: 'excluded', message: 'excluded by the brief' });
});

test('match is deterministic: same input, same bytes; brief may come from stdin', () => {
  const a = vouch(['match', '--feed', feed, '--brief', brief, '--now', now]);
  const piped = vouch(['match', '--feed', feed, '--brief', '-', '--now', now], readFileSync(brief, 'utf8'));
  const c = vouch(['match', '--feed', feed, '--brief', brief, '--now', now]);
  assert.equal(a.status, 0, a.stderr);
  assert.equal(a.stdout, c.stdout);
  assert.equal(piped.stdout, a.stdout);
});

test('a bad brief exits 1 with {code, path, message} on stderr', () => {
  const r = vouch(['match', '--feed', feed, '--brief', `${briefs}bad-goal.json`, '--now', now]);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.deepEqual(JSON.parse(r.stderr.trim()), {
    code: 'brief.invalid_value',
    path: '/goal',
    // One wording of a choice for every contract (issue 32: once without "or").
    message: 'goal must be one of "conversions", "reach" or "engagement", got "sales"',
  });
});

test('a brief that is not JSON exits 1 with brief.parse_error', () => {
  const r = vouch(['match', '--feed', feed, '--brief', '-', '--now', now], '{"goal": ');
  assert.equal(r.status, 1);
  assert.equal(JSON.parse(r.stderr.trim()).code, 'brief.parse_error');
});

test('missing --brief is a usage error (exit 2)', () => {
  const r = vouch(['match', '--feed', feed]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--brief is required/);
});
