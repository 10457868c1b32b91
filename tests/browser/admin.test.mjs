// The store owner's dashboard (web/admin/) against a real `vouch serve`
// (VOUCH_SERVE_BIN or VOUCH_BIN) on a free loopback port with a temporary
// database and the demo feed (seed 1): sign-in, performance totals and CSV
// from hand-computed events, the in-browser ranking against `vouch match`,
// moderation reaching the widget, the install page, and a screenshot of each
// page at desktop and phone widths in var/screenshots/.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  ROOT, SCREENSHOTS, cleanup, demoFeed, launch, openContext, shadowText, tempDir, waitFor,
} from './support/harness.mjs';

const BIN = process.env.VOUCH_SERVE_BIN || process.env.VOUCH_BIN || join(ROOT, 'build/release/cli/vouch');
const TOKEN = 'dashboard-test-token-0123456789';
const SECRET = 'dashboard-test-webhook-secret';
const axeSource = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

let dir;
let feedPath;
let server;
let browser;

async function startVouch() {
  const child = spawn(BIN, ['serve', '--port', '0', '--feed', feedPath, '--db', join(dir, 'vouch.db'),
    '--static', join(ROOT, 'web'), '--admin-token', TOKEN, '--webhook-secret', SECRET, '--no-access-log'],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vouch serve did not start: ${out}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`vouch serve exited ${code}`)); });
  });
  child.removeAllListeners('exit');
  return { url, stop: () => new Promise((done) => { child.on('exit', done); child.kill('SIGTERM'); }) };
}

before(async () => {
  for (const script of ['build-web.sh', 'build-admin.sh']) {
    execFileSync('bash', [join(ROOT, 'scripts', script)], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  dir = tempDir();
  feedPath = demoFeed(dir);
  server = await startVouch();
  browser = await launch();
  mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) cleanup(dir);
});

// A page of the dashboard, signed in (the token goes in through the form).
async function signedIn(context, hash = '#/performance') {
  const page = await context.newPage();
  await page.goto(`${server.url}/admin/${hash}`);
  await page.fill('#token', TOKEN);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#nav:not([hidden])');
  return page;
}

async function seriousViolations(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

function sign(body, t) {
  return `t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}`;
}

async function postJson(path, body, headers = {}) {
  const res = await fetch(server.url + path, { method: 'POST', body: JSON.stringify(body),
    headers: Object.assign({ 'content-type': 'application/json' }, headers) });
  return { status: res.status, body: await res.json() };
}

// RFC 4180 as the dashboard writes it (no field of these tests holds a comma).
const parseCsv = (text) => text.trim().split('\r\n').map((line) => line.split(','));

test('the dashboard does not open without the admin token, and a wrong one is refused in words', async () => {
  const { context } = await openContext(browser, server);
  const page = await context.newPage();
  await page.goto(`${server.url}/admin/#/performance`);
  await page.waitForSelector('#login:not([hidden])');
  assert.equal(await page.isHidden('#nav'), true);
  assert.equal(await page.$('#performance-table'), null);

  await page.click('#login-form button[type=submit]');
  assert.equal(await page.textContent('#login-error'), 'Enter the admin token: the dashboard cannot be opened without it.');

  await page.fill('#token', 'not-the-token');
  await page.click('#login-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#login-error').textContent.startsWith('The server refused'));
  assert.match(await page.textContent('#login-error'), /^The server refused this admin token\./);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('vouch-admin-token')), null);
  await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-login-desktop.png') });

  // The API behind it refuses too.
  const res = await fetch(`${server.url}/v1/reports/influencers`);
  assert.equal(res.status, 401);
  assert.equal((await res.json()).error.code, 'auth.missing_token');

  await page.fill('#token', TOKEN);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#performance-table');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('vouch-admin-token')), TOKEN);
  assert.equal(await page.getAttribute('#nav a[data-page=performance]', 'aria-current'), 'page');
  await context.close();
});

