// The Vouch web pixel (Shopify's strict sandbox: a web worker with the Web
// Pixels API). On checkout_completed it sends the order to the Vouch server
// as a conversion event, the same as vouch('conversion', ...) on a plain
// shop's thank-you page: order id, subtotal, currency, lines with SKUs, the
// discount code, and the visitor id and referral touches the storefront
// loader kept first-party (cookies vouch_vid / vouch_ref, localStorage
// vouch:visitor / vouch:touches; the cart attribute _vouch_vid as a last
// resort). Nothing is read or sent without the shopper's permission for
// analytics and marketing (init.customerPrivacy, then every
// visitorConsentCollected).
import { register } from '@shopify/web-pixels-extension';

const VISITOR = /^v-[0-9a-f]{24}$/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_TOUCH_AGE_MS = 365 * 86400000;   // the server applies the real window

// "gid://shopify/Order/5764435689580" or "5764435689580" -> "5764435689580":
// the Shopify order id, which is also the Vouch order id of the order
// webhook, so the verified order replaces this report of it.
export function numericId(raw) {
  const match = /(\d+)$/.exec(String(raw ?? ''));
  return match ? match[1] : null;
}

function rfc3339(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseJson(text, fallback) {
  try { return text == null || text === '' ? fallback : JSON.parse(text); } catch (_) { return fallback; }
}

// The loader's touches, and the one its vouch_ref cookie carries across
// subdomains ("CODE|unix seconds"), oldest first, at most 20.
export function storedTouches(touchesJson, refCookie, now) {
  const list = (Array.isArray(parseJson(touchesJson, [])) ? parseJson(touchesJson, []) : [])
    .filter((t) => t && CODE.test(t.code) && now - Date.parse(t.at) <= MAX_TOUCH_AGE_MS)
    .map((t) => ({ code: t.code, at: rfc3339(Date.parse(t.at)), source: t.source === 'coupon' ? 'coupon' : 'link',
      landing: typeof t.landing === 'string' ? t.landing.slice(0, 200) : null }));
  const [code, seconds] = String(refCookie || '').split('|');
  if (CODE.test(code || '') && /^\d+$/.test(seconds || '')) {
    const at = rfc3339(Number(seconds) * 1000);
    if (now - Date.parse(at) <= MAX_TOUCH_AGE_MS && !list.some((t) => t.code === code && t.at === at)) {
      list.push({ code, at, source: 'link', landing: null });
    }
  }
  return list.sort((a, b) => Date.parse(a.at) - Date.parse(b.at)).slice(-20);
}

const attribute = (checkout, key) => ((checkout.attributes || []).find((a) => a && a.key === key) || {}).value;

// The conversion event for a checkout_completed event, or null when it has
// no order id. `stored` is what the loader kept: {visitor, touches}.
export function conversionEvent(event, stored) {
  const checkout = (event.data && event.data.checkout) || {};
  const orderId = numericId(checkout.order && checkout.order.id);
  if (!orderId) return null;
  const money = checkout.subtotalPrice || checkout.totalPrice || {};
  const code = (checkout.discountApplications || []).find((d) => d && d.type === 'DISCOUNT_CODE');
  const items = (checkout.lineItems || []).slice(0, 100).map((line) => {
    const variant = line.variant || {};
    return {
      product: variant.sku || numericId(variant.product && variant.product.id) || '',
      qty: Math.max(1, Math.round(Number(line.quantity) || 1)),
      price: Number((variant.price && variant.price.amount) || 0),
    };
  }).filter((item) => item.product);
  const visitor = stored.visitor;
  return {
    id: 'e-shopify-' + orderId,   // a second checkout_completed of the order is the same event
    type: 'conversion',
    at: rfc3339(Date.parse(event.timestamp) || Date.now()),
    visitor,
    order: {
      order_id: orderId,
      value: Number(money.amount || 0),
      currency: money.currencyCode || checkout.currencyCode,
      items,
      coupon: code && CODE.test(code.title) ? code.title : null,
      customer: null,   // the order webhook carries the hashed e-mail
    },
    touches: stored.touches.map((t) => Object.assign({ visitor, influencer: null }, t)),
  };
}

function randomVisitor() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return 'v-' + Array.from(bytes, (b) => (b + 256).toString(16).slice(1)).join('');
}

async function loaderState(browser, checkout, now) {
  const [vid, ref, visitorJson, touchesJson] = await Promise.all([
    browser.cookie.get('vouch_vid'), browser.cookie.get('vouch_ref'),
    browser.localStorage.getItem('vouch:visitor'), browser.localStorage.getItem('vouch:touches'),
  ]);
  const candidates = [vid, parseJson(visitorJson, null), attribute(checkout, '_vouch_vid')];
  const visitor = candidates.find((v) => typeof v === 'string' && VISITOR.test(v)) || randomVisitor();
  return { visitor, touches: storedTouches(touchesJson, ref, now) };
}

register(({ analytics, browser, init, settings, customerPrivacy }) => {
  let privacy = init.customerPrivacy || {};
  customerPrivacy.subscribe('visitorConsentCollected', (event) => { privacy = event.customerPrivacy || {}; });
  const allowed = () => privacy.analyticsProcessingAllowed === true && privacy.marketingAllowed === true;
  const server = String(settings.serverUrl || '').trim().replace(/\/+$/, '');

  analytics.subscribe('checkout_completed', async (event) => {
    if (!allowed() || !/^https?:\/\//.test(server)) return;
    try {
      const checkout = (event.data && event.data.checkout) || {};
      const conversion = conversionEvent(event, await loaderState(browser, checkout, Date.now()));
      if (!conversion) return;
      // text/plain keeps it a simple request (no CORS preflight), as the loader's beacons.
      await fetch(server + '/v1/events', {
        method: 'POST', keepalive: true, headers: { 'Content-Type': 'text/plain' },
        body: JSON.stringify({ events: [conversion] }),
      });
    } catch (_) { /* offline, blocked: the order webhook still reports the order */ }
  });
});
