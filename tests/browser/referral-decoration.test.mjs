// Outbound decoration (data-domains): a test per case of Dub's
// outbound-domains.spec.ts (dubinc/analytics, apps/nextjs/tests), written
// afresh for our loader, then the three holes Dub leaves (forms, the apex of
// a wildcard, links added after load within one animation frame), the
// receiving page, consent, and what is downloaded when.
//
// The shop is http://shop.example and its checkout https://checkout.example:
// both are served by Playwright's router (pages from this file; vouch.js,
// vouch-decorate.js and /v1/events from the real vouch serve).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cleanup, demoFeed, launch, openContext, startServer, tempDir, waitFor } from './support/harness.mjs';

const SHOP = 'http://shop.example';
const CHECKOUT = 'https://checkout.example';
const env = {};

before(async () => {
  env.dir = tempDir();
  env.server = await startServer(demoFeed(env.dir), env.dir, ['--allow-origin', SHOP, '--allow-origin', CHECKOUT]);
  env.browser = await launch();
});

after(async () => {
  await env.browser?.close();
  await env.server?.close();
  if (env.dir) cleanup(env.dir);
});

const DOMAINS = 'checkout.example, partner.example, pay.shop-payments.example, *.wild.example, shop.example';

// A shop page: the loader with `attributes`, then `body`.
const shopPage = (attributes, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Trail &amp; Co</title><script src="/vouch.js" ${attributes} async></script></head>
<body><h1>Trail &amp; Co</h1>${body}</body></html>`;

const OUTBOUND = shopPage(`data-domains="${DOMAINS}"`, `
<a id="checkout" href="https://checkout.example/cart">Checkout</a>
<a id="partner" href="https://partner.example/?foo=bar&amp;q=a%20b#top">Partner</a>
<a id="unrelated" href="https://elsewhere.example/">Elsewhere</a>
<iframe id="embed" src="https://checkout.example/embed"></iframe>
<iframe id="embed-www" src="https://www.checkout.example/embed"></iframe>
<iframe id="booking" srcdoc='<h2>Booking</h2><iframe id="inner" src="https://checkout.example/booking-widget"></iframe><a id="inner-link" href="https://partner.example/calendar">Calendar</a><iframe id="deeper" srcdoc="&lt;a id=deepest href=https://api.wild.example/slot&gt;Slot&lt;/a&gt;"></iframe>'></iframe>
<a id="same-host" href="http://shop.example/about">About</a>
<a id="same-host-www" href="https://www.shop.example/about">About (www)</a>
<a id="relative" href="/contact">Contact</a>
<div id="container"></div>
<a id="www" href="https://www.checkout.example/">Checkout (www)</a>
<a id="sub" href="https://pay.shop-payments.example/">Payments</a>
<a id="other-sub" href="https://other.shop-payments.example/">Other payments subdomain</a>
<a id="www-sub" href="https://www.pay.shop-payments.example/">Payments (www)</a>
<a id="wild-api" href="https://api.wild.example/">Wild API</a>
<a id="wild-admin" href="https://admin.wild.example/">Wild admin</a>
<a id="wild-nested" href="https://deep.nested.wild.example/">Wild nested</a>
<a id="wild-www" href="https://www.api.wild.example/">Wild API (www)</a>
<a id="wild-apex" href="https://wild.example/">Wild apex</a>
<a id="wild-apex-www" href="https://www.wild.example/">Wild apex (www)</a>
<a id="not-wild" href="https://notwild.example/">Not wild</a>
<a id="kept" href="https://checkout.example/?vouch_ref=SOMEONE%7C1">Someone else's parameter</a>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" usemap="#m" alt="Map" width="10" height="10">
<map name="m"><area id="area" href="https://checkout.example/area" shape="rect" coords="0,0,10,10" alt="Area"></map>
<form id="get-form" action="https://checkout.example/search" method="get"><input name="q" value="boots"><button>Search</button></form>
<form id="post-form" action="https://checkout.example/pay?step=2" method="post"><input name="card" value="4242"><button>Pay</button></form>
<form id="other-form" action="https://elsewhere.example/f" method="get"><input name="q" value="x"></form>
<form id="own-input" action="https://checkout.example/x" method="get"><input type="hidden" name="vouch_ref" value="OWN|5"></form>`);

const PAGES = {
  '/outbound.html': OUTBOUND,
  '/apex.html': shopPage('data-domains="wild.example, *.wild.example"', `
<a id="wild-apex" href="https://wild.example/">Wild apex</a><a id="wild-apex-www" href="https://www.wild.example/">Wild apex (www)</a>
<a id="wild-api" href="https://api.wild.example/">Wild API</a>`),
  '/plain.html': shopPage('', '<a id="checkout" href="https://checkout.example/cart">Checkout</a>'),
  '/consent.html': shopPage(`data-consent="required" data-domains="${DOMAINS}"`, `
<a id="checkout" href="https://checkout.example/cart?x=1">Checkout</a>
<form id="get-form" action="https://checkout.example/search" method="get"><input name="q" value="boots"></form>
<form id="post-form" action="https://checkout.example/pay?step=2" method="post"><input name="card" value="4242"></form>`),
};
const RECEIVING = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pay</title>
<script src="/vouch.js" async></script></head><body><h1 id="top">Pay</h1></body></html>`;

// Routes both sites; `requests` records every URL the browser asked of them.
// The checkout site's pages carry the loader; its embeds are blank.
async function shopContext(options) {
  const opened = await openContext(env.browser, env.server, options);
  const requests = [];
  await opened.context.route(/^(http:\/\/shop|https:\/\/checkout)\.example\//, async (route) => {
    const request = route.request();
    const { origin, pathname } = new URL(request.url());
    requests.push({ url: request.url(), method: request.method(), body: request.postData() });
    try {
      if (/^\/(vouch\.js|vouch-decorate\.js|v1\/events)$/.test(pathname)) {
        return await route.fulfill({ response: await route.fetch({ url: env.server.url + pathname }) });
      }
      const html = origin === SHOP ? PAGES[pathname] : /^\/(pay|search)/.test(pathname) ? RECEIVING : '<!doctype html><title>Embed</title>';
      await (html ? route.fulfill({ contentType: 'text/html; charset=utf-8', body: html })
        : route.fulfill({ status: 404, body: 'not here' }));
    } catch (_) { /* the test closed its context meanwhile */ }
  });
  return Object.assign(opened, { requests });
}

