// The public JavaScript API of the Vouch engine: the same C++ core as the CLI,
// compiled to WebAssembly. This file is the only thing pages, the widget and
// node code should import; the module's C functions behind it are internal.
//
//   import { createEngine, validateFeed, VouchError } from '/engine.js';
//   const engine = await createEngine(feedText);
//   const proof = engine.socialProof({ product: 'sku-1', locale: 'en' });
//   engine.dispose();
//
// scripts/build-wasm.sh bundles this file twice, each time with one module's
// Emscripten glue behind './engine-module.mjs' (which it writes):
//   web/dist/engine.js             + vouch-engine.wasm      every call
//   web/dist/storefront-engine.js  + vouch-storefront.wasm  feed + social proof
// The storefront module is what a shopper's product page loads (the widget),
// within the size budget; its match/attribute/report throw VouchError
// engine.not_in_module. See docs/wasm.md.

import { createVouchModule, WASM_FILE } from './engine-module.mjs';
// bindings.cpp writes successful results as this prefix + the result + "}",
// so the result text can be cut out without re-serialising it.
const OK_PREFIX = '{"ok":true,"result":';

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

/** An error from the engine: a stable code, the JSON Pointer of the fault and a message. */
export class VouchError extends Error {
  /**
   * @param {ErrorInfo} error
   * @param {ErrorInfo[]} [errors] every error found (a bad feed has several)
   */
  constructor(error, errors) {
    super(error.message);
    this.name = 'VouchError';
    /** @type {string} */ this.code = error.code;
    /** @type {string} */ this.path = error.path;
    /** @type {ErrorInfo[]} */ this.errors = errors ?? [error];
  }
}

const modules = new Map();

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
    loading = instantiate(options);
    modules.set(key, loading);
    // A failed load (offline, blocked by CSP) may be retried later.
    loading.catch(() => modules.delete(key));
  }
  return loading;
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

// Calls the module's vouch_NAME with numbers as they are and each text as a
// (pointer, byte length) pair of UTF-8 in the module's memory, freed after
// the call; returns the result text (see wasm/bindings.cpp).
function callModule(module, name, ...args) {
  const allocated = [];
  try {
    const values = [];
    for (const arg of args) {
      if (typeof arg === 'number') {
        values.push(arg);
        continue;
      }
      const bytes = typeof arg === 'string' ? encoder.encode(arg) : arg instanceof Uint8Array ? arg : new Uint8Array(arg);
      const pointer = module._malloc(Math.max(1, bytes.length));
      if (!pointer)
        throw new VouchError({ code: 'internal.out_of_memory', path: '',
          message: `the engine has no memory for ${bytes.length} bytes of input` });
      allocated.push(pointer);
      module.HEAPU8.set(bytes, pointer);
      values.push(pointer, bytes.length);
    }
    const result = module[`_vouch_${name}`](...values);
    // HEAPU8 is read after the call: the memory may have grown during it.
    return decoder.decode(module.HEAPU8.subarray(result, result + module._vouch_result_size()));
  } finally {
    for (const pointer of allocated) module._free(pointer);
  }
}

// Unwraps {"ok":true,"result":...} to the result's JSON text, or throws.
function unwrap(envelope) {
  if (envelope.startsWith(OK_PREFIX)) return envelope.slice(OK_PREFIX.length, -1);
  const failure = JSON.parse(envelope);
  throw new VouchError(failure.error, failure.errors);
}

// Frees the C++ side of engines that were dropped without dispose().
const finalizer = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ module, handle }) => callModule(module, 'free_engine', handle))
  : null;

/**
 * Loads a feed into a new engine. Throws VouchError when the feed is invalid
 * (error = the first fault, errors = all of them).
 * @param {JsonInput} feed
 * @param {LoadOptions} [options]
 */
