// vouch-engine-worker.js: the page's storefront engine in a module Worker, so
// that compiling the wasm, loading documents and building their social-proof
// indexes never block the shop's main thread. One per page: engine-host.js
// starts it and talks to it with these messages (a request with an id is
// answered once):
//
//   {type: 'init', engine}              start loading the engine module (no answer)
//   {id, type: 'load', key, feed}       feed = ArrayBuffer of a document's UTF-8 bytes,
//                                       kept under `key` (replacing what was there)
//                                       -> {id, result: {counts}}
//   {id, type: 'socialProof', key, query} -> {id, result: '<the engine's JSON text>'}
//   {type: 'dispose', key}              frees that document (no answer)
//   any failure                         -> {id, error: {code, path, message, errors?}}
//
// Every document is an engine of the one module instance (one WebAssembly
// memory). An error without a code at 'load' (the engine module or its wasm
// could not be fetched or compiled here) carries `unavailable: true`: the page
// then runs the engine itself rather than showing nothing.
let engineModule = null;
const engines = new Map();   // key -> engine

function errorInfo(error) {
  if (error && typeof error.code === 'string') {
    return { code: error.code, path: error.path || '', message: error.message, errors: error.errors };
  }
  return { code: '', path: '', message: String((error && error.message) || error) };
}

function startLoading(url) {
  if (!engineModule) {
    engineModule = import(url).then((module) => {
      // Compile the wasm while the page is still fetching the document.
      module.loadEngineModule().catch(() => {});
      return module;
    });
  }
  return engineModule;
}

function dispose(key) {
  const engine = engines.get(key);
  engines.delete(key);
  if (engine) engine.dispose();
}

async function load(request) {
  let module;
  try {
    module = await startLoading(request.engine);
  } catch (error) {
    throw Object.assign(new Error(`could not import ${request.engine} in a worker: ${error && error.message}`),
      { unavailable: true });
  }
  let engine;
  try {
    engine = await module.createEngine(new Uint8Array(request.feed));
  } catch (error) {
    if (error && error.code) throw error;
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), { unavailable: true });
  }
  dispose(request.key);
  engines.set(request.key, engine);
  return { counts: engine.counts };
}

async function answer(request) {
  if (request.type === 'load') return load(request);
  if (request.type === 'socialProof') {
    const engine = engines.get(request.key);
    if (!engine) throw new Error(`no document "${request.key}" is loaded`);
    // The JSON text as the engine wrote it: cheaper to post than an object.
    return engine.raw.socialProof(request.query);
  }
  throw new Error(`unknown request ${request.type}`);
}

self.onmessage = (event) => {
  const request = event.data || {};
  if (request.type === 'init') {
    startLoading(request.engine).catch(() => {});   // reported by 'load'
    return;
  }
  if (request.type === 'dispose') return dispose(request.key);
  answer(request).then(
    (result) => self.postMessage({ id: request.id, result }),
    (error) => self.postMessage({ id: request.id, error: errorInfo(error), unavailable: Boolean(error && error.unavailable) }));
};
