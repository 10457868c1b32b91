// Talks to `vouch serve` (docs/server.md): the admin token from this tab's
// sessionStorage as a bearer token, and every failure turned into a
// VouchError with a sentence a store owner can act on and the server's code.

import { VouchError } from '../shared/error.js';

const TOKEN_KEY = 'vouch-admin-token';

export const getToken = () => { try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch (_) { return ''; } };
export const setToken = (token) => { try { sessionStorage.setItem(TOKEN_KEY, token); } catch (_) { /* private mode */ } };
export const clearToken = () => { try { sessionStorage.removeItem(TOKEN_KEY); } catch (_) { /* private mode */ } };

// The server's {code, message} (and the HTTP status) as the one error class.
function apiError(message, code, status) {
  return Object.assign(new VouchError({ code, path: '', message }), { status });
}

// Called when the server refuses the token (another tab logged out, the
// server restarted with a new generated token).
let onUnauthorized = () => {};
export const whenUnauthorized = (callback) => { onUnauthorized = callback; };

/**
 * @param {string} path e.g. '/v1/reports/influencers?from=2026-10-01'
 * @param {{method?: string, body?: any, token?: string}} [options]
 */
export async function api(path, options = {}) {
  const token = options.token ?? getToken();
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method: options.method || 'GET', headers, cache: 'no-store',
      body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  } catch (_) {
    throw apiError('The server did not answer. Is `vouch serve` still running?', 'network.unreachable', 0);
  }
  let body = null;
  try { body = await response.json(); } catch (_) { /* not JSON */ }
  if (response.ok) return body;
  const error = body && body.error ? body.error : {};
  const code = error.code || `http.${response.status}`;
  if (response.status === 401 && !options.token) onUnauthorized();
  throw apiError(explain(code, error.message, response.status), code, response.status);
}

function explain(code, message, status) {
  switch (code) {
    case 'auth.missing_token': return 'You are not signed in: enter the admin token.';
    case 'auth.invalid_token': return 'The server refused this admin token. Check that you copied all of it (the server prints a new one at each start unless --admin-token or VOUCH_ADMIN_TOKEN is set).';
    case 'engine.not_built': return 'The attribution engine is not built into this server.';
    case 'store.unavailable': return 'The database is busy or unavailable; try again in a moment.';
    default: return message || `The server answered with HTTP status ${status}.`;
  }
}

let feedPromise = null;
/**
 * The roster (GET /v1/admin/roster, admin token): the store, its products,
 * every influencer with the private fields matching needs, and the
 * endorsements, as a feed without UGC. Fetched once per page load unless
 * refreshed.
 */
export function feed(refresh = false) {
  if (!feedPromise || refresh) {
    const token = getToken();
    feedPromise = fetch('/v1/admin/roster', { cache: 'no-store', headers: token ? { authorization: `Bearer ${token}` } : {} }).then(async (response) => {
      if (!response.ok) throw apiError(`The roster could not be loaded (HTTP ${response.status}).`, 'roster.unavailable', response.status);
      const text = await response.text();
      return { text, json: JSON.parse(text) };
    });
    feedPromise.catch(() => { feedPromise = null; });
  }
  return feedPromise;
}
