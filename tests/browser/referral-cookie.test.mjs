// The server-set first-party referral cookie through a real reverse proxy:
// nginx (Debian's) serves two loopback sites, a shop (shop.localhost) and its
// checkout on another site (checkout.localhost), and mounts vouch serve's
// /v1/first-party/ at /apps/vouch on both, as docs/widget.md's nginx recipe
// does. The pages load the loader from vouch serve's own origin, as a shop
// with a hosted Vouch does.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cleanup, demoFeed, launch, openContext, startServer, tempDir, waitFor } from './support/harness.mjs';
import { startNginx } from './support/nginx.mjs';

const WINDOW_DAYS = 45;   // the server's attribution window (--config), not the loader's default 30
const env = {};

function page(title, loaderAttributes, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<script src="${env.server.url}/vouch.js" data-endpoint="${env.server.url}/v1/events" ${loaderAttributes} async></script>
</head><body><h1>${title}</h1>${body}</body></html>`;
}

before(async () => {
  env.dir = tempDir();
  const config = join(env.dir, 'attribution.json');
  writeFileSync(config, JSON.stringify({ window_days: WINDOW_DAYS }));
  const sites = join(env.dir, 'sites');
  const shopRoot = join(sites, 'shop');
  const checkoutRoot = join(sites, 'checkout');
  mkdirSync(shopRoot, { recursive: true });
  mkdirSync(checkoutRoot, { recursive: true });
  // vouch serve must know the two origins (CORS) before nginx starts: both
  // sites are on one port, chosen first and held until nginx takes it (the
  // other test files, run side by side, pick free ports meanwhile).
  const holder = createServer();
  await new Promise((done) => holder.listen(0, '127.0.0.1', done));
  const { port } = holder.address();
  env.shop = `http://shop.localhost:${port}`;
  env.checkout = `http://checkout.localhost:${port}`;
  env.server = await startServer(demoFeed(env.dir), env.dir, ['--trusted-proxy', '127.0.0.1', '--config', config,
    '--allow-origin', env.shop, '--allow-origin', env.checkout]);
  writeFileSync(join(shopRoot, 'index.html'), page('Trail & Co', 'data-first-party="/apps/vouch" data-domains="checkout.localhost"',
    `<a id="pay" href="${env.checkout}/pay.html?step=1">Checkout</a>`));
  writeFileSync(join(shopRoot, 'dropped.html'), page('Trail & Co', 'data-first-party="/apps/dropped/"', ''));
  writeFileSync(join(shopRoot, 'unmounted.html'), page('Trail & Co', 'data-first-party="/apps/nowhere"', ''));
  writeFileSync(join(shopRoot, 'consent.html'), page('Trail & Co', 'data-consent="required" data-first-party="/apps/vouch" data-domains="checkout.localhost"',
    `<a id="pay" href="${env.checkout}/pay.html">Checkout</a>`));
  writeFileSync(join(checkoutRoot, 'pay.html'), page('Payment', 'data-first-party="/apps/vouch"', '<p>Pay here</p>'));
  await new Promise((done) => holder.close(done));
  env.nginx = await startNginx(env.dir, [
    { host: 'shop.localhost', root: shopRoot, mounts: [{ path: '/apps/vouch' }, { path: '/apps/dropped', dropSetCookie: true }] },
    { host: 'checkout.localhost', root: checkoutRoot, mounts: [{ path: '/apps/vouch' }] },
  ], env.server.url, port);
  env.browser = await launch();
});

after(async () => {
  await env.browser?.close();
  await env.nginx?.stop();
  await env.server?.close();
  if (env.dir) cleanup(env.dir);
});

// The Set-Cookie values of the first-party responses seen by the page, by cookie name.
function recordSetCookies(context) {
  const seen = [];
  context.on('response', async (response) => {
    if (!/\/apps\/[a-z]+\/referral\?/.test(response.url())) return;
    const headers = await response.headersArray();
    seen.push({ url: response.url(), status: response.status(),
      cookies: headers.filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value) });
  });
  return seen;
}

