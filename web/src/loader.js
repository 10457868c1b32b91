// vouch.js, the loader a store owner adds with one async script tag. It stays
// tiny: it reads its data-* configuration, runs the vouch(...) command queue,
// captures ?ref= / ?via= referrals, keeps the event outbox, and imports the
// widget only when the page has a placement or a conversion.
// It never throws into the page and logs at most one line per problem.
import { createOutbox } from './outbox.js';
import {
  clearLocal, nowRfc3339, randomId, readCookie, readLocal, validReferralCode, writeCookie, writeLocal,
} from './storage.js';

(function () {
  const previous = window.vouch;
  if (previous && previous.loaded) return;   // the tag is on the page twice

  const said = new Set();
  function warn(key, message) {
    if (said.has(key)) return;
    said.add(key);
    try { console.warn('vouch: ' + message); } catch (_) { /* no console */ }
  }

  function guard(fn) {
    return function () {
      try { return fn.apply(this, arguments); } catch (error) { warn('bug:' + error, 'internal error: ' + error); }
    };
  }

  // --- configuration from the script tag's own data-* attributes ----------
  const script = document.currentScript ||
      document.querySelector('script[data-vouch-loader],script[src*="vouch.js"]');
  const data = (script && script.dataset) || {};
  const base = script && script.src ? script.src : location.href;
  const url = (value, fallback) => new URL(value || fallback, base).href;
  const days = Math.min(365, Math.max(1, parseInt(data.window, 10) || 30));
  const documents = url(data.documents, '/v1/');
  const config = {
    documents,   // the public documents: store.json, products/NAME.json, badges/NAME.json
    pages: data.pages === 'off' ? null : url(data.pages, documents),   // vouch serve's pages past the first
    endpoint: url(data.endpoint, '/v1/events'),
    widget: url(data.widget, 'vouch-widget.js'),
    engine: url(data.engine, 'storefront-engine.js'),
    windowDays: days,
    theme: /^(light|dark)$/.test(data.theme) ? data.theme : 'auto',
    locale: data.locale || document.documentElement.lang || navigator.language || 'en-US',
    jsonLd: data.jsonld !== 'off',
    worker: data.worker !== 'off',   // off: the engine runs on the page (no Worker, no blob:)
  };

  // --- privacy: consent mode and Global Privacy Control -------------------
  const gpc = navigator.globalPrivacyControl === true;
  let consent = data.consent === 'required' ? null : true;   // null: not asked yet
  const tracking = () => consent === true && !gpc;
  const waiting = [];                                          // work held until consent

  function whenTracking(work) {
    if (tracking()) work();
    else if (consent === null && !gpc) waiting.push(work);
  }

  // --- visitor, referral touches, outbox ----------------------------------
  // An order's review token (from its conversion) is kept for the product
  // pages' review form: the review then counts as a verified buyer's.
  const outbox = createOutbox(config.endpoint, warn, tracking,
      (tokens) => writeLocal('review-tokens', readLocal('review-tokens', []).concat(tokens).slice(-20)));
  let visitor = null;

  function visitorId() {
    if (!visitor) {
      visitor = readLocal('visitor', null) || readCookie('vouch_vid') || randomId('v-');
      if (!/^v-[0-9a-f]{24}$/.test(visitor)) visitor = randomId('v-');
      writeLocal('visitor', visitor);
      writeCookie('vouch_vid', visitor, 365 * 86400);
    }
    return visitor;
  }

  function emit(type, fields, soon) {
    whenTracking(() => {
      outbox.add(Object.assign({ id: randomId('e-'), type, at: nowRfc3339(), visitor: visitorId() }, fields), soon);
    });
  }

  // Stored touches inside the attribution window, oldest first. The cookie
  // carries the latest one across subdomains (shop -> checkout).
  function touches() {
    const oldest = Date.now() - days * 86400000;
    const list = readLocal('touches', []).filter((t) => Date.parse(t.at) >= oldest);
    const cookie = readCookie('vouch_ref');
    if (cookie) {
      const [code, seconds] = cookie.split('|');
      const at = nowRfc3339(Number(seconds) * 1000);
      if (validReferralCode(code) && Date.parse(at) >= oldest && !list.some((t) => t.code === code && t.at === at)) {
        list.push({ code, at, source: 'link', landing: '/' });
      }
    }
    return list.sort((a, b) => Date.parse(a.at) - Date.parse(b.at)).slice(-20);
  }

  function captureReferral() {
    const params = new URLSearchParams(location.search);
    const raw = params.get('ref') ?? params.get('via');
    if (raw == null) return;
    const code = validReferralCode(raw);
    if (!code) return warn('ref', 'ignored an invalid referral code in the URL');
    const touch = { code, at: nowRfc3339(), source: 'link', landing: location.pathname };
    whenTracking(() => {
      const list = touches();
      const last = list[list.length - 1];
      // A reload of the landing page is not a second click.
      if (last && last.code === code && last.landing === touch.landing &&
          Date.parse(touch.at) - Date.parse(last.at) < 30 * 60000) return;
      list.push(touch);
      writeLocal('touches', list.slice(-20));
      writeCookie('vouch_ref', code + '|' + Math.floor(Date.parse(touch.at) / 1000), days * 86400);
      emit('touch', { code, source: 'link', landing: touch.landing }, true);
    });
  }

  // --- the widget, imported on demand --------------------------------------
  let widget = null;
  function loadWidget() {
    if (!widget) {
      // Storage for the widget follows the same rule as everything else: only with consent.
      const api = { config, emit, touches, visitorId, warn, tracking, read: readLocal,
        write: (key, value) => tracking() && writeLocal(key, value) };
      widget = import(config.widget).then((module) => module.start(api));
      widget.catch(() => warn('widget', 'could not load ' + config.widget));
    }
    return widget;
  }

  function scan() {
    if (document.querySelector('[data-vouch]')) loadWidget().then((w) => w.scan(), () => {});
  }

  // Placement space is reserved before anything loads (no layout shift). The
  // store owner's stylesheet should carry the same rules (docs/widget.md); this
  // is the safety net. Constructed sheets are allowed under a strict CSP.
  function reserveSpace() {
    if (!document.adoptedStyleSheets || typeof CSSStyleSheet !== 'function') return;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(
        '[data-vouch=social-proof]{display:block;min-height:var(--vouch-social-proof-height,600px)}' +
        '[data-vouch=influencer-picks]{display:block;min-height:var(--vouch-picks-height,470px)}' +
        '[data-vouch=rating-badge]{display:inline-block;width:9em;height:1.5em;vertical-align:middle;contain:strict}' +
        '@media (max-width:600px){[data-vouch=social-proof]{min-height:var(--vouch-social-proof-height-narrow,780px)}}');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }

  // --- commands -------------------------------------------------------------
  function conversion(order) {
    const orderId = order && String(order.orderId ?? order.order_id ?? '');
    if (!orderId || orderId.length > 64 || !(Number(order.value) >= 0) || !/^[A-Z]{3}$/.test(order.currency || '')) {
      return warn('conversion', 'vouch("conversion", ...) needs orderId (<= 64 chars), value >= 0 and a currency like "USD"');
    }
    whenTracking(() => {
      const seen = readLocal('orders', []);
      if (seen.includes(orderId)) return;             // thank-you page reloaded
      writeLocal('orders', seen.concat(orderId).slice(-50));
      const at = nowRfc3339();
      const stored = touches();
      loadWidget()
          .then((w) => w.convert(Object.assign({}, order, { orderId, at }), stored))
          .catch(() => ({ order: { order_id: orderId, value: Number(order.value), currency: order.currency,
                                   items: [], coupon: null, customer: null }, touches: stored }))
          .then((fields) => emit('conversion', fields, true));
    });
  }

  const commands = {
    consent(granted) {
      if (gpc) return;
      consent = granted === true;
      if (consent) {
        outbox.start();
        waiting.splice(0).forEach((work) => work());
      } else {
        // Withdrawn: stop sending at once and erase what was kept.
        waiting.length = 0;
        outbox.clear();
        clearLocal();
        for (const name of ['vouch_ref', 'vouch_vid']) if (readCookie(name) !== null) writeCookie(name, '', 0);
        visitor = null;
      }
    },
    conversion,
    refresh: scan,
    track(type, fields) {
      if (type === 'click' || type === 'impression') emit(type, Object.assign({}, fields));
    },
  };

  const run = guard(function (args) {
    const name = args[0];
    if (typeof commands[name] !== 'function') return warn('cmd:' + name, `unknown command "${name}"`);
    commands[name].apply(null, Array.prototype.slice.call(args, 1));
  });

  const queued = (previous && previous.q) || [];
  const vouch = function () { run(arguments); };
  vouch.loaded = true;
  vouch.q = { push: (args) => run(args) };
  window.vouch = vouch;

  guard(function () {
    if (data.feed) warn('feed', 'data-feed is no longer read: the widget loads the public documents under data-documents (default /v1/)');
    reserveSpace();
    if (tracking()) outbox.start();
    captureReferral();
    queued.forEach((args) => run(args));
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', guard(scan));
    else scan();
  })();
})();
