// POST /v1/first-party/referral: the referral cookie set by the shop's own
// server (mounted under the shop's origin by a reverse proxy; docs/widget.md).
// The browser test tests/browser/referral-cookie.test.mjs runs it behind nginx.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startServer, workspace } from './harness.mjs';

const VISITOR = 'v-0123456789abcdef01234567';
const now = () => Math.floor(Date.now() / 1000);
let ws;
let server;

before(async () => {
  ws = workspace();
  server = await startServer(ws);
});

after(async () => {
  await server?.stop();
  ws?.cleanup();
});

// fn(base) against a server of its own, started with flags(its workspace).
async function withServer(flags, fn) {
  const own = workspace();
  const started = await startServer(own, flags(own));
  try {
    await fn(started.base);
  } finally {
    await started.stop();
    own.cleanup();
  }
}

function post(base, query, headers = {}) {
  return fetch(`${base}/v1/first-party/referral?${new URLSearchParams(query)}`, { method: 'POST', headers });
}

test('a referral answers 204 with vouch_ref and vouch_vid, each for the 30-day default window', async () => {
  const at = now();
  const res = await post(server.base, { code: 'TESS10', at, visitor: VISITOR, domain: 'shop.example' });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  // 30 days = 2,592,000 s; "|" is written %7C, as the loader writes it.
  assert.deepEqual(res.headers.getSetCookie(), [
    `vouch_ref=TESS10%7C${at}; Max-Age=2592000; Path=/; Domain=shop.example; SameSite=Lax`,
    `vouch_vid=${VISITOR}; Max-Age=2592000; Path=/; Domain=shop.example; SameSite=Lax`,
  ]);
});

test('without a domain the cookies are host-only, and without a visitor the server makes one', async () => {
  const at = now() - 3 * 86400;   // a touch carried from another of the shop's sites keeps its time
  const res = await post(server.base, { code: 'sunny.hiking-17', at });
  assert.equal(res.status, 204);
  const [ref, vid] = res.headers.getSetCookie();
  assert.equal(ref, `vouch_ref=sunny.hiking-17%7C${at}; Max-Age=2592000; Path=/; SameSite=Lax`);
  assert.match(vid, /^vouch_vid=v-[0-9a-f]{24}; Max-Age=2592000; Path=\/; SameSite=Lax$/);
});