test('stored clicks and orders show the hand-computed totals, verified apart from browser-reported, and the CSV carries the same numbers', async () => {
  // Three days ago, 10:00 UTC: inside the default period (last 30 days) and on one UTC day.
  const day = new Date(Date.now() - 3 * 86400000).toISOString().slice(0, 10);
  const at = (hhmm) => `${day}T${hhmm}:00Z`;
  const touch = (id, visitor, influencer) => ({ id, type: 'touch', at: at('10:00'), visitor, influencer, source: 'link', landing: '/demo/' });
  // perf-d's browser reports an order of 40.00 that the store never signs.
  const reported = { id: 'perf-c4', type: 'conversion', at: at('14:00'), visitor: 'perf-d',
    order: { order_id: 'perf-4', value: 40, currency: 'USD', items: [{ product: 'sku-1', qty: 1, price: 40 }] } };
  const stored = await postJson('/v1/events', { events: [
    touch('perf-t1', 'perf-a', 'inf-17'), touch('perf-t2', 'perf-b', 'inf-17'), touch('perf-t3', 'perf-c', 'inf-2'),
    touch('perf-t4', 'perf-d', 'inf-17'), reported] });
  assert.deepEqual(stored.body.accepted, ['perf-t1', 'perf-t2', 'perf-t3', 'perf-t4', 'perf-c4']);
  const order = (orderId, visitor, time, value) => ({ order_id: orderId, visitor, at: at(time), value, currency: 'USD',
    items: [{ product: 'sku-1', qty: 1, price: value }], coupon: null, customer: null });
  let t = Math.floor(Date.now() / 1000);
  for (const o of [order('perf-1', 'perf-a', '11:00', 100), order('perf-2', 'perf-c', '12:00', 50), order('perf-3', 'perf-z', '13:00', 30)]) {
    const body = JSON.stringify(o);
    const res = await fetch(`${server.url}/v1/orders`, { method: 'POST', body,
      headers: { 'content-type': 'application/json', 'x-vouch-signature': sign(body, t++) } });
    assert.equal(res.status, 200, await res.text());
  }
  // Worked example (last click, default 10% commission; rates from the seed-1 feed).
  // The store signs orders, so commission is owed on verified (signed) orders;
  // perf-4, only reported by a browser, is shown apart (4.00 if it counted).
  //   inf-17 @sunnyhikingezra17 (rate 100): clicks 3, visitors 3, verified 1 (perf-1, 100.00),
  //     reported 1 (perf-4, 40.00), conversion 1/3 = 33.3%, EPC 100/3 = 33.33, AOV 100.00,
  //     commission 10.00, ROI (100 − (10 + 100)) / 110 = −0.0909 → −9%.
  //   inf-2 @northyogakenji2 (rate 5700): clicks 1, visitors 1, verified 1 (perf-2, 50.00),
  //     conversion 100.0%, EPC 50.00, AOV 50.00, commission 5.00, ROI (50 − 5705) / 5705 → −99%.
  //   perf-3 has no touch: a store order nobody earns.
  //   Totals: verified store orders 3, revenue 180.00; attributed 2 orders, 150.00;
  //     clicks 4, visitors 4, conversion 2/4 = 50.0%, EPC 150/4 = 37.50,
  //     attributed AOV 150/2 = 75.00, commission 15.00; reported 1 order, 40.00.
  //   Per day (every order received): 4 orders and 220.00 on `day`.
  const { context, log } = await openContext(browser, server, { acceptDownloads: true });
  const page = await signedIn(context);
  await page.waitForSelector('#performance-table tbody tr[data-influencer]');
  const rows = await page.$$eval('#performance-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.influencer,
    ...[...tr.querySelectorAll('td')].map((td) => td.textContent)]));
  assert.deepEqual(rows, [
    ['inf-17', '3', '3', '1', '$100.00', '1', '$40.00', '33.3%', '$33.33', '$100.00', '$10.00', '-9%'],
    ['inf-2', '1', '1', '1', '$50.00', '0', '$0.00', '100.0%', '$50.00', '$50.00', '$5.00', '-99%'],
  ]);
  const totals = await page.$$eval('#performance-table tfoot td', (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(totals.slice(0, 10), ['4', '4', '2', '$150.00', '1', '$40.00', '50.0%', '$37.50', '$75.00', '$15.00']);
  const cards = await page.$$eval('.card', (els) => els.map((el) => el.querySelector('.value').textContent));
  assert.deepEqual(cards.slice(0, 5), ['3', '$180.00', '$150.00', '$15.00', '$40.00']);
  assert.match(await page.textContent('#commission-basis'), /^Commission is owed on verified orders/);
  assert.equal(await page.textContent('#other-basis .label'), 'Reported by browsers only');

  // Sorting by clicks, ascending after a second click.
  await page.click('#performance-table thead th:nth-child(2) button');
  await page.click('#performance-table thead th:nth-child(2) button');
  assert.equal(await page.getAttribute('#performance-table thead th:nth-child(2)', 'aria-sort'), 'ascending');
  assert.deepEqual(await page.$$eval('#performance-table tbody tr', (trs) => trs.map((tr) => tr.dataset.influencer)), ['inf-2', 'inf-17']);

  // The chart is drawn by uPlot; its table twin lists the day.
  await page.waitForSelector('.chart .uplot canvas');
  const perDay = await page.$$eval('#timeseries-table tbody tr', (trs) => trs.map((tr) => tr.textContent));
  assert.deepEqual(perDay, [`${day}4$220.00`]);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const csv = parseCsv(readFileSync(await download.path(), 'utf8'));
  assert.deepEqual(csv, [
    ['influencer', 'handle', 'clicks', 'visitors', 'verified_orders', 'verified_revenue', 'reported_orders',
      'reported_revenue', 'conversion_rate', 'epc', 'aov', 'commission', 'roi', 'commission_basis'],
    ['inf-2', 'northyogakenji2', '1', '1', '1', '50', '0', '0', '1', '50', '50', '5', '-0.991236', 'verified'],
    ['inf-17', 'sunnyhikingezra17', '3', '3', '1', '100', '1', '40', '0.333333', '33.333333', '100', '10', '-0.090909', 'verified'],
    ['TOTAL', '', '4', '4', '2', '150', '1', '40', '0.5', '37.5', '75', '15', csv[3][12], 'verified'],
  ]);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(SCREENSHOTS, `dashboard-performance-${width > 600 ? 'desktop' : 'phone'}.png`), fullPage: true });
  }
  assert.deepEqual(await seriousViolations(page), []);
  assert.deepEqual(log.console.filter((line) => /Content Security Policy/.test(line)), []);
  await context.close();
});

