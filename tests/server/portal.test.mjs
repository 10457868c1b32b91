// The creator portal over HTTP (docs/portal.md): magic links (signed, single
// use, 15 minutes, sent through the mailer or copied), session cookies,
// CSRF, rate limits, and isolation: every portal endpoint probed with
// another creator's session and with forged ids (IDOR). Money: the demo
// feed's default commission is 10%.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { workspace, startServer, postEvents, postOrder, postRefund, admin, WEBHOOK_SECRET } from './harness.mjs';

let ws;
let server;
let A;
let B;   // two creators of the demo feed (seed 1) with orders
let others;   // more creators: the owner's links are rate-limited per creator (5 a minute)
const now = Math.floor(Date.now() / 1000);
const iso = (t) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

async function json(res) { return { status: res.status, headers: res.headers, body: await res.json().catch(() => null) }; }

// The magic link the owner copies: POST /v1/admin/creators/ID/portal-link -> {"url"}.
async function linkFor(id, body = {}) {
  const r = await json(await fetch(`${server.base}/v1/admin/creators/${encodeURIComponent(id)}/portal-link`, {
    method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}
const tokenOf = (url) => new URL(url).hash.replace(/^#token=/, '');

async function spend(token, headers = {}) {
  return json(await fetch(`${server.base}/v1/portal/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json', origin: server.base, ...headers },
    body: JSON.stringify({ token }) }));
}

// A signed-in creator: their cookie and CSRF token, and calls with them.
async function signIn(id) {
  const r = await spend(tokenOf((await linkFor(id)).url));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const cookie = r.headers.getSetCookie()[0].split(';')[0];
  const me = await json(await fetch(`${server.base}/v1/portal/me`, { headers: { cookie } }));
  assert.equal(me.status, 200);
  const call = async (path, { method = 'GET', body, csrf = me.body.csrf, headers = {} } = {}) => json(await fetch(
    `${server.base}${path}`, { method, headers: { cookie, ...(method === 'GET' ? {} : { 'x-vouch-csrf': csrf, 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body) }));
  return { id, cookie, csrf: me.body.csrf, me: me.body, call };
}

before(async () => {
  ws = workspace();
  server = await startServer(ws);
  const feed = JSON.parse(readFileSync(ws.feed, 'utf8'));
  [A, B, ...others] = feed.influencers.filter((i) => i.codes && i.codes.length).slice(0, 8);
  // A's shopper came through A's Instagram link (src kept in lower case) and bought 150.00; B's, 80.00.
  const touches = [[A, 'v-portal-a', 'Instagram'], [B, 'v-portal-b', null]].map(([who, visitor, src], i) => ({
    id: `t-portal-${i}`, type: 'touch', at: iso(now - 7200), visitor, code: who.codes[0], source: 'link',
    landing: '/demo/product.html?id=sku-1', ...(src ? { src } : {}) }));
  assert.equal((await postEvents(server.base, touches)).status, 200);
  for (const [order, visitor, value] of [['po-a-1', 'v-portal-a', 150], ['po-b-1', 'v-portal-b', 80]]) {
    const r = await postOrder(server.base, { order_id: order, visitor, at: iso(now - 3600), value, currency: 'USD',
      items: [{ product: 'sku-1', qty: 1, price: value }] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
});

after(async () => {
  await server?.stop();
  ws?.cleanup();
});

test('the owner gets a signed link; opening it signs the creator in with a strict, HttpOnly cookie', async () => {
  const C = others[0];
  const link = await linkFor(C.id);
  assert.match(link.url, new RegExp(`^${server.base}/portal/#token=`));
  const expires = Date.parse(link.expires_at) / 1000;
  assert.ok(expires > now + 14 * 60 && expires <= now + 16 * 60, link.expires_at);   // 15 minutes
  const r = await spend(tokenOf(link.url));
  assert.equal(r.status, 200);
  const [cookie] = r.headers.getSetCookie();
  assert.match(cookie, /^vouch_portal=[0-9a-f]{64}; Max-Age=2592000; Path=\/v1\/portal; HttpOnly; SameSite=Strict$/);
  // Plain http on loopback (the demo): not Secure. Anywhere else: Secure.
  // (fetch cannot set Host: node:http can.)
  const token = tokenOf((await linkFor(C.id)).url);
  const other = await new Promise((resolve, reject) => {
    const body = JSON.stringify({ token });
    const req = request(`${server.base}/v1/portal/sessions`, { method: 'POST', headers: {
      host: 'creators.shop.example', origin: 'https://creators.shop.example', 'content-type': 'application/json',
      'content-length': Buffer.byteLength(body) } }, (res) => { res.resume(); res.on('end', () => resolve(res)); });
    req.on('error', reject);
    req.end(body);
  });
  assert.equal(other.statusCode, 200);
  assert.match(other.headers['set-cookie'][0], /; Secure$/);
});

test('a link signs in once; a forged or damaged one never', async () => {
  const [D, E] = others.slice(1);
  const token = tokenOf((await linkFor(D.id)).url);
  assert.equal((await spend(token)).status, 200);
  const again = await spend(token);
  assert.equal(again.status, 401);
  assert.equal(again.body.error.code, 'portal.link_used');
  // The MAC covers the creator: the same token naming E is refused before the database is asked.
  const forged = token.replace(D.id, E.id);
  assert.equal((await spend(forged)).body.error.code, 'portal.link_invalid');
  assert.equal((await spend(token.slice(0, -1) + (token.endsWith('0') ? '1' : '0'))).body.error.code, 'portal.link_invalid');
  assert.equal((await spend('')).body.error.code, 'portal.link_invalid');
  // Another site cannot sign a visitor in (login CSRF).
  const fresh = tokenOf((await linkFor(D.id)).url);
  const cross = await spend(fresh, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
  assert.equal(cross.status, 403);
  assert.equal(cross.body.error.code, 'portal.cross_site');
  assert.equal((await spend(fresh)).status, 200);   // the refused attempt did not spend it
});

test('the portal\'s pages come with a CSP as strict as the dashboard\'s, and hold no inline script or style', async () => {
  const res = await fetch(`${server.base}/portal/`);
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy');
  assert.equal(csp, "default-src 'self'; script-src 'self'; img-src 'self' data:; object-src 'none'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
  const html = await res.text();
  assert.match(html, /<script type="module" src="\/portal\/app.js"><\/script>/);
  assert.doesNotMatch(html.replace(/<script type="module" src="[^"]+"><\/script>/g, ''), /<script|<style|\son[a-z]+=|style=/i);
});

test('without a session the portal answers 401', async () => {
  for (const path of ['/v1/portal/me', '/v1/portal/commissions', '/v1/portal/performance', '/v1/portal/payouts']) {
    const r = await json(await fetch(`${server.base}${path}`));
    assert.equal(r.status, 401, path);
    assert.equal(r.body.error.code, 'portal.signed_out');
    const forged = await json(await fetch(`${server.base}${path}`, { headers: { cookie: `vouch_portal=${'0'.repeat(64)}` } }));
    assert.equal(forged.status, 401, path);
  }
});

test('each creator sees only their own commissions, results and payouts, whatever ids they send', async () => {
  const a = await signIn(A.id);
  const b = await signIn(B.id);
  assert.equal(a.me.creator.id, A.id);
  assert.equal(b.me.creator.id, B.id);
  // 10% of 150.00 and of 80.00, pending (inside the 30-day window).
  assert.deepEqual(a.me.balances, { pending: 15, approved: 0, paid: 0 });
  assert.deepEqual(b.me.balances, { pending: 8, approved: 0, paid: 0 });
  for (const [who, other, order] of [[a, B, 'po-a-1'], [b, A, 'po-b-1']]) {
    // Forged ids in the query are not parameters: the session decides.
    for (const query of ['', `?creator=${other.id}`, `?influencer=${other.id}`, `?id=${other.id}`]) {
      const c = await who.call(`/v1/portal/commissions${query}`);
      assert.equal(c.status, 200);
      assert.deepEqual(c.body.lines.map((l) => l.order_id), [order], query);
      const p = await who.call(`/v1/portal/performance${query}`);
      assert.equal(p.status, 200, JSON.stringify(p.body));
      assert.equal(p.body.totals.orders, 1, query);
      const me = await who.call(`/v1/portal/me${query}`);
      assert.equal(me.body.creator.id, who.id);
    }
  }
  const line = (await a.call('/v1/portal/commissions')).body.lines[0];
  assert.equal(line.amount, 15);
  assert.equal(line.state, 'pending');
  assert.equal(line.src, 'instagram');
  // A's sessions list has A's only; ending B's session by its id from A's does nothing.
  const bSessions = (await b.call('/v1/portal/sessions')).body.sessions;
  const bId = bSessions.find((s) => s.current).id;
  const end = await a.call('/v1/portal/sessions/end', { method: 'POST', body: { id: bId } });
  assert.equal(end.body.ended, 0);
  assert.equal((await b.call('/v1/portal/me')).status, 200);
  assert.ok((await a.call('/v1/portal/sessions')).body.sessions.every((s) => !bSessions.some((x) => x.id === s.id)));
  // A campaign of someone else, or none, is not found from A's session.
  const task = await a.call('/v1/portal/campaigns/not-a-campaign/accept', { method: 'POST', body: {} });
  assert.equal(task.status, 404);
  // A's CSRF token does not work with B's cookie.
  const mixed = await b.call('/v1/portal/profile', { method: 'POST', body: { payout_email: 'x@example.com' }, csrf: a.csrf });
  assert.equal(mixed.status, 403);
  assert.equal(mixed.body.error.code, 'portal.csrf');
});

test('no portal route answers with, or changes, another creator\'s data, whatever ids are forged into it', async () => {
  const a = await signIn(A.id);
  const b = await signIn(B.id);
  const forged = `?creator=${B.id}&influencer=${B.id}&id=${B.id}&q=${B.id}`;
  for (const path of ['/v1/portal/me', '/v1/portal/commissions', '/v1/portal/performance', '/v1/portal/payouts',
    '/v1/portal/sessions', '/v1/portal/products']) {
    const r = await a.call(path + forged);
    assert.equal(r.status, 200, path);
    const text = JSON.stringify(r.body);
    assert.ok(!text.includes(B.id) && !text.includes('po-b-1'), `${path} shows nothing of B: ${text.slice(0, 200)}`);
  }
  // Bodies naming B change A's own rows, or nothing.
  const bBefore = (await b.call('/v1/portal/me')).body.payout_email;
  assert.equal((await a.call('/v1/portal/profile', { method: 'POST',
    body: { influencer: B.id, creator: B.id, payout_email: 'a-own@example.com' } })).status, 200);
  assert.equal((await a.call('/v1/portal/me')).body.payout_email, 'a-own@example.com');
  assert.equal((await b.call('/v1/portal/me')).body.payout_email, bBefore);
  const ask = await a.call('/v1/portal/payouts/request', { method: 'POST', body: { influencer: B.id } });
  assert.equal(ask.body.error.code, 'payout.below_minimum');   // A's balance is pending only
  assert.equal((await b.call('/v1/portal/payouts')).body.open_request, null);
  const bSession = (await b.call('/v1/portal/sessions')).body.sessions.find((x) => x.current).id;
  assert.equal((await a.call('/v1/portal/sessions/end', { method: 'POST', body: { id: bSession, influencer: B.id } })).body.ended, 0);
  assert.equal((await a.call('/v1/portal/sign-out', { method: 'POST', body: { id: bSession, influencer: B.id } })).status, 200);
  assert.equal((await b.call('/v1/portal/me')).status, 200, 'B is still signed in');
  assert.equal((await a.call('/v1/portal/me')).status, 401, 'A signed out herself');
  // A path naming a creator is not a portal route.
  assert.equal((await b.call(`/v1/portal/creators/${A.id}/commissions`)).status, 404);
});

test('every change needs the session\'s CSRF token and a same-origin page', async () => {
  const a = await signIn(others[3].id);
  const changes = [['/v1/portal/profile', { payout_email: 'a@example.com' }], ['/v1/portal/payouts/request', {}],
    ['/v1/portal/sessions/end', { all: true }], ['/v1/portal/sign-out', {}]];
  for (const [path, body] of changes) {
    const missing = await a.call(path, { method: 'POST', body, csrf: '' });
    assert.equal(missing.status, 403, path);
    assert.equal(missing.body.error.code, 'portal.csrf');
    const wrong = await a.call(path, { method: 'POST', body, csrf: 'f'.repeat(64) });
    assert.equal(wrong.status, 403, path);
    const cross = await a.call(path, { method: 'POST', body, headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(cross.status, 403, path);
    assert.equal(cross.body.error.code, 'portal.cross_site');
  }
  // The session survived every refused attempt; the real one works.
  const saved = await a.call('/v1/portal/profile', { method: 'POST', body: { payout_email: 'a-pay@example.com' } });
  assert.equal(saved.status, 200);
  assert.equal((await a.call('/v1/portal/me')).body.payout_email, 'a-pay@example.com');
});

test('signing out, and the owner revoking access, end sessions', async () => {
  const F = others[4];
  const a1 = await signIn(F.id);
  const a2 = await signIn(F.id);
  assert.equal((await a1.call('/v1/portal/sign-out', { method: 'POST', body: {} })).status, 200);
  assert.equal((await a1.call('/v1/portal/me')).status, 401);
  assert.equal((await a2.call('/v1/portal/me')).status, 200);
  const unused = tokenOf((await linkFor(F.id)).url);
  const revoke = await json(await fetch(`${server.base}/v1/admin/creators/${F.id}/revoke`, { method: 'POST', headers: admin }));
  assert.equal(revoke.status, 200);
  assert.ok(revoke.body.ended >= 1);
  assert.equal((await a2.call('/v1/portal/me')).status, 401);
  assert.equal((await spend(unused)).body.error.code, 'portal.link_used');   // unused links die too
  const activity = await json(await fetch(`${server.base}/v1/admin/portal/activity?creator=${F.id}`, { headers: admin }));
  assert.ok(activity.body.activity.some((e) => e.action === 'access_revoked'));
  assert.ok(activity.body.activity.every((e) => e.influencer === F.id));
});

test('links by e-mail go through the signed mailer webhook, rate-limited, saying nothing of unknown addresses', async () => {
  const received = [];
  const mailer = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { received.push({ signature: req.headers['x-vouch-signature'], body }); res.end('ok'); });
  });
  await new Promise((r) => mailer.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${mailer.address().port}/mail`;
    const set = await json(await fetch(`${server.base}/v1/admin/portal/settings`, { method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ mailer_url: url }) }));
    assert.equal(set.status, 200);
    const invite = await fetch(`${server.base}/v1/admin/creators/${B.id}/invite`, { method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'Creator-B@Example.com' }) });
    assert.equal(invite.status, 200);
    const ask = async (email) => json(await fetch(`${server.base}/v1/portal/links`, { method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.base }, body: JSON.stringify({ email }) }));
    const known = await ask('creator-b@example.com');
    const unknown = await ask('nobody@example.com');
    assert.equal(known.status, 202);
    assert.deepEqual(unknown.body, known.body);
    assert.equal(received.length, 1);
    const [{ signature, body }] = received;
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature);
    assert.equal(v1, createHmac('sha256', WEBHOOK_SECRET).update(`${t}.${body}`).digest('hex'));
    const message = JSON.parse(body);
    assert.equal(message.kind, 'portal_link');
    assert.equal(message.creator.id, B.id);
    assert.equal(message.creator.email, 'Creator-B@Example.com');
    assert.equal((await spend(tokenOf(message.url))).status, 200);
    // Two per minute per address asked: the third is refused.
    assert.equal((await ask('creator-b@example.com')).status, 202);
    const third = await ask('creator-b@example.com');
    assert.equal(third.status, 429);
    assert.equal(third.body.error.code, 'portal.rate_limited');
    assert.ok(Number(third.headers.get('retry-after')) > 0);
  } finally {
    mailer.close();
  }
});

test('the owner\'s links are rate-limited per creator', async () => {
  const id = others[2].id;
  let refused = null;
  for (let i = 0; i < 8 && !refused; i++) {
    const r = await json(await fetch(`${server.base}/v1/admin/creators/${id}/portal-link`, { method: 'POST', headers: admin }));
    if (r.status === 429) refused = r;
  }
  assert.ok(refused, 'no 429 after 8 links a minute');
  assert.equal(refused.body.error.code, 'portal.rate_limited');
  const unknown = await json(await fetch(`${server.base}/v1/admin/creators/nobody-at-all/portal-link`, { method: 'POST', headers: admin }));
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, 'creator.unknown');
});

test('a refund claws back as its own line', async () => {
  // 150.00 order, 60.00 refunded: round(1500 x 6000 / 15000) = 600 -> -6.00.
  const r = await postRefund(server.base, { refund_id: 'rf-portal-1', order_id: 'po-a-1', amount: 60, at: iso(now - 60) });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const a = await signIn(A.id);
  const lines = (await a.call('/v1/portal/commissions')).body.lines;
  const claw = lines.find((l) => l.kind === 'clawback');
  assert.ok(claw, JSON.stringify(lines));
  assert.equal(claw.amount, -6);
  assert.equal(claw.refund_id, 'rf-portal-1');
  assert.equal(claw.state, 'pending');
  assert.equal((await a.call('/v1/portal/me')).body.balances.pending, 9);
});

test('a click and its copy from the checkout site count once in the creator\'s results', async () => {
  // Worked example: G's shopper clicks at T (landing on the product page), the
  // checkout site stores that click again from ?vouch_ref= (same visitor,
  // code and second, landing "/checkout"), and the shopper clicks again at
  // T + 60. Two clicks by one visitor; counting the copy would say three.
  const G = others[5];
  const at = now - 5000;
  const touch = (id, t, landing) => ({ id, type: 'touch', at: iso(t), visitor: 'v-portal-g', code: G.codes[0],
    source: 'link', landing });
  assert.equal((await postEvents(server.base, [touch('t-g-1', at, '/demo/product.html?id=sku-1'),
    touch('t-g-copy', at, '/checkout'), touch('t-g-2', at + 60, '/demo/product.html?id=sku-1')])).status, 200);
  const g = await signIn(G.id);
  const p = await g.call('/v1/portal/performance');
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.equal(p.body.totals.clicks, 2);
  assert.equal(p.body.totals.visitors, 1);
});