// "CODE|SECONDS|VISITOR" of the page's latest stored touch, URL-encoded as in a decorated URL.
const carried = (page) => page.evaluate(() => {
  const touch = JSON.parse(localStorage.getItem('vouch:touches')).pop();
  const visitor = JSON.parse(localStorage.getItem('vouch:visitor'));
  return encodeURIComponent(`${touch.code}|${Date.parse(touch.at) / 1000}|${visitor}`);
});
const attr = (page, selector, name) => page.getAttribute(selector, name);

// The outbound page after a ?ref= landing, once the decoration is in.
async function landed(context, path = '/outbound.html', code = 'SUNNYHIKIN17') {
  const page = await context.newPage();
  await page.goto(`${SHOP}${path}?ref=${code}`);
  await waitFor(async () => (await attr(page, path === '/apex.html' ? '#wild-api' : '#checkout', 'href')).includes('vouch_ref='),
    'the decoration');
  return { page, value: await carried(page) };
}

// check({page, value, context, requests}) on the outbound page after a ?ref=
// landing, in a context of its own, closed whatever happens.
async function afterLanding(check) {
  const opened = await shopContext();
  try {
    await check(Object.assign(await landed(opened.context), opened));
  } finally {
    await opened.context.close();
  }
}

// Dub's cases.

