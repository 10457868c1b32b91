// First-party storage for the loader: localStorage under "vouch:" keys and
// cookies on the shop's registrable domain. Every call survives blocked or
// full storage (private mode, sandboxed iframes) by doing nothing.

import { REFERRAL_CODE, SOURCE_TAG } from '../shared/rules.js';

const PREFIX = 'vouch:';

export function readLocal(key, fallback) {
  try {
    const text = localStorage.getItem(PREFIX + key);
    return text == null ? fallback : JSON.parse(text);
  } catch (_) {
    return fallback;
  }
}

export function writeLocal(key, value) {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(value));
    return true;
  } catch (_) {
    return false;
  }
}

export function removeLocal(key) {
  try { localStorage.removeItem(PREFIX + key); } catch (_) { /* storage blocked */ }
}

// Every "vouch:" key: what a withdrawal of consent erases.
export function clearLocal() {
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith(PREFIX)) localStorage.removeItem(key);
  } catch (_) { /* storage blocked */ }
}

export function readCookie(name) {
  try {
    for (const part of document.cookie.split('; ')) {
      const eq = part.indexOf('=');
      if (part.slice(0, eq) === name) return decodeURIComponent(part.slice(eq + 1));
    }
  } catch (_) { /* cookies blocked */ }
  return null;
}

// The widest domain the browser accepts is the registrable one ("shop.co.uk"
// for "www.shop.co.uk"): browsers refuse public suffixes, so we try from the
// shortest suffix up, as analytics snippets do, and keep the first that sticks.
let cookieDomain;
export function registrableDomain() {
  if (cookieDomain !== undefined) return cookieDomain;
  cookieDomain = '';
  const host = location.hostname;
  if (!host.includes('.') || /^[\d.]+$/.test(host) || host.includes(':')) return cookieDomain;
  const labels = host.split('.');
  try {
    for (let i = labels.length - 2; i >= 0; i--) {
      const domain = labels.slice(i).join('.');
      document.cookie = `vouch_probe=1;domain=${domain};path=/;max-age=5;samesite=lax`;
      if (readCookie('vouch_probe')) {
        document.cookie = `vouch_probe=;domain=${domain};path=/;max-age=0;samesite=lax`;
        cookieDomain = domain;
        break;
      }
    }
  } catch (_) { /* cookies blocked */ }
  return cookieDomain;
}

// maxAgeSeconds 0 deletes the cookie (same path and domain as it was written with).
export function writeCookie(name, value, maxAgeSeconds) {
  try {
    const domain = registrableDomain();
    const secure = location.protocol === 'https:' ? ';secure' : '';
    document.cookie = `${name}=${encodeURIComponent(value)};path=/;max-age=${maxAgeSeconds};samesite=lax` +
        (domain ? `;domain=${domain}` : '') + secure;
  } catch (_) { /* cookies blocked */ }
}

// A referral code as it may appear in ?ref= or ?via=: a creator code, handle
// or id. Anything else (";", spaces, markup, 10 KB of junk) is refused before
// it can reach a cookie, storage or an event. The rule is the core's kCodeRule.
export function validReferralCode(raw) {
  if (typeof raw !== 'string') return null;
  const code = raw.trim();
  return REFERRAL_CODE.test(code) ? code : null;
}

// The creator's source tag from ?src= (instagram, tiktok, newsletter…), lower
// case; anything outside the core's kSourceTagRule is dropped (null).
export function validSourceTag(raw) {
  return typeof raw === 'string' && SOURCE_TAG.test(raw) ? raw.toLowerCase() : null;
}

export function randomId(prefix) {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  let hex = '';
  for (const b of bytes) hex += (b + 256).toString(16).slice(1);
  return prefix + hex;
}

// RFC 3339 in UTC without fractional seconds, as the server parses it.
export function nowRfc3339(ms = Date.now()) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
