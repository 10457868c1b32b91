// vouch-widget.js: imported by the loader when the page has placements or a
// conversion. Opens the engine and the feed once, renders each placement into
// its own shadow root and computes conversions. A failure empties the
// placement it concerns and leaves the page alone.
import { h } from '../render/dom.js';
import { createFormat } from '../render/format.js';
import { styleSheet } from '../render/styles.js';
import { renderBadge } from './badge.js';
import { customerHash, normaliseOrder, resolveTouches } from './conversion.js';
import { createCatalog, openEngine } from './engine-client.js';
import { injectJsonLd, productJsonLd } from './jsonld.js';
import { renderPicks } from './picks.js';
import { renderSocialProof } from './social-proof.js';
import { validReferralCode } from '../storage.js';

const PLACEMENTS = {
  'social-proof': (ctx, root, el) => renderSocialProof(ctx, root, el.dataset.product),
  'influencer-picks': (ctx, root) => renderPicks(ctx, root),
  'rating-badge': (ctx, root, el) => renderBadge(ctx, root, el.dataset.product),
};

let hidden = null;
function hiddenSheet() {
  if (!hidden) {
    hidden = new CSSStyleSheet();
    hidden.replaceSync(':host{display:none !important}');
  }
  return hidden;
}

export function start(api) {
  const { config } = api;
  const format = createFormat(config.locale);
  const ready = openEngine(config).then((engine) => {
    const catalog = createCatalog(engine.feed);
    const votes = new Set(api.read('votes', []));
    return {
      engine, catalog, format, api, votes,
      language: format.locale.split('-')[0],
      currency: (engine.feed.store && engine.feed.store.currency) || 'USD',
      via: currentCreator(api, catalog),
      vote(id) {
        votes.add(id);
        api.write('votes', [...votes].slice(-200));
      },
    };
  });
  let openFailure = null;   // reported once here, not once per placement
  ready.catch((error) => {
    openFailure = error;
    api.warn('engine', 'social proof is unavailable: ' + describe(error));
  });

  const mounted = new WeakSet();
  function scan() {
    for (const el of document.querySelectorAll('[data-vouch]')) {
      if (mounted.has(el)) continue;
      mounted.add(el);
      mount(el);
    }
  }

  function mount(el) {
    const kind = el.dataset.vouch;
    const render = PLACEMENTS[kind];
    if (!render) return api.warn('kind:' + kind, `unknown placement data-vouch="${kind}"`);
    let shadow;
    try {
      shadow = el.attachShadow({ mode: 'open' });
    } catch (_) {
      return api.warn('shadow', 'a placement element cannot hold a shadow root (use a div or span)');
    }
    shadow.adoptedStyleSheets = [styleSheet()];
    const root = h('div', { class: 'root ' + config.theme });
    shadow.appendChild(root);
    ready.then(async (ctx) => {
      const shown = await render(ctx, root, el);
      if (kind === 'social-proof' && config.jsonLd) injectJsonLd(productJsonLd(shown.product, shown.summary, shown.items));
      if (kind !== 'rating-badge') observeImpression(el, kind, el.dataset.product, shown.shown || []);
    }).catch((error) => {
      root.replaceChildren();
      shadow.adoptedStyleSheets = [styleSheet(), hiddenSheet()];
      if (error !== openFailure) api.warn('render:' + kind + (error.message || ''), `${kind} left empty: ${error && error.message}`);
    });
  }

  function observeImpression(el, placement, product, items) {
    if (typeof IntersectionObserver !== 'function') return;
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      const fields = { placement, items: items.slice(0, 50) };
      if (product) fields.product = product;
      api.emit('impression', fields);
    }, { threshold: 0.4 });
    observer.observe(el);
  }

  async function convert(order, stored) {
    const visitor = api.visitorId();
    const normal = normaliseOrder(order, visitor);
    normal.customer = await customerHash(order.customer ?? order.email).catch(() => null);
    const ctx = await ready.catch(() => null);
    const touches = resolveTouches(stored, visitor, ctx && ctx.catalog);
    const fields = { order: normal, touches };
    if (ctx) {
      try {
        const [result] = await ctx.engine.attribute(touches, [normal], { window_days: config.windowDays });
        if (result) {
          fields.credits = result.credits;
          fields.flags = result.flags;
        }
      } catch (error) {
        api.warn('attribute', 'attribution failed; the server will decide: ' + (error && error.message));
      }
    }
    return fields;
  }

  return { scan, convert };
}

// The creator the shopper came through: this page's ?ref=/?via=, else the
// latest stored touch. Used to put that creator's picks and posts first.
function currentCreator(api, catalog) {
  const params = new URLSearchParams(location.search);
  const here = validReferralCode(params.get('ref') ?? params.get('via') ?? '');
  const stored = api.touches();
  const code = here || (stored.length ? stored[stored.length - 1].code : null);
  const influencer = code ? catalog.resolve(code) : null;
  return influencer ? influencer.id : undefined;
}

// An engine error names its code and the JSON Pointer of the fault, so a store
// owner can find it in the feed: "feed.invalid_url at /products/0/url: …".
function describe(error) {
  if (!error) return 'unknown error';
  if (!error.code) return error.message;
  const more = Array.isArray(error.errors) && error.errors.length > 1 ? ` (and ${error.errors.length - 1} more)` : '';
  return `${error.code} at ${error.path || '/'}: ${error.message}${more}`;
}