test('a configured domain is decorated, its other parameters and fragment kept byte for byte', async () => {
  await afterLanding(async ({ page, value }) => {
    assert.match(value, /^SUNNYHIKIN17%7C\d{10}%7Cv-[0-9a-f]{24}$/);
    assert.equal(await attr(page, '#checkout', 'href'), `https://checkout.example/cart?vouch_ref=${value}`);
    assert.equal(await attr(page, '#partner', 'href'), `https://partner.example/?foo=bar&q=a%20b&vouch_ref=${value}#top`);
    assert.equal(await attr(page, '#area', 'href'), `https://checkout.example/area?vouch_ref=${value}`);
  });
});

test('a domain that is not listed is left alone', async () => {
  await afterLanding(async ({ page }) => {
    assert.equal(await attr(page, '#unrelated', 'href'), 'https://elsewhere.example/');
    assert.equal(await attr(page, '#other-form', 'action'), 'https://elsewhere.example/f');
    assert.equal(await page.$$eval('#other-form input', (inputs) => inputs.length), 1);
  });
});

test('iframes are decorated, with or without www.', async () => {
  await afterLanding(async ({ page, value }) => {
    assert.equal(await attr(page, '#embed', 'src'), `https://checkout.example/embed?vouch_ref=${value}`);
    assert.equal(await attr(page, '#embed-www', 'src'), `https://www.checkout.example/embed?vouch_ref=${value}`);
  });
});

test('iframes and links inside srcdoc iframes are decorated, however deep', async () => {
  await afterLanding(async ({ page, value }) => {
    const inner = () => page.evaluate(() => {
      const booking = document.querySelector('#booking').contentDocument;
      const deeper = booking.querySelector('#deeper').contentDocument;
      return [booking.querySelector('#inner').getAttribute('src'), booking.querySelector('#inner-link').getAttribute('href'),
        deeper.querySelector('#deepest')?.getAttribute('href')];
    });
    await waitFor(async () => (await inner()).every((url) => url?.includes('vouch_ref=')), 'the nested decoration');
    assert.deepEqual(await inner(), [`https://checkout.example/booking-widget?vouch_ref=${value}`,
      `https://partner.example/calendar?vouch_ref=${value}`, `https://api.wild.example/slot?vouch_ref=${value}`]);
  });
});

test('a link to the page\'s own host is left alone, even when the host is listed', async () => {
  await afterLanding(async ({ page }) => {
    assert.equal(await attr(page, '#same-host', 'href'), 'http://shop.example/about');
    assert.equal(await attr(page, '#same-host-www', 'href'), 'https://www.shop.example/about');
    assert.equal(await attr(page, '#relative', 'href'), '/contact');
  });
});

test('after an SPA navigation, a link the new view adds is decorated before the next frame', async () => {
  await afterLanding(async ({ page, value }) => {
    const href = await page.evaluate(() => {
      history.pushState({}, '', '/new-page');
      const link = document.createElement('a');
      link.href = 'https://checkout.example/';
      link.textContent = 'Checkout from the new view';
      document.querySelector('#container').replaceChildren(link);
      return new Promise((done) => requestAnimationFrame(() => done(link.getAttribute('href'))));
    });
    assert.equal(href, `https://checkout.example/?vouch_ref=${value}`);
  });
});

test('www. is the same site: a listed host matches with and without it', async () => {
  await afterLanding(async ({ page, value }) => {
    assert.equal(await attr(page, '#www', 'href'), `https://www.checkout.example/?vouch_ref=${value}`);
    assert.equal(await attr(page, '#checkout', 'href'), `https://checkout.example/cart?vouch_ref=${value}`);
  });
});

test('a listed subdomain matches (with www. too); a sibling subdomain does not', async () => {
  await afterLanding(async ({ page, value }) => {
    assert.equal(await attr(page, '#sub', 'href'), `https://pay.shop-payments.example/?vouch_ref=${value}`);
    assert.equal(await attr(page, '#www-sub', 'href'), `https://www.pay.shop-payments.example/?vouch_ref=${value}`);
    assert.equal(await attr(page, '#other-sub', 'href'), 'https://other.shop-payments.example/');
  });
});

