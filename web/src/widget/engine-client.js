// The one place the widget talks to the wasm engine and the feed. Everything
// else asks this module and gets plain objects back. Placements use the
// storefront module (storefront-engine.js: feed + social proof, small); a
// conversion loads the module with attribution (engine.js) when it happens.
import { nowRfc3339 } from '../storage.js';

export async function openEngine(config) {
  const [engineModule, feedText] = await Promise.all([
    import(config.engine),
    fetch(config.feed, { credentials: 'same-origin' }).then((response) => {
      if (!response.ok) throw new Error(`feed ${config.feed} answered HTTP ${response.status}`);
      return response.text();
    }),
  ]);
  // The engine validates the feed (shape, limits, safe URLs) and refuses a bad one.
  const engine = await engineModule.createEngine(feedText);
  let attributor = null;
  return {
    feed: JSON.parse(feedText),
    socialProof: (query) => engine.socialProof(Object.assign({ now: nowRfc3339() }, query)),
    async attribute(touches, orders, options) {
      attributor = attributor || import(config.attributionEngine).then((full) => full.createEngine(feedText));
      attributor.catch(() => { attributor = null; });
      return (await attributor).attribute(touches, orders, options, { now: nowRfc3339() });
    },
  };
}

// Lookups in the feed the widget needs to present what the engine chose.
export function createCatalog(feed) {
  const products = new Map();
  const influencers = new Map();
  const byCode = new Map();
  const byHandle = new Map();
  for (const p of feed.products || []) if (p && typeof p.id === 'string') products.set(p.id, p);
  for (const i of feed.influencers || []) {
    if (!i || typeof i.id !== 'string') continue;
    influencers.set(i.id, i);
    if (typeof i.handle === 'string') byHandle.set(i.handle.toLowerCase(), i);
    for (const code of Array.isArray(i.codes) ? i.codes : []) {
      if (typeof code === 'string') byCode.set(code.toUpperCase(), i);
    }
  }
  return {
    product: (id) => products.get(id) || null,
    products: () => [...products.values()],
    influencer: (id) => influencers.get(id) || null,
    // A ?ref= value may be a code ("TESS10"), a handle ("trailtess") or an id.
    resolve(code) {
      if (typeof code !== 'string') return null;
      return byCode.get(code.toUpperCase()) || byHandle.get(code.replace(/^@/, '').toLowerCase()) ||
          influencers.get(code) || null;
    },
  };
}