test('a ?ref= landing gets vouch_ref and vouch_vid from the shop\'s own server with the window\'s Max-Age, and the order on the checkout site is credited to that creator', async () => {
  const { context, log, acceptedOfType } = await openContext(env.browser, env.server);
  const responses = recordSetCookies(context);
  // The shopper landed two minutes before buying: a purchase seconds after
  // the click would rightly be flagged as click injection by the engine.
  const landed = Date.now() - 120000;
  await context.clock.install({ time: landed });
  const shop = await context.newPage();
  const cdp = await context.newCDPSession(shop);

  // inf-17 is @sunnyhikingezra17 with code SUNNYHIKIN17 in the seed-1 feed.
  await shop.goto(`${env.shop}/?ref=SUNNYHIKIN17`);
  const [answer] = await waitFor(() => responses.length && responses, 'the first-party referral call');
  assert.equal(answer.status, 204);
  assert.match(answer.url, new RegExp(`^${env.shop}/apps/vouch/referral\\?code=SUNNYHIKIN17&at=\\d+&visitor=v-[0-9a-f]{24}&domain=shop.localhost$`));
  const visitor = new URL(answer.url).searchParams.get('visitor');
  const maxAge = WINDOW_DAYS * 86400;   // 45 days = 3,888,000 s
  const [ref, vid] = answer.cookies;
  assert.match(ref, new RegExp(`^vouch_ref=SUNNYHIKIN17%7C(\\d+); Max-Age=${maxAge}; Path=/; Domain=shop.localhost; SameSite=Lax$`));
  assert.match(vid, new RegExp(`^vouch_vid=v-[0-9a-f]{24}; Max-Age=${maxAge}; Path=/; Domain=shop.localhost; SameSite=Lax$`));
  const seconds = Number(/%7C(\d+)/.exec(ref)[1]);
  assert.ok(Math.abs(seconds * 1000 - landed) < 5000, `the touch's time ${seconds} is the landing's`);

  // What the browser keeps, from its own cookie list: the server's window,
  // not the 30 days a script write (data-window's default) would have given.
  const { cookies } = await cdp.send('Network.getAllCookies');
  const kept = Object.fromEntries(cookies.filter((c) => c.name.startsWith('vouch_')).map((c) => [c.name, c]));
  assert.deepEqual(Object.keys(kept).sort(), ['vouch_ref', 'vouch_vid']);
  for (const cookie of Object.values(kept)) {
    assert.equal(cookie.domain, '.shop.localhost');
    assert.equal(cookie.sameSite, 'Lax');
    assert.equal(cookie.httpOnly, false);
    // Max-Age counts from the browser's real clock (the page's clock is two minutes back).
    assert.ok(Math.abs(cookie.expires - (Date.now() / 1000 + maxAge)) < 120, `${cookie.name} expires ${cookie.expires}`);
  }
  assert.equal(kept.vouch_ref.value, `SUNNYHIKIN17%7C${seconds}`);

  // The checkout link carries the referral to the other site.
  const href = await waitFor(async () => {
    const value = await shop.getAttribute('#pay', 'href');
    return value.includes('vouch_ref=') && value;
  }, 'the decorated checkout link');
  assert.equal(href, `${env.checkout}/pay.html?step=1&vouch_ref=SUNNYHIKIN17%7C${seconds}%7C${visitor}`);
  await waitFor(() => acceptedOfType('touch').length === 1, 'the landing\'s touch event');

  // On the checkout site: the touch is stored with its own code and time,
  // the parameter leaves the address bar, and the site's own server sets its cookie.
  await context.clock.setSystemTime(Date.now());
  await Promise.all([shop.waitForURL(/pay\.html/), shop.click('#pay')]);
  await waitFor(async () => (await shop.evaluate(() => location.search)) === '?step=1', 'vouch_ref taken out of the URL');
  const stored = await shop.evaluate(() => JSON.parse(localStorage.getItem('vouch:touches')));
  assert.deepEqual(stored.map((t) => [t.code, Date.parse(t.at) / 1000, t.source, t.landing]),
    [['SUNNYHIKIN17', seconds, 'link', '/pay.html']]);
  await waitFor(() => responses.length === 2, 'the checkout\'s first-party call');
  assert.match(responses[1].cookies[0], new RegExp(`^vouch_ref=SUNNYHIKIN17%7C${seconds}; Max-Age=${maxAge}; Path=/; Domain=checkout.localhost; SameSite=Lax$`));
  // The checkout site had no visitor of its own: it takes the shopper's.
  assert.match(responses[1].cookies[1], new RegExp(`^vouch_vid=${visitor}; `));

  await shop.evaluate(() => window.vouch('conversion', { orderId: 'X-3001', value: 61.5, currency: 'USD',
    items: [{ product: 'sku-1', qty: 1, price: 61.5 }] }));
  const [conversion] = await waitFor(() => acceptedOfType('conversion').length && acceptedOfType('conversion'), 'the conversion');
  assert.deepEqual(conversion.touches.map((t) => [t.code, t.at]), [['SUNNYHIKIN17', new Date(seconds * 1000).toISOString().replace('.000', '')]]);
  // Not a second click: the checkout page sends no touch event of its own.
  assert.equal(acceptedOfType('touch').length, 1);
  const report = await env.server.admin('/v1/reports/influencers');
  const credited = report.influencers.filter((row) => row.orders > 0)
    .map((row) => ({ influencer: row.influencer, orders: row.orders, revenue: row.revenue }));
  assert.deepEqual(credited, [{ influencer: 'inf-17', orders: 1, revenue: 61.5 }]);
  // One click and one visitor: the landing's touch event and the conversion's
  // copy from the checkout site are the same visitor's click at the same
  // second (before, the copy came under the checkout site's own visitor: 2
  // clicks, 2 visitors, EPC 61.50 / 2 = 30.75 instead of 61.50).
  const row = report.influencers.find((r) => r.influencer === 'inf-17');
  assert.deepEqual([row.clicks, row.visitors, row.epc], [1, 1, 61.5]);
  assert.equal(conversion.visitor, visitor);
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.console.filter((line) => line.includes('vouch:')), []);
  await context.close();
});