test('*.wild.example matches every host under it, at any depth and with www.', async () => {
  await afterLanding(async ({ page, value }) => {
    for (const [id, host] of [['wild-api', 'api'], ['wild-admin', 'admin'], ['wild-nested', 'deep.nested'], ['wild-www', 'www.api']])
      assert.equal(await attr(page, `#${id}`, 'href'), `https://${host}.wild.example/?vouch_ref=${value}`, id);
  });
});

test('*.wild.example does not match notwild.example', async () => {
  await afterLanding(async ({ page }) => {
    assert.equal(await attr(page, '#not-wild', 'href'), 'https://notwild.example/');
  });
});

// The holes Dub leaves.

test('a GET form gets a hidden input and a POST form its action\'s query, and both carry the referral when sent', async () => {
  await afterLanding(async ({ page, value, context, requests }) => {
    const decoded = decodeURIComponent(value);
    assert.equal(await attr(page, '#get-form', 'action'), 'https://checkout.example/search');
    assert.deepEqual(await page.$$eval('#get-form input[type=hidden]', (inputs) => inputs.map((i) => [i.name, i.value])),
      [['vouch_ref', decoded]]);
    assert.equal(await attr(page, '#post-form', 'action'), `https://checkout.example/pay?step=2&vouch_ref=${value}`);
    // A form that has its own vouch_ref keeps it, alone.
    assert.deepEqual(await page.$$eval('#own-input input', (inputs) => inputs.map((i) => i.value)), ['OWN|5']);

    // What the checkout site is asked for (its own loader then tidies its address bar).
    await Promise.all([page.waitForURL(/search/), page.click('#get-form button')]);
    const get = requests.find((r) => r.url.startsWith('https://checkout.example/search'));
    assert.equal(get.url, `https://checkout.example/search?q=boots&vouch_ref=${value}`);
    const { page: second } = await landed(context);
    await Promise.all([second.waitForURL(/pay/), second.click('#post-form button')]);
    const post = requests.find((r) => r.method === 'POST' && r.url.startsWith('https://checkout.example/pay'));
    assert.equal(post.url, `https://checkout.example/pay?step=2&vouch_ref=${value}`);
    assert.equal(post.body, 'card=4242');
  });
});

test('the apex of a wildcard is decorated only when it is listed itself', async () => {
  await afterLanding(async ({ page, context }) => {
    assert.equal(await attr(page, '#wild-apex', 'href'), 'https://wild.example/');
    assert.equal(await attr(page, '#wild-apex-www', 'href'), 'https://www.wild.example/');
    const { page: listed, value } = await landed(context, '/apex.html');
    assert.equal(await attr(listed, '#wild-apex', 'href'), `https://wild.example/?vouch_ref=${value}`);
    assert.equal(await attr(listed, '#wild-apex-www', 'href'), `https://www.wild.example/?vouch_ref=${value}`);
    assert.equal(await attr(listed, '#wild-api', 'href'), `https://api.wild.example/?vouch_ref=${value}`);
  });
});

test('links, forms and frames added or changed after load are decorated within one animation frame', async () => {
  await afterLanding(async ({ page, value }) => {
    const seen = await page.evaluate(() => {
      const container = document.querySelector('#container');
      container.insertAdjacentHTML('beforeend', '<a id="late" href="https://checkout.example/late">Late</a>' +
        '<form id="late-form" action="https://partner.example/join" method="post"></form>');
      document.querySelector('#unrelated').setAttribute('href', 'https://checkout.example/changed');
      const booking = document.querySelector('#booking').contentDocument;
      booking.body.insertAdjacentHTML('beforeend', '<a id="late-inner" href="https://partner.example/late">Late inner</a>');
      // Read in the next frame's callback, before it is drawn: no poll, no timer.
      return new Promise((done) => requestAnimationFrame(() => done([
        document.querySelector('#late').getAttribute('href'),
        document.querySelector('#late-form').getAttribute('action'),
        document.querySelector('#unrelated').getAttribute('href'),
        booking.querySelector('#late-inner').getAttribute('href'),
      ])));
    });
    assert.deepEqual(seen, [`https://checkout.example/late?vouch_ref=${value}`, `https://partner.example/join?vouch_ref=${value}`,
      `https://checkout.example/changed?vouch_ref=${value}`, `https://partner.example/late?vouch_ref=${value}`]);
  });
});

