// The creator portal as time passes (docs/portal.md): a sign-in link dies
// after 15 minutes; a commission is pending inside the refund window,
// approved after it, and paid by the owner's payout run, which the creator
// then sees, and which the PayPal and Wise files carry. The server's clock
// is moved by restarting it with VOUCH_CLOCK_OFFSET on the same database.
//
// Worked example (the demo feed's 10% commission): A's shopper buys 150.00
// one hour before "now", B's 80.00: A earns 15.00, B 8.00. The owner sets a
// 7-day refund window and a 10.00 minimum. Eight days later both are
// approved; A (15.00 >= 10.00) may ask for a payout, B (8.00) may not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { workspace, startServer, postEvents, postOrder, admin } from './harness.mjs';

let ws;
let server;
let A;
let B;
const now = Math.floor(Date.now() / 1000);
const iso = (t) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
const DAY = 86400;

async function json(res) { return { status: res.status, headers: res.headers, body: await res.json().catch(() => null) }; }

async function restartAt(offsetSeconds) {
  await server.stop();
  server = await startServer(ws, [], { VOUCH_CLOCK_OFFSET: String(offsetSeconds) });
}

const owner = async (path, body) => json(await fetch(`${server.base}${path}`, body === undefined ? { headers: admin } : {
  method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify(body) }));

async function linkFor(id) {
  const r = await owner(`/v1/admin/creators/${encodeURIComponent(id)}/portal-link`, {});
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return new URL(r.body.url).hash.replace(/^#token=/, '');
}

const spend = async (token) => json(await fetch(`${server.base}/v1/portal/sessions`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) }));

