// The creator portal's journey on a phone (docs/portal.md), against a real
// `vouch serve` with the demo feed (seed 1) and headless Chromium:
//
//   the owner invites Chloe T. (inf-1, code SLOWSKINCA1) in the dashboard,
//   sets a 14-day refund window and a 10.00 minimum, and makes her a link;
//   she opens it on her phone (390 px) and lands on /portal/, signed in;
//   she builds a link to the Firefly Ultralight Tent for tiktok;
//   a shopper arrives through it (the loader records the touch with src);
//   the shop's backend posts the order through the signed webhook: 120.00;
//   her commission, 10% = 12.00, is pending; fifteen days later (the server
//   restarted with its clock 15 days ahead) it is approved, and she asks
//   for a payout (12.00 >= 10.00);
//   the owner marks it paid (PayPal) in the dashboard's Payouts page;
//   her Payouts page shows the payout, and the PayPal file carries it.
//
// Every portal page passes axe; screenshots at 390 px and desktop go to
// var/screenshots/portal-*.png.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  ROOT, SCREENSHOTS, cleanup, demoFeed, launch, openContext, startServer, tempDir, waitFor,
} from './support/harness.mjs';

const SECRET = 'portal-journey-webhook-secret';
const DAY = 86400;
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 };
const axeSource = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

let dir;
let feedPath;
let server;
let browser;

const restart = async (offsetSeconds) => {
  await server.close();
  server = await startServer(feedPath, dir, ['--webhook-secret', SECRET],
    { port: server.port, token: server.token, env: { VOUCH_CLOCK_OFFSET: String(offsetSeconds) } });
};

before(async () => {
  dir = tempDir();
  feedPath = demoFeed(dir);
  server = await startServer(feedPath, dir, ['--webhook-secret', SECRET]);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) cleanup(dir);
});

async function axeClean(page, what) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], what);
}

async function portalPage(page, name, ready) {
  const target = `${server.url}/portal/#/${name}`;
  if (page.url() === target) await page.reload();   // the same hash: no navigation
  else await page.goto(target);
  await page.waitForSelector(ready);
  await axeClean(page, `portal ${name}`);
}

async function signOwnerIn(page, hash) {
  await page.goto(`${server.url}/admin/#/${hash}`);
  if (await page.isVisible('#login')) {
    await page.fill('#token', server.token);
    await page.click('#login-form button[type=submit]');
  }
}

function signedOrder(order) {
  const body = JSON.stringify(order);
  const t = Math.floor(Date.now() / 1000);
  const signature = `t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}`;
  return fetch(`${server.url}/v1/orders`, { method: 'POST', body,
    headers: { 'content-type': 'application/json', 'x-vouch-signature': signature } });
}

