// The one place the widget talks to the wasm engine and the feed. Everything
// else asks this module and gets plain objects back. Placements use the
// storefront module (storefront-engine.js: feed + social proof, small), run in
// a module Worker (engine-worker.js) where the browser allows it, else on the
// page; a conversion loads the module with attribution (engine.js) on the page
// when it happens.
import { nowRfc3339 } from '../storage.js';

export async function openEngine(config) {
  const worker = config.worker === false ? null : startWorker(config.engine);
  // Without a worker the page imports the engine while the feed downloads.
  const pageEngine = worker ? null : import(config.engine);
  if (pageEngine) pageEngine.catch(() => {});   // reported when awaited below
  const feedBytes = await fetch(config.feed, { credentials: 'same-origin' }).then((response) => {
    if (!response.ok) throw new Error(`feed ${config.feed} answered HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  const feedText = new TextDecoder().decode(feedBytes);
  // The engine validates the feed (shape, limits, safe URLs) and refuses a bad one.
  let socialProof = worker && await worker.load(feedBytes).catch((error) => {
    if (error.unavailable) return null;   // the page runs the engine instead
    throw error;
  });
  if (!socialProof) {
    const engine = await (await (pageEngine || import(config.engine))).createEngine(feedText);
    socialProof = async (query) => engine.socialProof(query);
  }
  let attributor = null;
  return {
    feed: JSON.parse(feedText),
    /** @returns {Promise<object>} the engine's social proof for the query (no moderation lists: the widget shows none) */
    socialProof: (query) => socialProof(Object.assign({ now: nowRfc3339(), moderation_lists: false }, query)),
    async attribute(touches, orders, options) {
      attributor = attributor || import(config.attributionEngine).then((full) => full.createEngine(feedText));
      attributor.catch(() => { attributor = null; });
      return (await attributor).attribute(touches, orders, options, { now: nowRfc3339() });
    },
  };
}

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
    // Hands the feed's bytes over (transferred, not copied); resolves to the
    // socialProof function once the worker's engine holds the feed.
    async load(feedBytes) {
      try {
        await ask({ type: 'load', feed: feedBytes }, [feedBytes]);
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