test('under data-consent="required" the shop\'s server sets nothing before consent, and a withdrawal erases its cookies and the decoration', async () => {
  const { context } = await openContext(env.browser, env.server);
  const responses = recordSetCookies(context);
  const shop = await context.newPage();
  const cdp = await context.newCDPSession(shop);
  const names = async () => (await cdp.send('Network.getAllCookies')).cookies.map((c) => c.name).filter((n) => n.startsWith('vouch_')).sort();
  await shop.goto(`${env.shop}/consent.html?ref=SUNNYHIKIN17`);
  await shop.waitForTimeout(1000);
  assert.deepEqual(responses, []);
  assert.deepEqual(await names(), []);

  await shop.evaluate(() => window.vouch('consent', true));
  await waitFor(() => responses.length === 1, 'the first-party call after consent');
  assert.equal(responses[0].status, 204);
  assert.deepEqual(await names(), ['vouch_ref', 'vouch_vid']);
  await waitFor(async () => (await shop.getAttribute('#pay', 'href')).includes('vouch_ref='), 'the decoration');

  // The server-set cookies are not HttpOnly, so the loader can erase them.
  await shop.evaluate(() => window.vouch('consent', false));
  await waitFor(async () => (await names()).length === 0, 'the cookies erased');
  assert.equal(await shop.getAttribute('#pay', 'href'), `${env.checkout}/pay.html`);
  await context.close();
});

test('a mount that drops Set-Cookie (as Shopify\'s app proxy does) or is missing falls back to the script cookie, with one warning', async () => {
  for (const [path, status] of [['dropped', 204], ['nowhere', 404]]) {
    const { context, log } = await openContext(env.browser, env.server);
    const responses = recordSetCookies(context);
    const shop = await context.newPage();
    const cdp = await context.newCDPSession(shop);
    await shop.goto(`${env.shop}/${path === 'dropped' ? 'dropped' : 'unmounted'}.html?ref=SUNNYHIKIN17`);
    await waitFor(() => responses.length === 1, `the call to /apps/${path}/referral`);
    assert.equal(responses[0].status, status);
    assert.deepEqual(responses[0].cookies, []);
    const cookie = await waitFor(async () => (await cdp.send('Network.getAllCookies')).cookies.find((c) => c.name === 'vouch_ref'),
      'the script cookie');
    assert.match(cookie.value, /^SUNNYHIKIN17%7C\d+$/);
    // Written by script: data-window's 30 days (the default), not the server's 45.
    assert.ok(Math.abs(cookie.expires - (Date.now() / 1000 + 30 * 86400)) < 120, `expires ${cookie.expires}`);
    assert.deepEqual(log.console.filter((line) => line.includes('vouch:')),
      [`warning: vouch: /apps/${path}/referral did not set the referral cookie (HTTP ${status}, no cookie); it is written by script`]);
    await context.close();
  }
});