// Beyond Dub's cases.

test('a vouch_ref the page already has is never overwritten', async () => {
  await afterLanding(async ({ page }) => {
    assert.equal(await attr(page, '#kept', 'href'), 'https://checkout.example/?vouch_ref=SOMEONE%7C1');
  });
});

test('a referral captured in another tab is the one the open pages carry from then on', async () => {
  await afterLanding(async ({ page, value: first, context }) => {
    const { value: second } = await landed(context, '/outbound.html', 'TESS10');
    assert.match(second, /^TESS10%7C/);
    await waitFor(async () => (await attr(page, '#checkout', 'href')).includes('TESS10'), 'the re-decoration');
    assert.equal(await attr(page, '#checkout', 'href'), `https://checkout.example/cart?vouch_ref=${second}`);
    assert.equal(await attr(page, '#post-form', 'action'), `https://checkout.example/pay?step=2&vouch_ref=${second}`);
    assert.equal(await page.$eval('#get-form input[name=vouch_ref]', (input) => input.value), decodeURIComponent(second));
    assert.notEqual(first, second);
  });
});

test('the receiving page stores the carried touch with its code and time and takes the parameter out of the URL', async () => {
  const { context, log } = await shopContext();
  const page = await context.newPage();
  const at = Math.floor(Date.now() / 1000) - 3600;   // the shopper landed on the shop an hour ago
  await page.goto(`${CHECKOUT}/pay.html?x=1&vouch_ref=SUNNYHIKIN17%7C${at}&y=a%20b&z#top`);
  await waitFor(async () => !(await page.evaluate(() => location.search)).includes('vouch_ref'), 'the parameter gone');
  assert.equal(page.url(), `${CHECKOUT}/pay.html?x=1&y=a%20b&z#top`);
  const touches = await page.evaluate(() => JSON.parse(localStorage.getItem('vouch:touches')));
  assert.deepEqual(touches, [{ code: 'SUNNYHIKIN17', at: new Date(at * 1000).toISOString().replace('.000', ''),
    source: 'link', landing: '/pay.html' }]);
  // Back, forward and reload go to the clean address; the touch is not taken twice.
  await page.reload();
  assert.equal((await page.evaluate(() => JSON.parse(localStorage.getItem('vouch:touches')))).length, 1);

  // Junk and a referral older than the window are refused, and removed all the same.
  const old = Math.floor(Date.now() / 1000) - 31 * 86400;
  for (const bad of ['%3Cscript%3E%7C1', `SUNNYHIKIN17%7C${old}`, 'TESS10%7Cnot-a-time', '%E0%A4%A']) {
    await page.goto(`${CHECKOUT}/pay.html?vouch_ref=${bad}&keep=1`);
    await waitFor(async () => (await page.evaluate(() => location.search)) === '?keep=1', `${bad} removed`);
  }
  assert.equal((await page.evaluate(() => JSON.parse(localStorage.getItem('vouch:touches')))).length, 1);
  assert.ok(log.console.includes('warning: vouch: ignored an invalid or expired vouch_ref in the URL'), log.console.join('\n'));
  assert.equal(log.sent.filter((e) => e.type === 'touch').length, 0, 'a carried touch is not a new click');
  await context.close();
});

