// vouch.js, the loader a store owner adds with one async script tag. It stays
// tiny: it reads its data-* configuration, runs the vouch(...) command queue,
// captures ?ref= / ?via= referrals (and ?vouch_ref= carried from the shop's
// other sites), keeps the event outbox, and imports the widget only when the
// page has a placement or a conversion, and the outbound decoration only when
// the tag has data-domains and there is a referral to carry.
// It never throws into the page and logs at most one line per problem.
import { createOutbox } from './outbox.js';
import {
  clearLocal, nowRfc3339, randomId, readCookie, readLocal, registrableDomain, validReferralCode, validSourceTag,
  writeCookie,
  writeLocal,
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
  // The shop's own mount of vouch serve's /v1/first-party/ (docs/widget.md):
  // a path on the page's origin, so its cookies are the site's own.
  let firstParty = null;
  try {
    firstParty = data.firstParty && new URL(data.firstParty.replace(/\/*$/, '/referral'), location.href);
  } catch (_) { /* refused below */ }
  if (data.firstParty && (!firstParty || firstParty.origin !== location.origin)) {
    firstParty = null;
    warn('first-party', 'data-first-party must be a path on this page\'s own origin, such as /apps/vouch');
  }

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
  let carriedVisitor = null;   // the visitor a carried touch was clicked by (receiveCarried)

  // The cookie first: a server-set one outlives script storage in Safari,
  // and it is shared with the shop's other subdomains. A script write would
  // cap a server-set cookie again, so an unchanged one is left alone. A site
  // with no visitor of its own takes the one a carried touch came with.
  function visitorId() {
    if (!visitor) {
      visitor = readCookie('vouch_vid') || readLocal('visitor', null) || carriedVisitor || randomId('v-');
      if (!/^v-[0-9a-f]{24}$/.test(visitor)) visitor = randomId('v-');
      writeLocal('visitor', visitor);
      if (readCookie('vouch_vid') !== visitor) writeCookie('vouch_vid', visitor, 365 * 86400);
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

  // The touch kept in storage and in the vouch_ref cookie: set by the shop's
  // own server through data-first-party, else (or when that path sets no
  // cookie, as behind a proxy that drops Set-Cookie) by script.
  function remember(touch) {
    const list = touches();
    list.push(touch);
    writeLocal('touches', list.slice(-20));
    const seconds = Math.floor(Date.parse(touch.at) / 1000);
    const value = touch.code + '|' + seconds;
    const byScript = () => writeCookie('vouch_ref', value, days * 86400);
    if (!firstParty) return byScript();
    const query = new URLSearchParams({ code: touch.code, at: seconds, visitor: visitorId(), domain: registrableDomain() });
    fetch(firstParty + '?' + query, { method: 'POST', credentials: 'same-origin', keepalive: true })
        .then((response) => {
          if (!tracking()) return eraseCookies();   // consent withdrawn while it was on its way
          if (readCookie('vouch_ref') !== value) throw new Error('HTTP ' + response.status + ', no cookie');
        })
        .catch((error) => {
          warn('first-party', `${firstParty.pathname} did not set the referral cookie (${error.message}); it is written by script`);
          if (tracking()) byScript();
        });
  }

  // ?vouch_ref=CODE|SECONDS|VISITOR: a touch carried by a decorated link from
  // another of the shop's sites: kept with its own code and time (not a new
  // click, so no touch event), and taken out of the address bar, every other
  // parameter kept as it was. Its visitor becomes this site's when this site
  // has none yet, so the order's copy of the touch is the same click of the
  // same visitor (the engine counts it once) and not a second shopper's.
  function receiveCarried(search) {
    const parts = search.slice(1).split('&');
    const ours = (part) => part.split('=')[0] === 'vouch_ref';
    const carried = parts.find(ours);
    if (!carried) return;
    const rest = parts.filter((part) => !ours(part)).join('&');
    try {
      history.replaceState(history.state, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
    } catch (_) { /* a sandboxed document */ }
    let [code, seconds, from] = ['', '', ''];
    try {
      [code, seconds, from] = decodeURIComponent(carried.slice(10)).split('|');
    } catch (_) { /* malformed escapes: refused below */ }
    code = validReferralCode(code);
    const at = /^\d{1,12}$/.test(seconds) ? seconds * 1000 : NaN;
    if (!code || !(at <= Date.now() + 300000 && at > Date.now() - days * 86400000)) {
      return warn('vouch_ref', 'ignored an invalid or expired vouch_ref in the URL');
    }
    carriedVisitor = from || null;   // checked by visitorId()
    const touch = { code, at: nowRfc3339(at), source: 'link', landing: location.pathname };
    whenTracking(() => touches().some((t) => t.code === code && t.at === touch.at) || remember(touch));
  }

  function captureReferral() {
    const search = location.search;
    receiveCarried(search);
    const params = new URLSearchParams(search);
    const raw = params.get('ref') ?? params.get('via');
    if (raw == null) return;
    const code = validReferralCode(raw);
    if (!code) return warn('ref', 'ignored an invalid referral code in the URL');
    const touch = { code, at: nowRfc3339(), source: 'link', landing: location.pathname };
    const src = validSourceTag(params.get('src'));   // the creator's own tag for where they shared the link
    if (src) touch.src = src;
    whenTracking(() => {
      const last = touches().pop();
      // A reload of the landing page is not a second click.
      if (last && last.code === code && last.landing === touch.landing &&
          Date.parse(touch.at) - Date.parse(last.at) < 30 * 60000) return;
      remember(touch);
      // The touch's own time, also when consent came later: a conversion's
      // copy of this touch is then the same click.
      emit('touch', { code, source: 'link', landing: touch.landing, at: touch.at, ...(src && { src }) }, true);
    });
  }

  function eraseCookies() {
    for (const name of ['vouch_ref', 'vouch_vid']) if (readCookie(name) !== null) writeCookie(name, '', 0);
  }

  // --- outbound decoration (data-domains), imported on demand ---------------
  let decorator = null;
  function decorate() {
    const last = tracking() && touches().pop();
    const value = last ? last.code + '|' + Math.floor(Date.parse(last.at) / 1000) + '|' + visitorId() : null;
    if (!data.domains || (!decorator && !value)) return;
    if (!decorator) {
      decorator = import(url(data.decorate, 'vouch-decorate.js'))
          .then((module) => module.startDecorating(data.domains, location.hostname));
      decorator.catch(() => warn('decorate', 'could not load the outbound decoration'));
    }
    decorator.then((d) => d.set(tracking() ? value : null), () => {});
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
        decorate();
      } else {
        // Withdrawn: stop sending at once and erase what was kept.
        waiting.length = 0;
        outbox.clear();
        clearLocal();
        eraseCookies();
        visitor = null;
        decorate();   // takes back every decoration
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
    decorate();
    // A referral captured in another tab is the one to carry from now on.
    addEventListener('storage', guard((event) => event.key === 'vouch:touches' && decorate()));
    queued.forEach((args) => run(args));
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', guard(scan));
    else scan();
  })();
})();
