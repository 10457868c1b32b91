// Talks to `vouch serve` for the signed-in creator (docs/portal.md): the
// session is an HttpOnly cookie this script never sees; every change also
// carries the session's CSRF token (X-Vouch-CSRF, from GET /v1/portal/me).
// Every failure becomes a VouchError with the server's code and a status.
import { VouchError } from '../shared/error.js';

let csrf = '';
export const setCsrf = (token) => { csrf = token || ''; };

let onSignedOut = () => {};
/** Called when the server no longer knows the session (ended, expired). */
export const whenSignedOut = (callback) => { onSignedOut = callback; };

/**
 * @param {string} path e.g. '/v1/portal/commissions?from=2026-10-01'
 * @param {{method?: string, body?: any, quiet401?: boolean}} [options]
 */
export async function api(path, options = {}) {
  const method = options.method || 'GET';
  const headers = { accept: 'application/json' };
  if (method !== 'GET') headers['x-vouch-csrf'] = csrf;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin', cache: 'no-store',
      body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  } catch (_) {
    throw failure('network.unreachable', '', 0);
  }
  let body = null;
  try { body = await response.json(); } catch (_) { /* not JSON */ }
  if (response.ok) return body;
  const error = (body && body.error) || {};
  if (response.status === 401 && !options.quiet401) onSignedOut(error.code);
  throw failure(error.code || `http.${response.status}`, error.message || '', response.status);
}

function failure(code, message, status) {
  return Object.assign(new VouchError({ code, path: '', message }), { status });
}