test('a brief ranks the roster in the browser exactly as `vouch match` does natively', async () => {
  const { context, log } = await openContext(browser, server, { acceptDownloads: true });
  const page = await signedIn(context, '#/find');
  const sent = [];
  page.on('request', (request) => { if (request.method() !== 'GET') sent.push(request.url()); });
  await page.waitForSelector('#brief-form');
  await page.check('#niche-hiking');
  await page.check('#niche-camping');
  await page.fill('[aria-label="weight of camping"]', '0.5');
  await page.check('input[name=country][value=US]');
  await page.check('input[name=country][value=CA]');
  await page.fill('#budget', '3000');
  await page.selectOption('#goal', 'conversions');
  await page.fill('#followers-min', '1000');
  await page.fill('#followers-max', '500000');
  await page.fill('#limit', '10');
  await page.click('details.advanced summary');
  await page.fill('#as-of', '2026-11-01T00:00:00Z');
  await page.click('#brief-form button[type=submit]');
  await page.waitForSelector('#ranking li');

  const brief = JSON.parse(await page.textContent('#brief-json'));
  assert.deepEqual(brief, { niches: { hiking: 1, camping: 0.5 }, countries: { US: 1, CA: 1 },
    budget: { amount: 3000, currency: 'USD' }, goal: 'conversions', followers: { min: 1000, max: 500000 }, limit: 10 });
  const briefPath = join(dir, 'brief.json');
  writeFileSync(briefPath, JSON.stringify(brief));
  const native = JSON.parse(execFileSync(BIN, ['match', '--feed', feedPath, '--brief', briefPath, '--now', '2026-11-01T00:00:00Z']));

  const shown = await page.$$eval('#ranking > li', (lis) => lis.map((li) => [li.dataset.influencer, Number(li.dataset.score)]));
  assert.deepEqual(shown, native.ranked.map((r) => [r.influencer, r.score]));
  assert.equal(shown.length, 10);
  const plan = await page.$$eval('#plan .plan-list li', (lis) => lis.map((li) => li.dataset.influencer));
  assert.deepEqual(plan, native.plan.influencers);
  // Who the plan left out and why, as the engine says; no stray "null" (a
  // brief that filters nobody once printed one under the ranking's title).
  const leftOut = await page.$$eval('#plan-left-out li', (lis) => lis.map((li) => [li.dataset.influencer, li.dataset.reason]));
  assert.deepEqual(leftOut, native.plan.left_out.map((l) => [l.influencer, l.reason]));
  assert.ok(native.plan.left_out.length > 0);
  assert.equal(await page.textContent('#plan-unspent'), `$${native.plan.unspent.toFixed(2)} left: ${native.plan.unspent_reason.replace(/^[^:]*: /, '')}.`);
  assert.doesNotMatch(await page.textContent('#results'), /\bnull\b/);
  assert.deepEqual(sent, [], 'the brief and the roster never leave the page');

  // Two side by side, and the shortlist as CSV in ranking order.
  await page.check('#ranking > li:nth-child(1) .compare-box');
  await page.check('#ranking > li:nth-child(2) .compare-box');
  const heads = await page.$$eval('.compare-table thead th', (ths) => ths.map((th) => th.textContent));
  assert.deepEqual(heads, native.ranked.slice(0, 2).map((r) => '@' + r.handle));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-shortlist')]);
  const csv = parseCsv(readFileSync(await download.path(), 'utf8'));
  assert.deepEqual(csv.slice(1).map((row) => [row[1], Number(row[6])]), native.ranked.map((r) => [r.influencer, r.score]));

  // A flagged creator's card says what was discounted and why it is not in
  // the plan: hiking only, any country, reach, 20,000 followers and up puts
  // inf-35 (bought followers in the seed-1 feed) on the first page.
  await page.uncheck('#niche-camping');
  await page.uncheck('input[name=country][value=US]');
  await page.uncheck('input[name=country][value=CA]');
  await page.selectOption('#goal', 'reach');
  await page.fill('#followers-min', '20000');
  await page.click('#brief-form button[type=submit]');
  await page.waitForSelector('#ranking li[data-influencer="inf-35"]');
  const reachBrief = JSON.parse(await page.textContent('#brief-json'));
  writeFileSync(briefPath, JSON.stringify(reachBrief));
  const reach = JSON.parse(execFileSync(BIN, ['match', '--feed', feedPath, '--brief', briefPath, '--now', '2026-11-01T00:00:00Z']));
  const flagged = reach.ranked.find((r) => r.influencer === 'inf-35');
  assert.deepEqual(flagged.flags, ['follower_spike']);
  const card = '#ranking li[data-influencer="inf-35"]';
  assert.deepEqual(await page.$$eval(`${card} .flags .discount`, (lis) => lis.map((li) => li.textContent)),
    flagged.discounts.map((d) => `Discounted — ${d.charAt(0).toUpperCase()}${d.slice(1)}.`));
  assert.match(flagged.discounts[0], /^followers counted as [\d,]+ of 67,459 \(\d+% discounted\): the [\d,]+ the spike added beyond the usual growth are taken as bought$/);
  assert.equal(await page.getAttribute(`${card} .not-planned`, 'data-reason'), 'flagged');
  assert.equal(await page.textContent(`${card} .not-planned`), `Not in the plan: ${reach.plan.left_out.find((l) => l.influencer === 'inf-35').message}`);

  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(SCREENSHOTS, `dashboard-find-${width > 600 ? 'desktop' : 'phone'}.png`), fullPage: true });
  }
  assert.deepEqual(await seriousViolations(page), []);
  // The dashboard's strict CSP (docs/server.md) let everything on the page work.
  assert.deepEqual(log.console.filter((line) => /Content Security Policy/.test(line)), []);
  await context.close();
});

