// vouch-widget.js: imported by the loader when the page has placements or a
// conversion. Fetches what each placement needs and no more (a product's
// document and the engine for social proof, a badge's summary, store.json for
// the picks), renders each placement into its own shadow root, and sends
// conversions as the order and its touches (the server attributes them). A
// failure empties the placement it concerns and leaves the page alone.
import { h } from '../../shared/dom.js';
import { RAIL_SIZE, REVIEW_TOKEN } from '../../shared/rules.js';
import { createFormat } from '../../shared/format.js';
import { styleSheet } from '../render/styles.js';
import { renderBadge } from './badge.js';
import { customerHash, normaliseOrder, resolveTouches } from './conversion.js';
import { createCatalog, createDocuments, parseDocument } from './documents.js';
import { createEngineHost } from './engine-host.js';
import { injectJsonLd, productJsonLd } from './jsonld.js';
import { MAX_PICKS, renderPicks } from './picks.js';
import { renderSocialProof } from './social-proof.js';
import { validReferralCode } from '../storage.js';

// data-limit (the Shopify blocks' "most items shown"): fewer cards, never more than the default.
const limitOf = (el, most) => Math.min(most, Math.max(1, parseInt(el.dataset.limit, 10) || most));

const PLACEMENTS = {
  'social-proof': (ctx, root, el) => renderSocialProof(ctx, root, el.dataset.product, limitOf(el, RAIL_SIZE)),
  'influencer-picks': (ctx, root, el) => renderPicks(ctx, root, limitOf(el, MAX_PICKS)),
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
  const documents = createDocuments(config);
  const engine = createEngineHost(config);
  const catalogs = new Map();   // document key -> {catalog, now}
  const votes = new Set(api.read('votes', []));
  const ctx = Object.assign(reviewTokens(api), {
    config, format, api, votes, documents,
    language: format.locale.split('-')[0],
    vote(id) {
      votes.add(id);
      api.write('votes', [...votes].slice(-200));
    },
    /**
     * A product's document (`reviews`: its See-all document) loaded into the
     * page's engine, with a catalog of what it names. Queries run as of the
     * document's as_of, the instant its first pages are exact for
     * (docs/social-proof.md). release() when no more queries will come: the
     * engine then frees the document (it is fetched once per page).
     */
    async forProduct(id, reviews = false) {
      const key = reviews ? id + '\n' : id;
      const bytes = await (reviews ? documents.reviews(id) : documents.product(id));
      const held = await engine.use(key, bytes);
      if (!catalogs.has(key)) {
        const doc = parseDocument(bytes);
        catalogs.set(key, { catalog: createCatalog(doc), now: doc.document && doc.document.as_of });
      }
      const { catalog, now } = catalogs.get(key);
      return {
        catalog,
        engine: { socialProof: (query) => held.socialProof(Object.assign({ now, moderation_lists: false }, query)) },
        via: currentCreator(api, catalog),
        release: held.release,
      };
    },
    /** store.json with a catalog of its creators, and the referring creator when it names them. */
    async store() {
      const store = await documents.store();
      const catalog = createCatalog(store);
      return { store, catalog, via: currentCreator(api, catalog) };
    },
  });

  const mounted = new WeakSet();
  function scan() {
    for (const el of document.querySelectorAll('[data-vouch]')) {
      if (mounted.has(el)) continue;
      mounted.add(el);
      mount(ctx, el);
    }
  }

  // The order and the touches stored on this device (their codes as they
  // came in ?ref=): the server's attribution resolves and credits them. The
  // order page loads no engine and no document.
  async function convert(order, stored) {
    const visitor = api.visitorId();
    const normal = normaliseOrder(order, visitor);
    normal.customer = await customerHash(order.customer ?? order.email).catch(() => null);
    return { order: normal, touches: resolveTouches(stored, visitor) };
  }

  return { scan, convert };
}

// A review link: #vouch-review, or #vouch-review=TOKEN with a token in the
// core's format (REVIEW_TOKEN: at most 171 + 1 + 32 = 204 characters).
export const REVIEW_LINK = new RegExp(`[#&]vouch-review(?:=(${REVIEW_TOKEN.source.slice(1, -1)}))?(?:&|$)`);

// The review tokens of this device's orders (kept first-party with the
// conversion) and of a review link opened here.
function reviewTokens(api) {
  let linkTokens = [];   // a review link's token, kept in memory when storage is not allowed
  const tokens = {
    /**
     * Whether this page is a review link: #vouch-review (the form opens with
     * the device's token for the product, if any) or #vouch-review=TOKEN (an
     * e-mailed link: its token is kept for the product).
     */
    reviewLink(product) {
      const match = REVIEW_LINK.exec(location.hash);
      if (!match) return false;
      if (match[1] && !tokens.reviewToken(product)) {
        linkTokens.push({ token: match[1], products: [product] });
        api.write('review-tokens', api.read('review-tokens', []).concat(linkTokens.slice(-1)).slice(-20));
      }
      return true;
    },
    /** The review token of an order of this device that holds the product, or null. */
    reviewToken(product) {
      const entry = api.read('review-tokens', []).concat(linkTokens)
        .find((t) => t && Array.isArray(t.products) && t.products.includes(product) && typeof t.token === 'string');
      return entry ? entry.token : null;
    },
    /** A token is single-use per product: forget the product once its review is in. */
    spendToken(product) {
      const drop = (list) => list.map((t) => Object.assign({}, t, { products: (t.products || []).filter((p) => p !== product) }));
      linkTokens = drop(linkTokens);
      api.write('review-tokens', drop(api.read('review-tokens', [])));
    },
  };
  return tokens;
}

// A placement: its shadow root, what it renders, its impression; a failure
// empties it and is logged once.
function mount(ctx, el) {
  const { api, config } = ctx;
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
  Promise.resolve().then(async () => {
    const shown = await render(ctx, root, el);
    if (kind === 'social-proof' && config.jsonLd) injectJsonLd(productJsonLd(shown.product, shown.summary, shown.items));
    if (kind !== 'rating-badge') observeImpression(api, el, kind, el.dataset.product, shown.shown || []);
  }).catch((error) => {
    root.replaceChildren();
    shadow.adoptedStyleSheets = [styleSheet(), hiddenSheet()];
    const what = kind === 'social-proof' ? 'social proof' : kind === 'rating-badge' ? 'the rating badge' : 'creator picks';
    api.warn('render:' + kind + (el.dataset.product || ''), `${what}${el.dataset.product ? ` for "${el.dataset.product}"` : ''} is unavailable: ${describe(error)}`);
  });
}

// One impression event once 40% of the placement is in view.
function observeImpression(api, el, placement, product, items) {
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

// The creator the shopper came through: this page's ?ref=/?via=, else the
// latest stored touch, when the document names them. Used to put that
// creator's picks and posts first.
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