test('Secure when the shopper\'s page is https: its Origin says so, or a trusted proxy\'s X-Forwarded-Proto', async () => {
  const query = { code: 'TESS10', at: now(), visitor: VISITOR };
  const fromHttps = await post(server.base, query, { Origin: 'https://shop.example', 'Sec-Fetch-Site': 'same-origin' });
  assert.ok(fromHttps.headers.getSetCookie().every((c) => c.endsWith('; SameSite=Lax; Secure')));
  // The server itself is not behind a trusted proxy here: a client's own
  // X-Forwarded-Proto is not believed.
  const forged = await post(server.base, query, { 'X-Forwarded-Proto': 'https' });
  assert.ok(forged.headers.getSetCookie().every((c) => c.endsWith('; SameSite=Lax')));

  await withServer(() => ['--trusted-proxy', '127.0.0.1'], async (base) => {
    const res = await post(base, query, { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.9' });
    assert.ok(res.headers.getSetCookie().every((c) => c.endsWith('; SameSite=Lax; Secure')));
  });
});

test('Max-Age is the attribution window of --config', async () => {
  const withWindow = (own) => {
    const config = join(own.dir, 'attribution.json');
    writeFileSync(config, JSON.stringify({ window_days: 45 }));
    return ['--config', config];
  };
  await withServer(withWindow, async (base) => {
    // 45 days = 3,888,000 s; a touch 40 days old is still inside it.
    const res = await post(base, { code: 'TESS10', at: now() - 40 * 86400, visitor: VISITOR });
    assert.equal(res.status, 204);
    assert.ok(res.headers.getSetCookie().every((c) => c.includes('; Max-Age=3888000; ')));
  });
});

test('bad input gets a stable code and no cookie', async () => {
  const at = now();
  const cases = [
    [{ code: 'TESS10;domain=evil.example', at }, 400, 'referral.invalid_code'],
    [{ code: '', at }, 400, 'referral.invalid_code'],
    [{ code: 'A'.repeat(65), at }, 400, 'referral.invalid_code'],
    [{ code: 'TESS10', at: 'yesterday' }, 400, 'referral.invalid_time'],
    [{ code: 'TESS10' }, 400, 'referral.invalid_time'],
    [{ code: 'TESS10', at: at + 3600 }, 400, 'referral.invalid_time'],
    [{ code: 'TESS10', at: at - 31 * 86400 }, 400, 'referral.invalid_time'],
    [{ code: 'TESS10', at, visitor: 'v-XYZ' }, 400, 'referral.invalid_visitor'],
    [{ code: 'TESS10', at, domain: 'shop.example; Secure' }, 400, 'referral.invalid_domain'],
    [{ code: 'TESS10', at, domain: '.shop.example' }, 400, 'referral.invalid_domain'],
    [{ code: 'TESS10', at, domain: 'localhost' }, 400, 'referral.invalid_domain'],
    [{ code: 'TESS10', at, domain: 'Shop.Example' }, 400, 'referral.invalid_domain'],
  ];
  for (const [query, status, code] of cases) {
    const res = await post(server.base, query);
    const body = await res.json();
    assert.equal(res.status, status, JSON.stringify(query));
    assert.equal(body.error.code, code, JSON.stringify(query));
    assert.deepEqual(res.headers.getSetCookie(), [], JSON.stringify(query));
  }
});

// The edges of the visitor id ("v-" and 24 lower-case hex digits) and of a
// cookie domain (two or more labels of 1 to 63 lower-case letters, digits
// and inner "-", at most 253 characters in all): 63 in a label passes, 64
// fails; 253 in all passes, 254 (`b` + the longest) fails; a label starting
// or ending in "-", a single label, an upper-case letter fail.
test('visitor ids and cookie domains: each rule at its edges', async () => {
  const at = now();
  const label = (n) => 'a'.repeat(n);
  const longest = [label(63), label(63), label(63), label(61)].join('.');   // 3 x 63 + 61 + 3 dots = 253
  const accepted = [
    { visitor: `v-${'f'.repeat(24)}` }, { domain: 'a.b' }, { domain: 'shop-1.example' }, { domain: '0.example' },
    { domain: `${label(63)}.example` }, { domain: 'xn--bcher-kva.shop.example' }, { domain: longest },
  ];
  const refused = [
    { visitor: `v-${'f'.repeat(23)}` }, { visitor: `v-${'f'.repeat(25)}` }, { visitor: `v-${'F'.repeat(24)}` },
    { visitor: `x-${'f'.repeat(24)}` }, { visitor: `v_${'f'.repeat(24)}` }, { visitor: `v-${'g'.repeat(24)}` },
    { domain: `${label(64)}.example` }, { domain: '-shop.example' }, { domain: 'shop-.example' },
    { domain: 'shop..example' }, { domain: 'shop.example.' }, { domain: 'shop_1.example' }, { domain: 'shop.-' },
    { domain: `b${longest}` }, { domain: 'ünî.example' }, { domain: 'shop.example:8080' },
    { domain: 'example' }, { domain: 'shop.exAmple' }, { domain: '.' },
  ];
  for (const query of accepted) {
    const res = await post(server.base, { code: 'TESS10', at, ...query });
    assert.equal(res.status, 204, JSON.stringify(query));
    const cookies = res.headers.getSetCookie();
    if (query.visitor) assert.ok(cookies[1].startsWith(`vouch_vid=${query.visitor};`), cookies[1]);
    if (query.domain) assert.ok(cookies.every((c) => c.includes(`; Domain=${query.domain};`)), JSON.stringify(query));
  }
  for (const query of refused) {
    const res = await post(server.base, { code: 'TESS10', at, ...query });
    assert.equal(res.status, 400, JSON.stringify(query));
    assert.equal((await res.json()).error.code, query.visitor ? 'referral.invalid_visitor' : 'referral.invalid_domain');
  }
});

test('another site cannot set the shop\'s referral through a shopper\'s browser', async () => {
  const res = await post(server.base, { code: 'STUFFED', at: now() }, { 'Sec-Fetch-Site': 'cross-site' });
  assert.equal(res.status, 403);
  assert.equal((await res.json()).error.code, 'referral.cross_site');
  assert.deepEqual(res.headers.getSetCookie(), []);
  // The shop's other subdomains are the same site: allowed.
  const sibling = await post(server.base, { code: 'TESS10', at: now() }, { 'Sec-Fetch-Site': 'same-site' });
  assert.equal(sibling.status, 204);
});
