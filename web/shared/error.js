// The one error class of the widget, the engine's JavaScript API and the
// dashboard: a stable code, the JSON Pointer of the fault and a message.
//
// The engine's bundle (storefront-engine.js, engine.js) and the widget's each
// hold a copy of this class, and an engine in a Worker sends its errors as
// plain data; so `instanceof VouchError` asks for the shape (the name and a
// string code), not for one copy's prototype: it is true for every copy and
// for an error rebuilt from a Worker's message alike.

/**
 * @typedef {{code: string, path: string, message: string}} ErrorInfo
 */
export class VouchError extends Error {
  /**
   * @param {ErrorInfo} error
   * @param {ErrorInfo[]} [errors] every error found (a bad feed has several)
   */
  constructor(error, errors) {
    super(error.message);
    this.name = 'VouchError';
    /** @type {string} */ this.code = error.code;
    /** @type {string} */ this.path = error.path || '';
    /** @type {ErrorInfo[]} */ this.errors = errors || [error];
  }

  static [Symbol.hasInstance](value) {
    return value instanceof Error && value.name === 'VouchError' && typeof value.code === 'string';
  }
}
