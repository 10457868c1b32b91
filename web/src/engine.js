// The public JavaScript API of the Vouch engine: the same C++ core as the CLI,
// compiled to WebAssembly. This file is the only thing pages, the widget and
// node code should import; the Embind classes behind it (wasm/bindings.cpp)
// are internal, and every object of theirs is created and deleted here.
//
//   import { createEngine, validateFeed, VouchError } from '/engine.js';
//   const engine = await createEngine(feedText);
//   const proof = engine.socialProof({ product: 'sku-1', locale: 'en' });
//   engine.dispose();
//
// scripts/build-wasm.sh bundles this file twice, each time with one module's
// Emscripten glue behind './engine-module.mjs' and its constants in
// './engine-config.mjs' (which it writes):
//   web/dist/engine.js             + vouch-engine.wasm      every call
//   web/dist/storefront-engine.js  + vouch-storefront.wasm  feed + social proof
// The storefront module is what a shopper's product page loads (the widget),
// within the size budget; its match/attribute/report throw VouchError
// engine.not_in_module. See docs/wasm.md.

// MERCHANT: whether the module binds the merchant engines. In the storefront
// bundle it is false, and esbuild leaves out the code of those calls (a
// storefront page cannot run them): their methods only throw not_in_module.
import { MERCHANT, WASM_FILE } from './engine-config.mjs';
import { createVouchModule } from './engine-module.mjs';
// The one error class of the widget, the dashboard and this API (web/shared/error.js).
import { VouchError } from '../shared/error.js';

export { VouchError };

/**
 * @typedef {{code: string, path: string, message: string}} ErrorInfo
 * @typedef {{products: number, influencers: number, endorsements: number, ugc: number}} FeedCounts
 * @typedef {{valid: boolean, errors: ErrorInfo[], truncated: boolean, counts?: FeedCounts}} FeedValidation
 * @typedef {string | Uint8Array | ArrayBuffer | object} JsonInput
 *   JSON text, its UTF-8 bytes, or a value that JSON.stringify accepts.
 * @typedef {{wasmBinary?: ArrayBuffer | Uint8Array,
 *            locateFile?: (path: string, scriptDirectory: string) => string}} LoadOptions
 * @typedef {{now?: string | Date}} ClockOptions
 *   now: an RFC 3339 time or a Date; the current time when absent.
 */

const modules = new Map();      // option key -> the module's promise
const instances = new WeakMap(); // module -> the promise it came from

/**
 * Loads (once per wasmBinary / locateFile, or once for the defaults) and
 * returns the WebAssembly module. createEngine and validateFeed call it; call
 * it yourself only to start the download early.
 * @param {LoadOptions} [options]
 */
export function loadEngineModule(options = {}) {
  const key = options.wasmBinary ?? options.locateFile ?? 'default';
  let loading = modules.get(key);
  if (!loading) {
    const promise = instantiate(options);
    loading = promise;
    modules.set(key, promise);
    // A failed load (offline, blocked by CSP) may be retried later.
    promise.then((module) => instances.set(module, promise), () => modules.delete(key));
  }
  return loading;
}

// Drops a module instance that stopped, so that the next load starts another.
function forget(module) {
  const promise = instances.get(module);
  for (const [key, loading] of modules) if (loading === promise) modules.delete(key);
}

async function instantiate(options) {
  const settings = {};
  if (options.locateFile) settings.locateFile = options.locateFile;
  if (options.wasmBinary) settings.wasmBinary = options.wasmBinary;
  else if (isNode()) settings.wasmBinary = await readWasmInNode(options.locateFile);
  return createVouchModule(settings);
}

function isNode() {
  return typeof process === 'object' && typeof process.versions?.node === 'string' &&
    typeof window === 'undefined';
}

// The glue is built for the web (see wasm/CMakeLists.txt); in node the bytes
// are read here and handed over as wasmBinary. The module name is a variable
// so that browser bundlers leave it alone.
async function readWasmInNode(locateFile) {
  const fsModule = 'node:fs/promises';
  const { readFile } = await import(/* @vite-ignore */ fsModule);
  const where = locateFile ? locateFile(WASM_FILE, '') : new URL(WASM_FILE, import.meta.url);
  return readFile(where);
}

const LONE_SURROGATE = /\p{Cs}/u;

// Everything crosses the boundary as UTF-8 text (or bytes, untouched).
function toJsonText(value, what) {
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return value;
  if (typeof value === 'string') {
    // TextEncoder would silently turn a lone surrogate into U+FFFD; refuse it
    // as the C++ side refuses invalid UTF-8.
    if (LONE_SURROGATE.test(value))
      throw new VouchError({ code: `${what}.invalid_utf8`, path: '',
        message: `the ${what} contains a lone UTF-16 surrogate and cannot be encoded as UTF-8` });
    return value;
  }
  return toJsonText(stringify(() => JSON.stringify(value) ?? '', what), what);
}

// JSON.stringify's failures (a cycle, a BigInt) as the input's parse error.
function stringify(write, what) {
  try {
    return write();
  } catch (e) {
    throw new VouchError({ code: `${what}.parse_error`, path: '',
      message: `the ${what} cannot be written as JSON: ${e.message}` });
  }
}