async function signIn(id) {
  const r = await spend(await linkFor(id));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const cookie = r.headers.getSetCookie()[0].split(';')[0];
  const me = await json(await fetch(`${server.base}/v1/portal/me`, { headers: { cookie } }));
  const call = async (path, body) => json(await fetch(`${server.base}${path}`, body === undefined ? { headers: { cookie } } : {
    method: 'POST', headers: { cookie, 'x-vouch-csrf': me.body.csrf, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
  return { me: me.body, call };
}

before(async () => {
  ws = workspace();
  server = await startServer(ws);
  const feed = JSON.parse(readFileSync(ws.feed, 'utf8'));
  [A, B] = feed.influencers.filter((i) => i.codes && i.codes.length);
  const touches = [[A, 'v-clock-a'], [B, 'v-clock-b']].map(([who, visitor], i) => ({
    id: `t-clock-${i}`, type: 'touch', at: iso(now - 7200), visitor, code: who.codes[0], source: 'link', landing: '/' }));
  assert.equal((await postEvents(server.base, touches)).status, 200);
  for (const [order, visitor, value] of [['pc-a-1', 'v-clock-a', 150], ['pc-b-1', 'v-clock-b', 80]]) {
    const r = await postOrder(server.base, { order_id: order, visitor, at: iso(now - 3600), value, currency: 'USD',
      items: [{ product: 'sku-1', qty: 1, price: value }] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  const set = await owner('/v1/admin/portal/settings', { refund_window_days: 7, payout_minimum: 10 });
  assert.equal(set.status, 200, JSON.stringify(set.body));
});

after(async () => {
  await server?.stop();
  ws?.cleanup();
});

test('a sign-in link made 16 minutes ago has expired; one made 14 minutes ago signs in', async () => {
  const old = await linkFor(A.id);
  await restartAt(14 * 60);
  const recent = await linkFor(A.id);   // made at +14 min
  await restartAt(16 * 60);
  const r = await spend(old);
  assert.equal(r.status, 401);
  assert.equal(r.body.error.code, 'portal.link_expired');
  assert.equal((await spend(recent)).status, 200);
  await restartAt(0);
});

test('pending inside the refund window, approved after it, paid by the owner\'s run, seen by the creator', async () => {
  const before7 = await signIn(A.id);
  assert.deepEqual(before7.me.balances, { pending: 15, approved: 0, paid: 0 });
  const early = await before7.call('/v1/portal/payouts/request', {});
  assert.equal(early.status, 409);
  assert.equal(early.body.error.code, 'payout.below_minimum');

  await restartAt(8 * DAY);
  const a = await signIn(A.id);
  const b = await signIn(B.id);
  assert.deepEqual(a.me.balances, { pending: 0, approved: 15, paid: 0 });
  const lines = (await a.call('/v1/portal/commissions')).body.lines;
  assert.deepEqual(lines.map((l) => [l.order_id, l.state, l.amount]), [['pc-a-1', 'approved', 15]]);
  // B's 8.00 is under the owner's 10.00 minimum.
  const bAsk = await b.call('/v1/portal/payouts/request', {});
  assert.equal(bAsk.body.error.code, 'payout.below_minimum');
  assert.equal((await b.call('/v1/portal/payouts')).body.can_request, false);
  const ask = await a.call('/v1/portal/payouts/request', {});
  assert.equal(ask.status, 200, JSON.stringify(ask.body));
  assert.equal(ask.body.open_request.amount, 15);
  assert.equal((await a.call('/v1/portal/payouts/request', {})).body.error.code, 'payout.already_requested');
  assert.equal((await a.call('/v1/portal/profile', { payout_email: 'a-payouts@example.com' })).status, 200);

  // The owner's run: A's line, paid by PayPal.
  const due = await owner('/v1/admin/payouts/due');
  const dueA = due.body.creators.find((c) => c.influencer === A.id);
  assert.equal(dueA.approved, 15);
  assert.ok(dueA.requested);
  assert.deepEqual(dueA.lines.map((l) => l.order_id), ['pc-a-1']);
  // An order of B's in A's payout is refused, and nothing is paid.
  const wrong = await owner('/v1/admin/payouts', { method: 'paypal', payouts: [{ influencer: A.id, orders: ['pc-b-1'] }] });
  assert.equal(wrong.status, 409, JSON.stringify(wrong.body));
  const run = await owner('/v1/admin/payouts', { method: 'paypal', reference: 'batch 1',
    payouts: [{ influencer: A.id, orders: ['pc-a-1'] }] });
  assert.equal(run.status, 200, JSON.stringify(run.body));
  assert.equal(run.body.payouts.length, 1);
  assert.equal(run.body.payouts[0].amount, 15);
  const again = await owner('/v1/admin/payouts', { method: 'paypal', payouts: [{ influencer: A.id, orders: ['pc-a-1'] }] });
  assert.equal(again.status, 409, 'a line is paid once');

  // The creator sees it; the other creator does not.
  const mine = (await a.call('/v1/portal/payouts')).body;
  assert.equal(mine.history.length, 1);
  assert.equal(mine.history[0].amount, 15);
  assert.equal(mine.open_request, null);
  assert.equal(mine.paid, 15);
  assert.deepEqual((await a.call('/v1/portal/me')).body.balances, { pending: 0, approved: 0, paid: 15 });
  assert.equal((await a.call('/v1/portal/commissions')).body.lines[0].state, 'paid');
  assert.deepEqual((await b.call('/v1/portal/payouts')).body.history, []);
  assert.deepEqual((await b.call(`/v1/portal/payouts?creator=${A.id}`)).body.history, []);

  // The run's files: PayPal (no header: e-mail, amount, currency, id, note, wallet) and Wise (header).
  const file = async (format) => {
    const res = await fetch(`${server.base}/v1/admin/payouts/file?run=${run.body.run}&format=${format}`, { headers: admin });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/csv/);
    return res.text();
  };
  const paypal = (await file('paypal')).trim().split('\r\n');
  assert.equal(paypal.length, 1);
  assert.deepEqual(paypal[0].split(',').slice(0, 3), ['a-payouts@example.com', '15.00', 'USD']);
  const wise = (await file('wise')).trim().split('\r\n');
  assert.equal(wise[0], 'name,recipientEmail,paymentReference,receiverType,amountCurrency,amount,sourceCurrency,targetCurrency');
  assert.equal(wise.length, 2);
  assert.match(wise[1], /,a-payouts@example\.com,.*,PERSON,target,15\.00,USD,USD$/);
  await restartAt(0);
});