test('magic link, link builder, a shopper\'s order, pending, approved, paid: the creator sees it all on a phone', async () => {
  // The owner, in the dashboard: invite, settings, a sign-in link.
  const ownerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const owner = await ownerContext.newPage();
  await signOwnerIn(owner, 'creators');
  await owner.waitForSelector('#invite');
  await owner.fill('#refund-window', '14');
  await owner.fill('#payout-minimum', '10');
  // Saved ("Saved."), then the page is drawn again (an empty status).
  await Promise.all([owner.waitForResponse((r) => r.url().endsWith('/v1/admin/portal/activity')),
    owner.click('#portal-settings button[type=submit]')]);
  await owner.waitForFunction(() => document.querySelector('#settings-status')?.textContent === '');
  assert.equal(await owner.inputValue('#refund-window'), '14');
  await owner.selectOption('#invite-creator', 'inf-1');
  await owner.fill('#invite-email', 'chloe@example.com');
  await owner.click('#invite button[type=submit]');
  await owner.waitForSelector('[data-creator=inf-1] [data-action=link]');
  await owner.click('[data-creator=inf-1] [data-action=link]');
  const link = await (await owner.waitForSelector('.link-box input')).inputValue();
  assert.match(link, new RegExp(`^${server.url}/portal/#token=inf-1~`));
  await owner.screenshot({ path: join(SCREENSHOTS, 'portal-owner-creators-desktop.png'), fullPage: true });

  // The creator opens it on her phone: signed in, on /portal/, the token gone from the address.
  const phone = await browser.newContext(PHONE);
  const creator = await phone.newPage();
  const errors = [];
  creator.on('pageerror', (e) => errors.push(String(e)));
  await creator.goto(link);
  await creator.waitForSelector('#page-title');
  assert.equal(new URL(creator.url()).pathname, '/portal/');
  assert.equal(new URL(creator.url()).hash.includes('token'), false);
  const [session] = (await phone.cookies()).filter((c) => c.name === 'vouch_portal');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Strict');
  assert.equal(session.path, '/v1/portal');
  assert.match(await creator.textContent('#creator-name'), /Chloe/);
  await axeClean(creator, 'portal home');
  // The link works once: a second browser opening it is not signed in.
  const other = await (await browser.newContext(PHONE)).newPage();
  await other.goto(link);
  await other.waitForSelector('#sign-in-title');
  assert.match(await other.textContent('.sign-in .notice'), /used/i);
  await axeClean(other, 'portal sign-in');
  await other.context().close();

  // She builds a link to the tent, for tiktok.
  await portalPage(creator, 'links', '#product-search');
  await Promise.all([creator.waitForResponse((r) => r.url().includes('/v1/portal/products?q=tent')),
    creator.fill('#product-search', 'tent')]);
  await creator.waitForFunction(() => document.querySelectorAll('#product-choices li').length === 2);   // home + the tent
  const tent = creator.locator('#product-choices label', { hasText: 'Firefly Ultralight Tent' });
  await tent.click();
  await creator.locator('.chips label', { hasText: 'tiktok' }).click();
  const built = await creator.textContent('#link-result');
  const url = new URL(built);
  assert.equal(url.origin, server.url);
  assert.equal(url.pathname, '/demo/product.html');
  assert.equal(url.searchParams.get('ref'), 'SLOWSKINCA1');
  assert.equal(url.searchParams.get('src'), 'tiktok');
  const product = url.searchParams.get('id');
  await creator.screenshot({ path: join(SCREENSHOTS, 'portal-links-phone.png'), fullPage: true });
  await axeClean(creator, 'portal links, filled');

  // A shopper arrives through it: the loader records the touch with its source tag.
  const { context: shop, acceptedOfType } = await openContext(browser, server);
  const shopper = await shop.newPage();
  await shopper.goto(built);
  const [touch] = await waitFor(() => acceptedOfType('touch').length && acceptedOfType('touch'), 'the touch event');
  assert.equal(touch.code, 'SLOWSKINCA1');
  assert.equal(touch.src, 'tiktok');
  const visitor = touch.visitor;
  assert.ok(visitor, 'the touch names its visitor');
  await shop.close();

  // The shop's backend reports the order through the signed webhook, after
  // the shopper has looked around: an order within 10 s of its link click is
  // click injection (docs/attribution.md) and earns nothing.
  await new Promise((resolve) => setTimeout(resolve, 11000));
  const res = await signedOrder({ order_id: 'journey-1', visitor, at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    value: 120, currency: 'USD', items: [{ product, qty: 1, price: 120 }] });
  assert.equal(res.status, 200, await res.text());

  // Pending, 10% of 120.00.
  await portalPage(creator, 'commissions', '[data-order=journey-1]');
  assert.equal(await creator.getAttribute('[data-order=journey-1]', 'data-state'), 'pending');
  assert.match(await creator.textContent('[data-order=journey-1] .money'), /\$12\.00/);
  assert.match(await creator.textContent('[data-order=journey-1]'), /tiktok/);
  await creator.screenshot({ path: join(SCREENSHOTS, 'portal-commissions-pending-phone.png'), fullPage: true });
  await portalPage(creator, 'performance', '#results dl.totals');
  await creator.screenshot({ path: join(SCREENSHOTS, 'portal-performance-phone.png'), fullPage: true });
  await portalPage(creator, 'account', '#payout-email');
  await creator.fill('#payout-email', 'chloe-payouts@example.com');
  await creator.click('form:has(#payout-email) button[type=submit]');
  await creator.waitForFunction(() => document.querySelector('#payout-email-status')?.textContent);

  // Fifteen days later: approved; she asks for her payout.
  await restart(15 * DAY);
  await portalPage(creator, 'commissions', '[data-order=journey-1][data-state=approved]');
  await portalPage(creator, 'payouts', '#request-payout:not([disabled])');
  await creator.click('#request-payout');
  await creator.waitForFunction(() => document.querySelector('#request-status')?.textContent.includes('12.00'));
  await creator.screenshot({ path: join(SCREENSHOTS, 'portal-payouts-requested-phone.png'), fullPage: true });

  // The owner pays it with PayPal.
  await signOwnerIn(owner, 'payouts');
  await owner.waitForSelector('#payout-run input[name=line][value=journey-1]:checked');
  assert.match(await owner.textContent('#payout-run'), /requested/);
  await owner.selectOption('#payout-method', 'paypal');
  await owner.fill('#payout-reference', 'PP batch 1');
  await owner.click('#payout-run button[type=submit]');
  await owner.waitForSelector('#run-done');
  await owner.waitForSelector('#payout-runs');
  await owner.screenshot({ path: join(SCREENSHOTS, 'portal-owner-payouts-desktop.png'), fullPage: true });
  const run = await owner.getAttribute('[data-format=paypal][data-run]', 'data-run');
  const file = await fetch(`${server.url}/v1/admin/payouts/file?run=${run}&format=paypal`,
    { headers: { authorization: `Bearer ${server.token}` } });
  assert.equal((await file.text()).split(',').slice(0, 3).join(','), 'chloe-payouts@example.com,12.00,USD');

  // She sees it.
  await portalPage(creator, 'payouts', '#payout-history [data-payout]');
  assert.match(await creator.textContent('#payout-history [data-payout]'), /\$12\.00/);
  assert.match(await creator.textContent('#payout-history [data-payout]'), /PP batch 1/);
  await creator.screenshot({ path: join(SCREENSHOTS, 'portal-payouts-phone.png'), fullPage: true });
  await portalPage(creator, 'commissions', '[data-order=journey-1][data-state=paid]');
  await portalPage(creator, 'home', '.cards');
  await creator.screenshot({ path: join(SCREENSHOTS, 'portal-home-phone.png'), fullPage: true });

  // The same pages at desktop width, and the dashboard's side.
  await creator.setViewportSize({ width: 1280, height: 900 });
  for (const name of ['home', 'performance', 'commissions', 'payouts']) {
    await portalPage(creator, name, '#page-title');
    await creator.waitForLoadState('networkidle');
    await creator.screenshot({ path: join(SCREENSHOTS, `portal-${name}-desktop.png`), fullPage: true });
  }
  assert.deepEqual(errors, []);
  await phone.close();
  await ownerContext.close();
});
