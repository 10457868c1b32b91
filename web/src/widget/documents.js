// The one place the widget talks to the store's public documents and to the
// wasm engine. Everything else asks this module and gets plain objects back.
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
//
// The engine is the storefront module (storefront-engine.js: feed + social
// proof), in a module Worker (engine-worker.js) where the browser allows it,
// else on the page.

/**
 * A product id as a path segment, the same in a URL and on a disk (the
 * server's document_name): bytes of [A-Za-z0-9_-] and non-leading "." as they
 * are, any other byte as "~HH".
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
 * The engine with one product's document loaded (it validates the document
 * as it loads: a bad one is refused with the fault's code and JSON Pointer).
 * @param {ArrayBuffer} bytes
 * @returns {Promise<{socialProof: (query: object) => Promise<object>}>}
 */
export async function openEngine(config, bytes) {
  const worker = config.worker === false ? null : startWorker(config.engine);
  let socialProof = worker && await worker.load(bytes.slice(0)).catch((error) => {
    if (error.unavailable) return null;   // the page runs the engine instead
    throw error;
  });
  if (!socialProof) {
    const engine = await (await import(config.engine)).createEngine(new Uint8Array(bytes));
    socialProof = async (query) => engine.socialProof(query);
  }
  return { socialProof };
}

/** The document's text, parsed (once the engine accepted it). */
export const parseDocument = (bytes) => JSON.parse(decoder.decode(bytes));

const WORKER_URL = new URL('vouch-engine-worker.js', import.meta.url).href;

// Starts the engine worker, or returns null where there can be none (no
// module workers, a CSP that forbids them). A worker script must have the
// page's origin: when the widget comes from another origin (a CDN), a blob:
// script of one line, which has the page's origin, imports it (with CORS, as
// the page imports the widget). A strict CSP refuses blob: workers; the
// worker then fails to start and load() says `unavailable`.
function startWorker(engineUrl) {
  let worker;
  let blobUrl = null;
  try {
    if (typeof Worker !== 'function') return null;
    if (new URL(WORKER_URL).origin === location.origin) {
      worker = new Worker(WORKER_URL, { type: 'module', name: 'vouch-engine' });
    } else {
      blobUrl = URL.createObjectURL(new Blob([`import ${JSON.stringify(WORKER_URL)};`], { type: 'text/javascript' }));
      worker = new Worker(blobUrl, { type: 'module', name: 'vouch-engine' });
    }
    worker.postMessage({ type: 'init', engine: engineUrl });
  } catch (_) {
    if (blobUrl) URL.revokeObjectURL(blobUrl);
    return null;
  }

  const pending = new Map();
  let nextId = 1;
  let failure = null;   // set once the worker cannot answer any more
  const settle = () => {
    if (blobUrl) URL.revokeObjectURL(blobUrl);
    blobUrl = null;
  };
  worker.onmessage = ({ data }) => {
    settle();
    const request = pending.get(data.id);
    if (!request) return;
    pending.delete(data.id);
    if (data.error) request.reject(engineError(data.error, data.unavailable));
    else request.resolve(data.result);
  };
  // The script did not load (blocked, no module workers, offline) or the
  // worker died: nothing pending will be answered.
  worker.onerror = (event) => {
    if (event && event.preventDefault) event.preventDefault();
    settle();
    failure = Object.assign(new Error('the engine worker stopped'), { unavailable: true });
    for (const request of pending.values()) request.reject(failure);
    pending.clear();
    worker.terminate();
  };
  const ask = (message, transfer) => new Promise((resolve, reject) => {
    if (failure) return reject(failure);
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage(Object.assign({ id }, message), transfer || []);
  });

  return {
    // Hands the document's bytes over (transferred, not copied); resolves to
    // the socialProof function once the worker's engine holds it.
    async load(bytes) {
      try {
        await ask({ type: 'load', feed: bytes }, [bytes]);
      } catch (error) {
        if (error.unavailable) worker.terminate();
        throw error;
      }
      return async (query) => JSON.parse(await ask({ type: 'socialProof', query }));
    },
  };
}

// The worker's {code, path, message} as an Error shaped like the engine's VouchError.
function engineError(info, unavailable) {
  const error = new Error(info.message);
  if (info.code) {
    error.name = 'VouchError';
    error.code = info.code;
    error.path = info.path;
    error.errors = info.errors || [info];
  }
  if (unavailable) error.unavailable = true;
  return error;
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
