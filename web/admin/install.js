// Install: the exact snippet for this store (this server's URLs), placement
// examples, the order webhook with its HMAC secret (shown once per
// database, POST /v1/admin/install/webhook-secret) and a live check of where
// the widget has reported impressions from (GET /v1/admin/install).
import { api, feed } from './api.js';
import { announce, errorBox, h } from './dom.js';
import { ago, dateTime, integer } from './format.js';

const RECENT_HOURS = 24;

function codeBlock(id, text, label) {
  const pre = h('pre', { id, tabindex: '0', 'aria-label': label }, h('code', {}, text));
  const button = h('button', { type: 'button', class: 'secondary copy', onclick: async () => {
    try { await navigator.clipboard.writeText(text); button.textContent = 'Copied'; announce('Copied'); }
    catch (_) { button.textContent = 'Select the text and copy it'; }
    setTimeout(() => { button.textContent = 'Copy'; }, 2000);
  } }, 'Copy');
  return h('div', { class: 'code-block' }, pre, button);
}

export async function render(container) {
  const origin = location.origin;
  const served = (await feed()).json;
  const product = (served.products || [])[0] || { id: 'sku-1', price: 129, currency: 'USD' };
  const currency = (served.store && served.store.currency) || 'USD';

  const snippet = `<script>window.vouch=window.vouch||function(){(vouch.q=vouch.q||[]).push(arguments)}</script>
<script src="${origin}/vouch.js" data-endpoint="${origin}/v1/events" async></script>`;
  const placements = `<!-- product page: reviews, photos and creator endorsements -->
<div data-vouch="social-proof" data-product="${product.id}"></div>

<!-- next to the price, or in product grids -->
<span data-vouch="rating-badge" data-product="${product.id}"></span>

<!-- home or collection page: creator picks -->
<div data-vouch="influencer-picks"></div>`;
  const conversion = `<!-- order confirmation page -->
<script>
  vouch('conversion', { orderId: '1001', value: ${product.price}, currency: '${currency}',
                        items: [{ product: '${product.id}', qty: 1, price: ${product.price} }],
                        coupon: null, email: 'buyer@example.com' }); // e-mail is hashed in the browser
</script>`;
  const webhook = `// Node.js: call from your backend when an order is paid
import { createHmac } from 'node:crypto';
const body = JSON.stringify({ order_id: '1001', value: ${product.price}, currency: '${currency}',
  items: [{ product: '${product.id}', qty: 1, price: ${product.price} }], coupon: null });
const t = Math.floor(Date.now() / 1000);
const v1 = createHmac('sha256', process.env.VOUCH_WEBHOOK_SECRET).update(\`\${t}.\${body}\`).digest('hex');
await fetch('${origin}/v1/orders', { method: 'POST', body,
  headers: { 'content-type': 'application/json', 'x-vouch-signature': \`t=\${t},v1=\${v1}\` } });`;

  const check = h('section', { id: 'live-check', class: 'panel', 'aria-labelledby': 'check-title' },
    h('h2', { id: 'check-title' }, 'Live check'), h('p', { class: 'loading' }, 'Looking for recent impressions…'));
  const secretArea = h('div', { id: 'webhook-secret' });

  container.append(
    h('p', { class: 'lede' }, 'Three steps: the script on every page, the placements where shoppers should see content, and the order webhook from your backend.'),
    check,
    h('section', { class: 'panel', 'aria-labelledby': 'step-1' },
      h('h2', { id: 'step-1' }, '1. Add the script to every page'),
      h('p', {}, 'In the ', h('code', {}, '<head>'), ' of your theme. It is small, loads asynchronously and never blocks the page.'),
      codeBlock('snippet', snippet, 'Script snippet'),
      h('p', { class: 'hint' }, 'If your shop is on another address than this server, start the server with ',
        h('code', {}, '--allow-origin https://your-shop.example'), ' so browsers may send events here.')),
    h('section', { class: 'panel', 'aria-labelledby': 'step-2' },
      h('h2', { id: 'step-2' }, '2. Place the widget'),
      codeBlock('placements', placements, 'Placement examples'),
      h('p', {}, 'Replace ', h('code', {}, product.id), ' with the product id of each page (the ids of your feed). On the order confirmation page, report the order:'),
      codeBlock('conversion', conversion, 'Conversion call')),
    h('section', { class: 'panel', 'aria-labelledby': 'step-3' },
      h('h2', { id: 'step-3' }, '3. Send orders from your backend (recommended)'),
      h('p', {}, 'Orders reported by your server are authoritative: they replace what the browser reported and cannot be faked by shoppers. POST each paid order to ',
        h('code', {}, `${origin}/v1/orders`), ' with the header ', h('code', {}, 'X-Vouch-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">'), '.'),
      codeBlock('webhook-example', webhook, 'Webhook example'),
      secretArea));

  drawSecret(secretArea, null);
  try {
    const status = await api('/v1/admin/install');
    drawCheck(check, status);
    drawSecret(secretArea, status.webhook_secret_revealed);
  } catch (e) {
    check.replaceChildren(h('h2', { id: 'check-title' }, 'Live check'), errorBox(e, 'check the installation'));
  }
}

