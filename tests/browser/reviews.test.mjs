// A shopper writes a review, end to end on the demo store: buy → thank-you
// page → its review link → a 4-star review written with the keyboard → pending
// in the dashboard with the engine's verdict → approved → on the product page
// with "Verified buyer". The form opens without moving the page (every layout
// shift counted, the shopper's own included), passes axe, and hostile input
// is refused in words.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, SCREENSHOTS, openContext, shadowText, useDemoStore, waitFor } from './support/harness.mjs';
import { CAMERA, PAYLOAD, exifWithGps, jpegWith, webpChunks } from '../fixtures/images.mjs';

const store = useDemoStore();
const axeSource = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const FORM = '[data-vouch=social-proof]';

async function buy(page, productId) {
  await page.goto(`${store.server.url}/demo/product.html?id=${productId}`);
  await page.click('#add');
  await page.waitForSelector('#status:not(:empty)');
  await page.goto(`${store.server.url}/demo/checkout.html`);
  await page.waitForSelector('#summary-lines .line');
  await Promise.all([page.waitForURL(/thank-you/), page.click('#place')]);
}

async function seriousViolations(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

// Every layout shift of the page, those right after the shopper's input
// included (CLS leaves those out; we do not).
function recordShifts(context) {
  return context.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__shifts.push({ value: entry.value, input: entry.hadRecentInput });
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

// The text of the open form dialog.
const formText = (page) => page.$eval(FORM, (el) => el.shadowRoot.querySelector('dialog[open]')?.textContent ?? '');

const formOpen = (page) => page.waitForFunction((selector) => {
  const root = document.querySelector(selector)?.shadowRoot;
  return root && root.querySelector('dialog[open] form.review');
}, FORM);

// sku-18 (Burr Hand Grinder, seed 1) has 4 published reviews: the rail of 8 shows a fifth.
test('buy, follow the review link, write a 4-star review, approve it in the dashboard: it shows as a verified buyer\'s', async () => {
  const { context } = await openContext(store.browser, store.server);
  await recordShifts(context);
  const page = await context.newPage();
  await buy(page, 'sku-18');
  // The conversion's acknowledgement carries the order's review token, kept first-party.
  const tokens = await waitFor(() => page.evaluate(() => JSON.parse(localStorage.getItem('vouch:review-tokens') || '[]'))
    .then((list) => list.length && list), 'the review token');
  assert.equal(tokens.length, 1);
  assert.deepEqual(tokens[0].products, ['sku-18']);
  assert.match(tokens[0].token, /^[A-Za-z0-9_-]+\.[0-9a-f]{32}$/);

  // The thank-you page's link opens the form on the product page.
  await page.waitForSelector('#review-links a');
  assert.equal(await page.textContent('#review-links a'), 'Review Burr Hand Grinder');
  const requested = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  await Promise.all([page.waitForURL(/product\.html\?id=sku-18#vouch-review$/), page.click('#review-links a')]);
  await formOpen(page);
  assert.ok(requested.includes('/vouch-review-form.js'));
  const opened = await formText(page);
  assert.match(opened, /Write a review/);
  assert.match(opened, /Reviewing Burr Hand Grinder/);
  assert.match(opened, /Verified buyer/);
  assert.deepEqual(await seriousViolations(page), []);
  // Nothing on the page moved while the widget rendered and the form opened.
  assert.deepEqual(await page.evaluate(() => window.__shifts), []);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
    await page.screenshot({ path: join(SCREENSHOTS, `review-form-${width > 600 ? 'desktop' : 'phone'}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  // Resizing the window moves things, rightly: forget those shifts once reported.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 200)))));
  await page.evaluate(() => { window.__shifts = []; });

  // Submitting without a rating or text says what is missing, next to each field.
  await page.click(`${FORM} button[type=submit]`);
  const problems = await formText(page);
  assert.match(problems, /Choose a rating from 1 to 5 stars\./);
  assert.match(problems, /Write a few words about the product\./);
  assert.match(problems, /Add the name to show with your review\./);
  // Focus went to the first fault: the rating group. The keyboard picks 4 stars.
  assert.equal(await page.evaluate((s) => document.querySelector(s).shadowRoot.activeElement.name, FORM), 'rating');
  await page.keyboard.press('Space');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate((s) => document.querySelector(s).shadowRoot.querySelector('input[name=rating]:checked').value, FORM), '4');
  assert.match(await formText(page), /Very good/);
  await page.fill(`${FORM} input[name=title]`, 'Consistent grind, slow but worth it');
  await page.fill(`${FORM} textarea[name=body]`, 'Takes about a minute for a pour-over dose, but the grind is even and the burrs feel solid.');
  await page.fill(`${FORM} input[name=name]`, 'Robin T.');
  // A photo from a phone: a JPEG (drawn by Chromium) carrying EXIF with a GPS
  // position and camera name, and a PHP payload in a comment segment.
  const drawn = Buffer.from(await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 480;
    const g = canvas.getContext('2d');
    g.fillStyle = '#3b6e4f';
    g.fillRect(0, 0, 640, 480);
    g.fillStyle = '#e8d9b5';
    g.fillRect(160, 140, 320, 200);
    return canvas.toDataURL('image/jpeg', 0.9).split(',')[1];
  }), 'base64');
  const photo = jpegWith(drawn, { exif: exifWithGps(), comment: PAYLOAD });
  assert.ok(photo.includes(CAMERA) && photo.includes(PAYLOAD));
  await page.setInputFiles(`${FORM} input[name=photos]`, { name: 'trail.jpg', mimeType: 'image/jpeg', buffer: photo });
  assert.match(await formText(page), /trail\.jpg · \d+ KB/);
  await page.screenshot({ path: join(SCREENSHOTS, 'review-form-filled-desktop.png') });
  const [uploaded, posted] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/v1/reviews/photos')),
    page.waitForResponse((r) => r.url().endsWith('/v1/reviews') && r.request().method() === 'POST'),
    page.click(`${FORM} button[type=submit]`),
  ]);
  assert.equal(uploaded.status(), 201);
  const { photo: photoName } = await uploaded.json();
  assert.equal(posted.status(), 201);
  const sent = JSON.parse(posted.request().postData());
  assert.deepEqual(sent.photos, [photoName]);
  assert.equal(sent.rating, 4);
  assert.equal(sent.token, tokens[0].token);
  assert.equal(sent.locale, 'en');
  const answer = await posted.json();
  assert.equal(answer.verified_buyer, true);
  await waitFor(async () => (await formText(page)).includes('Thank you for your review!'), 'the thank-you note');
  // The token is spent for this product on the device.
  assert.deepEqual((await page.evaluate(() => JSON.parse(localStorage.getItem('vouch:review-tokens'))))[0].products, []);
  // Nor while it was filled in and sent.
  assert.deepEqual(await page.evaluate(() => window.__shifts), []);

  // Pending in the dashboard, with the engine's verdict.
  const item = await waitFor(async () => (await store.server.admin('/v1/admin/moderation')).pending
    .find((u) => u.id === answer.id), 'the review in the moderation queue');
  assert.equal(item.rating, 4);
  assert.equal(item.author.verified_buyer, true);
  assert.equal(item.moderation.spam, false);
  const admin = await context.newPage();
  await admin.goto(`${store.server.url}/admin/#/moderation`);
  await admin.fill('#token', store.server.token);
  await admin.click('#login-form button[type=submit]');
  const row = `#pending li[data-ugc="${answer.id}"]`;
  await admin.waitForSelector(row);
  assert.match(await admin.textContent(row), /Consistent grind, slow but worth it/);
  assert.match(await admin.textContent(`${row} .verdict`), /No spam signals found\./);
  // The submitted photo, as the server re-encoded it, is on the moderation page.
  assert.equal(await admin.$eval(`${row} img`, (img) => new URL(img.src).pathname), `/v1/photos/${photoName}.webp`);
  await admin.click(`${row} button.approve`);
  await admin.waitForSelector(row, { state: 'detached' });

  // On the product page, within the documents' rebuild.
  const shopper = await context.newPage();
  const shown = await waitFor(async () => {
    await shopper.goto(`${store.server.url}/demo/product.html?id=sku-18`);
    await shopper.waitForFunction((s) => document.querySelector(s)?.shadowRoot?.querySelector('.proof'), FORM);
    const text = await shadowText(shopper, FORM);
    return text.includes('Consistent grind, slow but worth it') && text;
  }, 'the approved review on the product page', 30000);
  assert.match(shown, /Robin T\.✓ Verified buyer/);
  // Its photo shows, and what is served has no EXIF (no camera, no position) and no payload.
  const src = await waitFor(() => shopper.$eval(FORM, (el, name) => {
    const img = [...el.shadowRoot.querySelectorAll('img.photo')].find((i) => i.src.includes(name));
    return img && img.complete && img.naturalWidth > 0 && img.src;
  }, photoName), 'the review photo on the product page');
  const served = Buffer.from(await (await fetch(src)).arrayBuffer());
  assert.deepEqual(webpChunks(served).filter((c) => /EXIF|XMP|ICCP/.test(c)), []);
  assert.ok(!served.includes(CAMERA) && !served.includes('Exif') && !served.includes('<?php'));
  await context.close();
});

test('hostile reviews are refused or neutralised; the form says why in words', async () => {
  const { context } = await openContext(store.browser, store.server);
  const page = await context.newPage();
  await page.goto(`${store.server.url}/demo/product.html?id=sku-2#vouch-review`);
  await formOpen(page);
  // No token on this device for sku-2: no verified note.
  assert.doesNotMatch(await formText(page), /Verified buyer/);
  const script = '"><img src=x onerror=alert(1)><script>alert(1)</script>';
  await page.evaluate(() => { window.__alerted = false; window.alert = () => { window.__alerted = true; }; });
  await page.focus(`${FORM} input[name=rating]`);
  await page.keyboard.press('Space');
  await page.fill(`${FORM} input[name=title]`, script);
  await page.fill(`${FORM} textarea[name=body]`, `Fine. ${script}`);
  await page.fill(`${FORM} input[name=name]`, script);
  const [posted] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/v1/reviews')),
    page.click(`${FORM} button[type=submit]`),
  ]);
  assert.equal(posted.status(), 201);   // stored as text, pending
  const { id } = await posted.json();
  const item = await waitFor(async () => (await store.server.admin('/v1/admin/moderation')).pending.find((u) => u.id === id),
    'the hostile review in the queue');
  assert.equal(item.moderation.spam, true);   // script: excluded even if approved
  assert.equal(await page.evaluate(() => window.__alerted), false);

  // A 60 KB body never leaves the form whole (maxlength 5,000), and the server
  // refuses one sent around the form.
  const refused = await page.evaluate(async () => {
    const r = await fetch('/v1/reviews', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'huge-1', product: 'sku-2', rating: 5, body: 'x'.repeat(60 * 1024), author: { name: 'A' } }) });
    return { status: r.status, code: (await r.json()).error.code };
  });
  assert.deepEqual(refused, { status: 413, code: 'review.too_large' });
  await context.close();
});

test('the dashboard lists due review requests with links and an e-mail per language', async () => {
  const { context } = await openContext(store.browser, store.server);
  const page = await context.newPage();
  await buy(page, 'sku-3');
  await waitFor(() => page.evaluate(() => JSON.parse(localStorage.getItem('vouch:review-tokens') || '[]'))
    .then((list) => list.some((t) => t.products.includes('sku-3'))), 'the order reported');
  const admin = await context.newPage();
  await admin.goto(`${store.server.url}/admin/#/requests`);
  await admin.fill('#token', store.server.token);
  await admin.click('#login-form button[type=submit]');
  await admin.waitForSelector('#rr-delay');
  // Ordered seconds ago: due only with no delay.
  await admin.fill('#rr-delay', '0');
  await admin.dispatchEvent('#rr-delay', 'change');
  const order = await (await admin.waitForFunction(() => [...document.querySelectorAll('#requests li[data-order]')]
    .find((li) => li.textContent.includes('id=sku-3#vouch-review='))?.dataset.order)).jsonValue();
  const item = `#requests li[data-order="${order}"]`;
  const link = await admin.textContent(`${item} code.link`);
  assert.match(link, new RegExp(`^${store.server.url.replace(/[.:/]/g, '\\$&')}/demo/product\\.html\\?id=sku-3#vouch-review=[A-Za-z0-9_-]+\\.[0-9a-f]{32}$`));
  assert.match(await admin.textContent(`${item} pre`), /Thank you for your order/);
  await admin.selectOption('#rr-language', 'fr');
  assert.match(await admin.textContent(`${item} pre`), /Merci pour votre commande/);
  await admin.selectOption('#rr-language', 'en');
  await admin.click(`${item} summary`);
  assert.deepEqual(await seriousViolations(admin), []);
  for (const width of [1280, 390]) {
    await admin.setViewportSize({ width, height: width > 600 ? 900 : 844 });
    await admin.screenshot({ path: join(SCREENSHOTS, `dashboard-review-requests-${width > 600 ? 'desktop' : 'phone'}.png`) });
  }
  // The link opens the form on the product page, with the token.
  const shopper = await (await store.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await shopper.goto(link);
  await formOpen(shopper);
  assert.match(await formText(shopper), /Verified buyer/);
  await shopper.context().close();
  await context.close();
});

test('the form works on a page with a strict CSP (no inline script or style, no eval)', async () => {
  const { context, log } = await openContext(store.browser, store.server);
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  await page.goto(`${store.server.url}/fixtures/csp-review.html#vouch-review`);
  await formOpen(page);
  await page.focus(`${FORM} input[name=rating]`);
  await page.keyboard.press('Space');
  await page.fill(`${FORM} textarea[name=body]`, 'Fits well and the fabric breathes on warm days.');
  await page.fill(`${FORM} input[name=name]`, 'Sam');
  const [posted] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/v1/reviews')),
    page.click(`${FORM} button[type=submit]`),
  ]);
  assert.equal(posted.status(), 201);
  await waitFor(async () => (await formText(page)).includes('Thank you for your review!'), 'the thank-you note');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(log.errors, []);
  await context.close();
});