test('the receiving site takes the carried visitor when it has none of its own, and keeps its own otherwise', async () => {
  const { context } = await shopContext();
  const page = await context.newPage();
  const at = Math.floor(Date.now() / 1000) - 3600;
  const visitorThere = () => page.evaluate(() => JSON.parse(localStorage.getItem('vouch:visitor')));
  const clicker = 'v-0123456789abcdef01234567';
  await page.goto(`${CHECKOUT}/pay.html?vouch_ref=SUNNYHIKIN17%7C${at}%7C${clicker}`);
  await waitFor(async () => (await visitorThere()) !== null, 'the visitor stored');
  assert.equal(await visitorThere(), clicker);
  // Another shopper's link later (a link passed on): this site's visitor stays.
  await page.goto(`${CHECKOUT}/pay.html?vouch_ref=TESS10%7C${at + 60}%7Cv-${'f'.repeat(24)}`);
  await waitFor(async () => (await page.evaluate(() => localStorage.getItem('vouch:touches'))).includes('TESS10'), 'the second touch');
  assert.equal(await visitorThere(), clicker);
  await context.close();

  // A value that is not a visitor id is not taken: the site makes its own.
  const fresh = await shopContext();
  const other = await fresh.context.newPage();
  await other.goto(`${CHECKOUT}/pay.html?vouch_ref=SUNNYHIKIN17%7C${at}%7Cv-XYZ%3Cb%3E`);
  const made = await waitFor(() => other.evaluate(() => JSON.parse(localStorage.getItem('vouch:visitor'))), 'a visitor');
  assert.match(made, /^v-[0-9a-f]{24}$/);
  await fresh.context.close();
});

test('with data-consent="required" nothing is decorated until consent, and a withdrawal takes every decoration back', async () => {
  const { context, requests } = await shopContext();
  const page = await context.newPage();
  await page.goto(`${SHOP}/consent.html?ref=SUNNYHIKIN17`);
  await page.waitForTimeout(1000);
  const original = async () => [await attr(page, '#checkout', 'href'), await attr(page, '#post-form', 'action'),
    await page.$$eval('#get-form input', (inputs) => inputs.length)];
  assert.deepEqual(await original(), ['https://checkout.example/cart?x=1', 'https://checkout.example/pay?step=2', 1]);
  assert.ok(!requests.some((r) => r.url.endsWith('/vouch-decorate.js')), 'not even downloaded before consent');

  await page.evaluate(() => window.vouch('consent', true));
  await waitFor(async () => (await attr(page, '#checkout', 'href')).includes('vouch_ref='), 'the decoration after consent');
  const value = await carried(page);
  assert.deepEqual(await original(), [`https://checkout.example/cart?x=1&vouch_ref=${value}`,
    `https://checkout.example/pay?step=2&vouch_ref=${value}`, 2]);

  await page.evaluate(() => window.vouch('consent', false));
  await waitFor(async () => !(await attr(page, '#checkout', 'href')).includes('vouch_ref='), 'the withdrawal');
  assert.deepEqual(await original(), ['https://checkout.example/cart?x=1', 'https://checkout.example/pay?step=2', 1]);
  // And nothing comes back with a link added afterwards.
  const late = await page.evaluate(() => {
    document.body.insertAdjacentHTML('beforeend', '<a id="late" href="https://checkout.example/late">Late</a>');
    return new Promise((done) => requestAnimationFrame(() => done(document.querySelector('#late').getAttribute('href'))));
  });
  assert.equal(late, 'https://checkout.example/late');
  await context.close();
});

test('the decoration is downloaded only where the tag has data-domains and there is a referral to carry', async () => {
  const { context, requests } = await shopContext();
  const page = await context.newPage();
  const decorations = () => requests.filter((r) => r.url.endsWith('/vouch-decorate.js')).length;
  await page.goto(`${SHOP}/plain.html?ref=SUNNYHIKIN17`);   // a referral, but no data-domains
  await page.waitForTimeout(500);
  assert.equal(decorations(), 0);
  await page.goto(`${SHOP}/outbound.html`);                 // data-domains, and the referral stored above
  await waitFor(async () => (await attr(page, '#checkout', 'href')).includes('vouch_ref='), 'the decoration');
  assert.equal(decorations(), 1);
  const clean = await shopContext();
  const fresh = await clean.context.newPage();
  await fresh.goto(`${SHOP}/outbound.html`);
  await fresh.waitForTimeout(1000);
  assert.equal(clean.requests.filter((r) => r.url.endsWith('/vouch-decorate.js')).length, 0);
  assert.equal(await attr(fresh, '#checkout', 'href'), 'https://checkout.example/cart');
  await clean.context.close();
  await context.close();
});