function drawCheck(check, status) {
  const now = Date.parse(status.now);
  const recent = status.sightings.filter((s) => now - Date.parse(s.last_seen) <= RECENT_HOURS * 3600 * 1000);
  const origins = [...new Set(recent.map((s) => s.origin))];
  const head = recent.length
    ? h('p', { class: 'notice ok', id: 'check-result' }, h('strong', {}, 'The widget is live. '),
      `Seen on ${integer(recent.length)} page${recent.length === 1 ? '' : 's'} of ${origins.join(', ')} in the last ${RECENT_HOURS} hours.`)
    : h('p', { class: 'notice warn', id: 'check-result' }, h('strong', {}, 'Not seen recently. '),
      status.sightings.length
        ? `No impressions in the last ${RECENT_HOURS} hours; the last one was ${ago(status.sightings[0].last_seen, now)}. Check that the script is still on your pages.`
        : 'No page has shown the widget yet. Add the script and a placement (steps 1 and 2), open a product page of your shop, scroll to the widget, then reload this page.');
  const rows = status.sightings.slice(0, 20).map((s) => h('tr', {},
    h('td', {}, s.origin + s.path), h('td', { class: 'num' }, integer(s.impressions)),
    h('td', {}, h('time', { datetime: s.last_seen, title: dateTime(s.last_seen) }, ago(s.last_seen, now)))));
  check.replaceChildren(h('h2', { id: 'check-title' }, 'Live check'), head,
    rows.length ? h('div', { class: 'table-wrap', tabindex: '0' }, h('table', { class: 'data compact' },
      h('caption', {}, 'Pages that showed the widget in the last 7 days'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Page'), h('th', { scope: 'col', class: 'num' }, 'Impressions'), h('th', { scope: 'col' }, 'Last seen'))),
      h('tbody', {}, rows))) : null,
    h('button', { type: 'button', class: 'secondary', onclick: async () => {
      try { drawCheck(check, await api('/v1/admin/install')); announce('Checked again'); }
      catch (e) { check.append(errorBox(e, 'check again')); }
    } }, 'Check again'));
}

function drawSecret(area, revealed) {
  if (revealed === null) { area.replaceChildren(); return; }
  if (revealed) {
    area.replaceChildren(h('p', { class: 'notice' }, h('strong', {}, 'Webhook secret: already shown. '),
      'For safety it is shown only once. If it is lost, set your own with ',
      h('code', {}, '--webhook-secret'), ' or ', h('code', {}, 'VOUCH_WEBHOOK_SECRET'), '.'));
    return;
  }
  const button = h('button', { type: 'button', id: 'reveal-secret' }, 'Show the webhook secret (once)');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const { webhook_secret: secret } = await api('/v1/admin/install/webhook-secret', { method: 'POST', body: {} });
      const input = h('input', { id: 'secret-value', type: 'text', readonly: true, value: secret, spellcheck: 'false', 'aria-describedby': 'secret-note' });
      area.replaceChildren(h('label', { for: 'secret-value' }, 'Webhook secret'), input,
        h('p', { class: 'notice warn', id: 'secret-note' }, 'Copy it into your backend’s configuration (as VOUCH_WEBHOOK_SECRET) now: this page will not show it again until the server restarts.'));
      input.focus();
      input.select();
    } catch (e) {
      if (e.code === 'install.secret_already_shown') drawSecret(area, true);
      else { area.append(errorBox(e, 'show the secret')); button.disabled = false; }
    }
  });
  area.replaceChildren(h('p', {}, 'The secret signs each request. It is shown only once; keep it in your backend only.'), button);
}
