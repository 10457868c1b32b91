// vouch-engine-worker.js: the storefront engine in a module Worker, so that
// compiling the wasm, loading the feed and building the social-proof index
// never block the shop's main thread. engine-client.js starts it and talks to
// it with these messages (each request carries an id, answered once):
//
//   {type: 'init', engine}          start loading the engine module (no answer)
//   {id, type: 'load', feed}        feed = ArrayBuffer of the feed's UTF-8 bytes
//                                   -> {id, result: {counts}}
//   {id, type: 'socialProof', query} -> {id, result: '<the engine's JSON text>'}
//   any failure                     -> {id, error: {code, path, message, errors?}}
//
// An error without a code at 'load' (the engine module or its wasm could not
// be fetched or compiled here) carries `unavailable: true`: the page then runs
// the engine itself rather than showing nothing.
let engineModule = null;
let engine = null;

function errorInfo(error) {
  if (error && typeof error.code === 'string') {
    return { code: error.code, path: error.path || '', message: error.message, errors: error.errors };
  }
  return { code: '', path: '', message: String((error && error.message) || error) };
}

function startLoading(url) {
  if (!engineModule) {
    engineModule = import(url).then((module) => {
      // Compile the wasm while the page is still fetching the feed.
      module.loadEngineModule().catch(() => {});
      return module;
    });
  }
  return engineModule;
}

async function answer(request) {
  if (request.type === 'load') {
    let module;
    try {
      module = await startLoading(request.engine);
    } catch (error) {
      throw Object.assign(new Error(`could not import ${request.engine} in a worker: ${error && error.message}`),
        { unavailable: true });
    }
    try {
      engine = await module.createEngine(new Uint8Array(request.feed));
    } catch (error) {
      if (error && error.code) throw error;
      throw Object.assign(error instanceof Error ? error : new Error(String(error)), { unavailable: true });
    }
    return { counts: engine.counts };
  }
  if (request.type === 'socialProof') {
    if (!engine) throw new Error('the engine has no feed yet');
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
  answer(request).then(
    (result) => self.postMessage({ id: request.id, result }),
    (error) => self.postMessage({ id: request.id, error: errorInfo(error), unavailable: Boolean(error && error.unavailable) }));
};