export async function createEngine(feed, options = {}) {
  const module = await loadEngineModule(options);
  const loaded = JSON.parse(unwrap(callModule(module, 'load_engine', toJsonText(feed, 'feed'))));
  const handle = loaded.handle;
  let disposed = false;

  // One engine call: the result as the engine's exact JSON text.
  const call = (name, ...texts) => {
    if (typeof module[`_vouch_${name}`] !== 'function')
      throw new VouchError({ code: 'engine.not_in_module', path: '',
        message: `${name} is not in ${WASM_FILE}: import engine.js (the module with every engine) to use it` });
    return unwrap(callModule(module, name, handle, ...texts));
  };

  // Each engine call, returning the result as the engine's exact JSON text
  // (byte-identical to the CLI's output in compact form).
  const raw = {
    /** @param {JsonInput} query @param {ClockOptions} [clock] @returns {string} */
    socialProof: (query, clock = {}) =>
      call('social_proof', toJsonText(query, 'query'), toNowText(clock.now)),
    /** @param {JsonInput} brief @param {ClockOptions} [clock] @returns {string} */
    match: (brief, clock = {}) => call('match', toJsonText(brief, 'brief'), toNowText(clock.now)),
    /** @param {JsonInput} touches @param {JsonInput} orders @param {JsonInput} [config] @param {ClockOptions} [clock] @returns {string} */
    attribute: (touches, orders, config = null, clock = {}) =>
      call('attribute', toJsonText(touches, 'touches'), toJsonText(orders, 'orders'),
        toJsonText(config, 'config'), toNowText(clock.now)),
    /** @param {JsonInput} touches @param {JsonInput} orders @param {JsonInput} [config] @returns {string} */
    report: (touches, orders, config = null) =>
      call('report', toJsonText(touches, 'touches'), toJsonText(orders, 'orders'), toJsonText(config, 'config')),
  };

  const engine = {
    /** @type {FeedCounts} */
    counts: loaded.counts,
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
    attribution() {
      const session = JSON.parse(call('attribution_open')).session;
      const add = (orders, chunk) => JSON.parse(call('attribution_add', session, orders,
        toJsonLines(chunk, orders ? 'orders' : 'touches')));
      const finish = (report, config, now) => JSON.parse(call('attribution_finish', session, report,
        toJsonText(config ?? null, 'config'), now));
      return {
        /** @param {object[] | string | Uint8Array} chunk @returns {{touches: number, orders: number}} so far */
        addTouches: (chunk) => add(0, chunk),
        /** @param {object[] | string | Uint8Array} chunk @returns {{touches: number, orders: number}} so far */
        addOrders: (chunk) => add(1, chunk),
        /** Credits per order, as attribute(). @param {JsonInput} [config] @param {ClockOptions} [clock] */
        attribute: (config, clock = {}) => finish(0, config, toNowText(clock.now)),
        /** The report, as report(). @param {JsonInput} [config] */
        report: (config) => finish(1, config, ''),
        /** Ends the session without a result. Idempotent. */
        dispose: () => { call('attribution_close', session); },
      };
    },
    /** Bytes of WebAssembly memory in use by the module (shared by its engines). */
    memoryBytes: () => module._vouch_memory_bytes(),
    /** Frees the feed. Later calls throw VouchError engine.unknown_handle. Idempotent. */
    dispose() {
      if (disposed) return;
      disposed = true;
      finalizer?.unregister(engine);
      callModule(module, 'free_engine', handle);
    },
  };
  finalizer?.register(engine, { module, handle }, engine);
  return engine;
}

/**
 * Validates a feed without keeping it: the document of `vouch validate FEED --json`.
 * Resolves (does not throw) for an invalid feed.
 * @param {JsonInput} feed
 * @param {LoadOptions} [options]
 * @returns {Promise<FeedValidation>}
 */
export async function validateFeed(feed, options = {}) {
  const module = await loadEngineModule(options);
  return JSON.parse(unwrap(callModule(module, 'validate_feed', toJsonText(feed, 'feed'))));
}
