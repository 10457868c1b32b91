// Types of web/src/engine.js, the public API of the Vouch WebAssembly engine.

export interface ErrorInfo {
  code: string;
  path: string;
  message: string;
}

export declare class VouchError extends Error {
  readonly name: 'VouchError';
  readonly code: string;
  readonly path: string;
  /** Every error found; a bad feed reports several. */
  readonly errors: ErrorInfo[];
  constructor(error: ErrorInfo, errors?: ErrorInfo[]);
}

/** JSON text, its UTF-8 bytes, or a value JSON.stringify accepts. */
export type JsonInput = string | Uint8Array | ArrayBuffer | object | null;

export interface LoadOptions {
  /** The bytes of the module's .wasm (node reads them itself when absent). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Where to fetch the .wasm from; default: next to engine.js / storefront-engine.js. */
  locateFile?: (path: string, scriptDirectory: string) => string;
}

export interface ClockOptions {
  /** RFC 3339 time or Date; the current time when absent. */
  now?: string | Date;
}

export interface FeedCounts {
  products: number;
  influencers: number;
  endorsements: number;
  ugc: number;
}

export interface FeedValidation {
  valid: boolean;
  errors: ErrorInfo[];
  truncated: boolean;
  counts?: FeedCounts;
}

/** The engine calls returning the engine's exact JSON text. */
export interface RawEngine {
  socialProof(query: JsonInput, clock?: ClockOptions): string;
  match(brief: JsonInput, clock?: ClockOptions): string;
  attribute(touches: JsonInput, orders: JsonInput, config?: JsonInput, clock?: ClockOptions): string;
  report(touches: JsonInput, orders: JsonInput, config?: JsonInput): string;
}

/** Touches or orders: an array, or JSON lines (one per line) as text or bytes. */
export type JsonLinesInput = object[] | string | Uint8Array | ArrayBuffer;

/**
 * Attribution in chunks (Engine.attribution()), for journeys too large for one
 * call. attribute() and report() end the session, as does a bad line.
 */
export interface AttributionSession {
  /** Counts received so far. */
  addTouches(chunk: JsonLinesInput): { touches: number; orders: number };
  addOrders(chunk: JsonLinesInput): { touches: number; orders: number };
  attribute(config?: JsonInput, clock?: ClockOptions): any[];
  report(config?: JsonInput): any;
  dispose(): void;
}

export interface Engine {
  readonly counts: FeedCounts;
  readonly raw: RawEngine;
  socialProof(query: JsonInput, clock?: ClockOptions): any;
  match(brief: JsonInput, clock?: ClockOptions): any;
  attribute(touches: JsonInput, orders: JsonInput, config?: JsonInput, clock?: ClockOptions): any[];
  report(touches: JsonInput, orders: JsonInput, config?: JsonInput): any;
  attribution(): AttributionSession;
  memoryBytes(): number;
  dispose(): void;
}

export declare function loadEngineModule(options?: LoadOptions): Promise<unknown>;
export declare function createEngine(feed: JsonInput, options?: LoadOptions): Promise<Engine>;
export declare function validateFeed(feed: JsonInput, options?: LoadOptions): Promise<FeedValidation>;
