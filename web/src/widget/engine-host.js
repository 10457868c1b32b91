// The page's one engine. However many placements, products and dialogs a page
// has, the widget runs one storefront engine module (storefront-engine.js:
// feed + social proof): in one module Worker (engine-worker.js) where the
// browser allows it, else on the page; either way one WebAssembly instance.
// Documents (a product's, its See-all document) are loaded into it by key
// when a placement needs them and disposed when the last one using them lets
// go, so the instance holds only what is on screen.
import { VouchError } from '../../shared/error.js';

const WORKER_URL = new URL('vouch-engine-worker.js', import.meta.url).href;

/**
 * @param {{engine: string, worker?: boolean}} config the engine module's URL;
 *   worker false runs it on the page
 */
export function createEngineHost(config) {
  let worker;   // undefined: not started yet; null: none, the page runs the engine
  let pageModule = null;
  const held = new Map();   // key -> {users, loading: Promise<{socialProof, dispose}>}

  // The document in the engine: the worker's when it can start, else the page's.
  async function load(key, bytes) {
    if (worker === undefined) worker = config.worker === false ? null : startWorker(config.engine);
    const thread = worker;
    if (thread) {
      try {
        await thread.ask({ type: 'load', key, feed: bytes.slice(0) }, true);
        return {
          socialProof: async (query) => JSON.parse(await thread.ask({ type: 'socialProof', key, query })),
          dispose: () => thread.tell({ type: 'dispose', key }),
        };
      } catch (error) {
        if (!error.unavailable) throw error;
        thread.stop();
        worker = null;   // from now on the page runs the engine
      }
    }
    pageModule = pageModule || import(config.engine);
    const engine = await (await pageModule).createEngine(new Uint8Array(bytes));
    return { socialProof: async (query) => engine.socialProof(query), dispose: () => engine.dispose() };
  }

  return {
    /**
     * The document `key` in the engine (loaded from `bytes` unless it is
     * there already), validated as it loads: a bad one is refused with its
     * fault's code and JSON Pointer. Call release() when it is no longer
     * needed; the last release disposes it.
     * @param {string} key
     * @param {ArrayBuffer} bytes
     * @returns {Promise<{socialProof: (query: object) => Promise<object>, release: () => void}>}
     */
    async use(key, bytes) {
      let entry = held.get(key);
      if (!entry) {
        entry = { users: 0, loading: load(key, bytes) };
        held.set(key, entry);
        entry.loading.catch(() => held.get(key) === entry && held.delete(key));
      }
      entry.users++;
      const doc = await entry.loading;
      let released = false;
      return {
        socialProof: doc.socialProof,
        release() {
          if (released) return;
          released = true;
          if (--entry.users === 0 && held.get(key) === entry) {
            held.delete(key);
            doc.dispose();
          }
        },
      };
    },
  };
}

// Starts the engine worker, or returns null where there can be none (no
// module workers, a CSP that forbids them). A worker script must have the
// page's origin: when the widget comes from another origin (a CDN), a blob:
// script of one line, which has the page's origin, imports it (with CORS, as
// the page imports the widget). A strict CSP refuses blob: workers; the
// worker then fails to start and its first answer says `unavailable`.
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
  // Nothing pending will be answered: each request fails as `unavailable`.
  const stop = () => {
    settle();
    failure = failure || Object.assign(new Error('the engine worker stopped'), { unavailable: true });
    for (const request of pending.values()) request.reject(failure);
    pending.clear();
    worker.terminate();
  };
  // The script did not load (blocked, no module workers, offline) or the worker died.
  worker.onerror = (event) => {
    if (event && event.preventDefault) event.preventDefault();
    stop();
  };
  return {
    // A request and its answer. `transfer`: hand message.feed over (not copied).
    ask: (message, transfer) => new Promise((resolve, reject) => {
      if (failure) return reject(failure);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage(Object.assign({ id }, message), transfer ? [message.feed] : []);
    }),
    // A message with no answer.
    tell: (message) => failure || worker.postMessage(message),
    stop,
  };
}

// The worker's {code, path, message} as a VouchError (a plain Error when it
// has no code: the worker itself failed).
function engineError(info, unavailable) {
  const error = info.code ? new VouchError(info, info.errors) : new Error(info.message);
  if (unavailable) error.unavailable = true;
  return error;
}