// r-528 is the only pending review of sku-18 (Beans & Burr Hand Grinder … in
// the seed-1 feed): "Not for me" by Chloe V., one star, 4 published reviews beside it.
test('approving a pending review makes it appear in the widget on its product page, and the decision is logged', async () => {
  const shopper = await openContext(browser, server);
  const product = await shopper.context.newPage();
  await product.goto(`${server.url}/demo/product.html?id=sku-18`);
  await waitFor(async () => (await shadowText(product, '[data-vouch=social-proof]')).includes('Love it!'), 'the reviews of sku-18');
  assert.doesNotMatch(await shadowText(product, '[data-vouch=social-proof]'), /Chloe V\./);
  await shopper.context.close();

  const { context } = await openContext(browser, server);
  const page = await signedIn(context, '#/moderation');
  const item = '#pending li[data-ugc="r-528"]';
  await page.waitForSelector(item);
  assert.match(await page.textContent(item), /Leaks a little around the lid\./);
  assert.match(await page.textContent(`${item} .verdict`), /No spam signals found\./);
  // r-579 (seed 1) is spam: capitals +2, "buy now" +1, "best price" +1, a link +1 = 5 points, limit 3.
  const spam = await page.$$eval('#pending li[data-ugc="r-579"] .verdict li', (lis) => lis.map((li) => li.textContent));
  assert.deepEqual(spam, [
    'written mostly in capital letters (+2)',
    'the promotional phrase "buy now" (+1, at most 3 in all)',
    'the promotional phrase "best price" (+1, at most 3 in all)',
    'a link (+1)',
    'contact details are masked before shoppers see it (1 link, 0 e-mail addresses, 0 phone numbers)',
    'excluded as spam even if approved: 5 points, the limit is 3',
  ]);
  assert.match(await page.textContent('#pending li[data-ugc="r-579"] .verdict strong'), /^Spam: will stay hidden even if approved\.$/);
  assert.match(await page.textContent('#pending li[data-ugc="r-579"] .ugc-body'), /\[link removed\]/);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
    await page.screenshot({ path: join(SCREENSHOTS, `dashboard-moderation-${width > 600 ? 'desktop' : 'phone'}.png`), fullPage: false });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  const before = Date.now();
  await page.click(`${item} button.approve`);
  await page.waitForSelector(item, { state: 'detached' });
  const logged = await page.$$eval('#decision-log tbody tr', (trs) => trs.map((tr) => [tr.dataset.ugc,
    tr.querySelector('time').getAttribute('datetime'), tr.cells[2].textContent]));
  assert.equal(logged.length, 1);
  assert.equal(logged[0][0], 'r-528');
  assert.equal(logged[0][2], 'Approved');
  assert.ok(Math.abs(Date.parse(logged[0][1]) - before) < 60000, `decided_at ${logged[0][1]} is now`);
  assert.deepEqual(await seriousViolations(page), []);
  await context.close();

  const later = await openContext(browser, server);
  const again = await later.context.newPage();
  await again.goto(`${server.url}/demo/product.html?id=sku-18`);
  await again.$eval('[data-vouch=social-proof]', (el) => el.scrollIntoView());
  const text = await waitFor(async () => {
    const shown = await shadowText(again, '[data-vouch=social-proof]');
    return shown.includes('Chloe V.') && shown;
  }, 'the approved review in the widget');
  assert.match(text, /Leaks a little around the lid\./);
  // The impression reaches the server (the install check counts it).
  await waitFor(() => later.acceptedOfType('impression').length > 0, 'an impression stored');
  await later.context.close();
});