// An array becomes JSON lines, one element per line (JSON.stringify never
// writes a raw newline); text and bytes are taken as JSON lines already.
function toJsonLines(chunk, what) {
  if (!Array.isArray(chunk)) return toJsonText(chunk, what);
  return toJsonText(stringify(() => chunk.map((value) => JSON.stringify(value) ?? 'null').join('\n'), what), what);
}

function toNowText(now) {
  if (now === undefined || now === null) return '';
  if (now instanceof Date) return Number.isNaN(now.getTime()) ? 'Invalid Date' : now.toISOString();
  return String(now);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// The Embind objects (wasm/bindings.cpp) never leave this file: every one is
// deleted here, by dispose() or after the call that needed it, and a
// FinalizationRegistry deletes those of engines dropped without dispose().

// A JSON input's UTF-8 bytes in a new Bytes object of the module (the caller
// deletes it): written through a typed memory view, one native copy.
function bytesIn(module, input, what) {
  const bytes = typeof input === 'string' ? encoder.encode(input)
    : input instanceof Uint8Array ? input : new Uint8Array(input);
  const native = new module.Bytes(bytes.length);
  const view = native.view();
  if (!view) {
    native.delete();
    throw new VouchError({ code: 'internal.out_of_memory', path: '',
      message: `the engine has no memory for ${bytes.length} bytes of ${what}` });
  }
  view.set(bytes);
  return native;
}

// Calls fn with each input as a Bytes object, and deletes them after.
function withBytes(module, inputs, fn) {
  return guarded(module, () => {
    const natives = [];
    try {
      for (const [input, what] of inputs) natives.push(bytesIn(module, input, what));
      return fn(...natives);
    } finally {
      for (const native of natives) native.delete();
    }
  });
}

// Every call into the module. The storefront module has no exceptions: where
// the merchant module answers internal.out_of_memory, it aborts (a
// WebAssembly.RuntimeError), and its instance cannot be trusted after. That
// instance is forgotten, so that the next createEngine starts a new one.
function guarded(module, fn) {
  try {
    return fn();
  } catch (error) {
    if (error instanceof VouchError) throw error;
    forget(module);
    throw new VouchError({ code: 'internal.error', path: '',
      message: `the engine stopped (${(error && error.message) || error}): it ran out of memory, or failed inside; ` +
        'create a new engine' });
  }
}

// A call's reply: the engine's JSON text (a Uint8Array over the object's
// result buffer, valid until its next call, so decoded now) or an Error.
function textOf(reply) {
  if (reply instanceof Uint8Array) return decoder.decode(reply);
  throw new VouchError(reply);
}

// A merchant call in the storefront bundle.
const notInModule = (name) => () => {
  throw new VouchError({ code: 'engine.not_in_module', path: '',
    message: `${name} is not in ${WASM_FILE}: import engine.js (the module with every engine) to use it` });
};

// Deletes the Embind objects of engines that were dropped without dispose().
const finalizer = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((natives) => { for (const native of natives) native.delete(); })
  : null;

// A feed in a new native Engine (the caller deletes it) and its validation.
function loadNative(module, feed) {
  const native = withBytes(module, [[toJsonText(feed, 'feed'), 'feed']], (text) => new module.Engine(text));
  try {
    return { native, validation: JSON.parse(guarded(module, () => textOf(native.validate()))) };
  } catch (error) {
    native.delete();
    throw error;
  }
}

/**
 * Loads a feed into a new engine. Throws VouchError when the feed is invalid
 * (error = the first fault, errors = all of them).
 * @param {JsonInput} feed
 * @param {LoadOptions} [options]
 */
export async function createEngine(feed, options = {}) {
  const module = await loadEngineModule(options);
  const { native, validation } = loadNative(module, feed);
  if (!validation.valid) {
    native.delete();
    throw new VouchError(validation.errors[0], validation.errors);
  }
  // The native engine and its open sessions, deleted together.
  const natives = new Set([native]);
  let disposed = false;
  const live = () => {
    if (disposed)
      throw new VouchError({ code: 'engine.unknown_handle', path: '',
        message: 'this engine was disposed: create another one' });
  };
  // One engine call: the result as the engine's exact JSON text.
  const call = (name, inputs, ...rest) => {
    live();
    return withBytes(module, inputs, (...texts) => textOf(native[name](...texts, ...rest)));
  };
  const raw = rawCalls(call);

  const engine = {
    /** @type {FeedCounts} */
    counts: validation.counts,
    raw,
    /** Social proof for a product page: {product, summary, items, endorsements}. */
    socialProof: (query, clock) => JSON.parse(raw.socialProof(query, clock)),
    /** Ranked, explained influencers and a plan within the budget: {ranked, plan}. */
    match: (brief, clock) => JSON.parse(raw.match(brief, clock)),
    /** Credits per order: [{order_id, credits, flags, duplicate}]. */
    attribute: (touches, orders, config, clock) => JSON.parse(raw.attribute(touches, orders, config, clock)),
    /** The per-influencer report with totals. */
    report: (touches, orders, config) => JSON.parse(raw.report(touches, orders, config)),
    /**
     * Attribution in chunks, for journeys too large for one call (a million
     * touches): add touches and orders in any number of chunks, then
     * attribute() or report(), which end the session, as does a bad line.
     * A chunk is an array of touches/orders, or JSON lines (text or bytes,
     * one per line as in `vouch attribute --touches`); error paths count
     * elements across chunks ("/touches/123456/at").
     */
    attribution: MERCHANT ? () => openSession(module, native, natives, live) : notInModule('attribution'),
    /** Bytes of WebAssembly memory in use by the module (shared by its engines). */
    memoryBytes: () => module.HEAPU8.buffer.byteLength,
    /** Frees the feed and the engine's sessions. Later calls throw VouchError engine.unknown_handle. Idempotent. */
    dispose() {
      if (disposed) return;
      disposed = true;
      finalizer?.unregister(engine);
      for (const each of natives) each.delete();
      natives.clear();
    },
  };
  finalizer?.register(engine, natives, engine);
  return engine;
}

// Each engine call, returning the result as the engine's exact JSON text
// (byte-identical to the CLI's output in compact form).
function rawCalls(call) {
  return {
    /** @param {JsonInput} query @param {ClockOptions} [clock] @returns {string} */
    socialProof: (query, clock = {}) =>
      call('socialProof', [[toJsonText(query, 'query'), 'query']], toNowText(clock.now)),
    /** @param {JsonInput} brief @param {ClockOptions} [clock] @returns {string} */
    match: MERCHANT
      ? (brief, clock = {}) => call('match', [[toJsonText(brief, 'brief'), 'brief']], toNowText(clock.now))
      : notInModule('match'),
    /** @param {JsonInput} touches @param {JsonInput} orders @param {JsonInput} [config] @param {ClockOptions} [clock] @returns {string} */
    attribute: MERCHANT
      ? (touches, orders, config = null, clock = {}) =>
        call('attribute', bulkInputs(touches, orders, config), toNowText(clock.now))
      : notInModule('attribute'),
    /** @param {JsonInput} touches @param {JsonInput} orders @param {JsonInput} [config] @returns {string} */
    report: MERCHANT
      ? (touches, orders, config = null) => call('report', bulkInputs(touches, orders, config))
      : notInModule('report'),
  };
}

// A chunked attribution session of an engine (engine.attribution()). The
// native session joins the engine's natives, so that dispose() deletes it
// too; it ends with its result or its first error (as in bindings.cpp) and
// is deleted then. Merchant-only: a function declaration would stay in the
// storefront bundle (esbuild keeps what the unfolded code names), this
// expression folds to false there.
const openSession = MERCHANT && ((module, native, natives, live) => {
  live();
  let session = guarded(module, () => new module.AttributionSession(native));
  natives.add(session);
  const end = () => {
    if (session && natives.delete(session)) session.delete();   // not yet deleted by dispose()
    session = null;
  };
  const sessionCall = (name, inputs, ends, ...rest) => {
    live();
    if (!session)
      throw new VouchError({ code: 'engine.unknown_session', path: '',
        message: 'the attribution session has ended: it gave its result, a call on it failed, or it was disposed' });
    try {
      const text = withBytes(module, inputs, (...texts) => textOf(session[name](...texts, ...rest)));
      if (ends) end();
      return JSON.parse(text);
    } catch (error) {
      end();
      throw error;
    }
  };
  const config = (value) => [[toJsonText(value ?? null, 'config'), 'config']];
  const lines = (chunk, what) => [[toJsonLines(chunk, what), what]];
  return {
    /** @param {object[] | string | Uint8Array} chunk @returns {{touches: number, orders: number}} so far */
    addTouches: (chunk) => sessionCall('addTouches', lines(chunk, 'touches'), false),
    /** @param {object[] | string | Uint8Array} chunk @returns {{touches: number, orders: number}} so far */
    addOrders: (chunk) => sessionCall('addOrders', lines(chunk, 'orders'), false),
    /** Credits per order, as attribute(). @param {JsonInput} [config] @param {ClockOptions} [clock] */
    attribute: (value, clock = {}) => sessionCall('attribute', config(value), true, toNowText(clock.now)),
    /** The report, as report(). @param {JsonInput} [config] */
    report: (value) => sessionCall('report', config(value), true),
    /** Ends the session without a result. Idempotent. */
    dispose: end,
  };
});

// The three inputs of attribute and report.
function bulkInputs(touches, orders, config) {
  return [[toJsonText(touches, 'touches'), 'touches'], [toJsonText(orders, 'orders'), 'orders'],
    [toJsonText(config, 'config'), 'config']];
}

/**
 * Validates a feed without keeping it: the document of `vouch validate FEED --json`.
 * Resolves (does not throw) for an invalid feed.
 * @param {JsonInput} feed
 * @param {LoadOptions} [options]
 * @returns {Promise<FeedValidation>}
 */
export async function validateFeed(feed, options = {}) {
  const { native, validation } = loadNative(await loadEngineModule(options), feed);
  native.delete();
  return validation;
}
