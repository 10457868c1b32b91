// The one place the widget fetches the store's public documents; the engine
// that runs the shopper's queries on them is engine-host.js.
//
// Documents (docs/server.md, "Public documents"), under config.documents:
//   products/NAME.json  a product as a small feed: the engine runs the
//                       shopper's query (referral creator first, language,
//                       diversity, balance) on it, here, on the device; the
//                       server never learns who referred the shopper
//   products/NAME/reviews.json  the same for "See all": the first page of
//                       each sort and filter (loaded when the dialog opens)
//   badges/NAME.json    a product's rating summary (no engine)
//   store.json          the creator picks (no engine)
// Pages past a document's first ("See all", page 2 onwards) come from the
// server's engine on the whole feed (config.pages), when the store has one.

/**
 * A product id as a path segment, the same in a URL and on a disk: bytes of
 * [A-Za-z0-9_-] and non-leading "." as they are, any other byte as "~HH". The
 * core's document_name (core/social_proof/documents.cpp) is the rule;
 * tests/web/rules.test.mjs runs both on one table of ids.
 * @param {string} id
 */
export function documentName(id) {
  let out = '';
  new TextEncoder().encode(id).forEach((b, i) => {
    const plain = (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b === 95 || b === 45 ||
        (b === 46 && i > 0);
    out += plain ? String.fromCharCode(b) : '~' + b.toString(16).toUpperCase().padStart(2, '0');
  });
  return out;
}

async function fetchBytes(url) {
  const response = await fetch(url, { credentials: 'omit' });
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  return response.arrayBuffer();
}

const decoder = new TextDecoder();

/** A document's bytes, parsed (once the engine accepted them). */
export const parseDocument = (bytes) => JSON.parse(decoder.decode(bytes));

/** The store's documents, each fetched at most once per page. */
export function createDocuments(config) {
  const products = new Map();
  const summaries = new Map();
  const once = (cache, key, url) => {
    if (!cache.has(key)) {
      const loading = fetchBytes(url);
      loading.catch(() => cache.delete(key));
      cache.set(key, loading);
    }
    return cache.get(key);
  };
  let store = null;
  const at = (path) => new URL(path, config.documents).href;
  return {
    /** products/NAME.json's bytes (the engine validates them). */
    product: (id) => once(products, id, at(`products/${documentName(id)}.json`)),
    /** products/NAME/reviews.json's bytes. */
    reviews: (id) => once(products, id + '\n', at(`products/${documentName(id)}/reviews.json`)),
    /** badges/NAME.json's rating summary. */
    summary(id) {
      if (!summaries.has(id)) {
        const url = at(`badges/${documentName(id)}.json`);
        const loading = fetchBytes(url).then((bytes) => {
          const summary = JSON.parse(decoder.decode(bytes)).summary;
          if (!summary || typeof summary !== 'object') throw new Error(`${url} holds no summary`);
          return summary;
        });
        loading.catch(() => summaries.delete(id));
        summaries.set(id, loading);
      }
      return summaries.get(id);
    },
    /** store.json: {store, as_of, picks, creators}. */
    store() {
      if (!store) {
        const url = at('store.json');
        store = fetchBytes(url).then((bytes) => {
          const doc = JSON.parse(decoder.decode(bytes));
          if (!doc || !Array.isArray(doc.picks)) throw new Error(`${url} holds no picks`);
          return doc;
        });
        store.catch(() => { store = null; });
      }
      return store;
    },
    /**
     * A page the document cannot give (offset > 0): the server's engine on the
     * whole feed, or null when the store has no server (data-pages="off").
     */
    async page(id, query) {
      if (!config.pages) return null;
      const url = new URL(`products/${documentName(id)}/social-proof`, config.pages);
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined && value !== null && value !== false) url.searchParams.set(key, String(value));
      }
      return JSON.parse(decoder.decode(await fetchBytes(url.href)));
    },
  };
}

/**
 * Lookups in a document (a product's, or store.json) the widget needs to
 * present what the engine chose.
 * @param {{products?: object[], influencers?: object[], creators?: object[]}} doc
 */
export function createCatalog(doc) {
  const products = new Map();
  const influencers = new Map();
  const byCode = new Map();
  const byHandle = new Map();
  for (const p of doc.products || []) if (p && typeof p.id === 'string') products.set(p.id, p);
  for (const i of doc.influencers || doc.creators || []) {
    if (!i || typeof i.id !== 'string') continue;
    influencers.set(i.id, i);
    if (typeof i.handle === 'string') byHandle.set(i.handle.toLowerCase(), i);
    for (const code of Array.isArray(i.codes) ? i.codes : []) {
      if (typeof code === 'string') byCode.set(code.toUpperCase(), i);
    }
  }
  return {
    product: (id) => products.get(id) || null,
    influencer: (id) => influencers.get(id) || null,
    // A ?ref= value may be a code ("TESS10"), a handle ("trailtess") or an id.
    resolve(code) {
      if (typeof code !== 'string') return null;
      return byCode.get(code.toUpperCase()) || byHandle.get(code.replace(/^@/, '').toLowerCase()) ||
          influencers.get(code) || null;
    },
  };
}