test('the install page gives this server\'s snippet, shows the webhook secret once and sees the widget live', async () => {
  const { context } = await openContext(browser, server);
  const page = await signedIn(context, '#/install');
  await page.waitForSelector('#check-result');
  const snippet = await page.textContent('#snippet');
  assert.ok(snippet.includes(`<script src="${server.url}/vouch.js" data-endpoint="${server.url}/v1/events" async></script>`), snippet);
  assert.match(await page.textContent('#placements'), /<div data-vouch="social-proof" data-product="sku-1"><\/div>/);
  assert.match(await page.textContent('#webhook-example'), new RegExp(`${server.url.replace(/[.:/]/g, '\\$&')}/v1/orders`));
  assert.match(await page.textContent('#check-result'), new RegExp(`^The widget is live\\. Seen on \\d+ pages? of ${server.url.replace(/[.:/]/g, '\\$&')} in the last 24 hours\\.$`));
  assert.match(await page.textContent('#live-check table'), /\/demo\/product\.html/);

  await page.click('#reveal-secret');
  await page.waitForSelector('#secret-value');
  assert.equal(await page.inputValue('#secret-value'), SECRET);
  await page.reload();
  await page.waitForSelector('#check-result');
  assert.match(await page.textContent('#webhook-secret'), /already shown/);
  assert.equal(await page.$('#reveal-secret'), null);
  const second = await postJson('/v1/admin/install/webhook-secret', {}, { authorization: `Bearer ${TOKEN}` });
  assert.equal(second.status, 410);
  assert.equal(second.body.error.code, 'install.secret_already_shown');
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(SCREENSHOTS, `dashboard-install-${width > 600 ? 'desktop' : 'phone'}.png`), fullPage: true });
  }
  assert.deepEqual(await seriousViolations(page), []);
  await context.close();
});
