// The only way the widget and the dashboard build DOM. Text goes in as text
// nodes, never as HTML; href and src must be links the core accepts
// (safeUrl); other attributes come from a fixed allow-list, and listeners only
// from functions, so data from a feed, a review or the server can never add an
// event handler, a style or a script URL.
import { LINK_FORBIDDEN, LINK_MAX_BYTES } from './rules.js';

const ATTRIBUTES = new Set([
  'class', 'id', 'role', 'type', 'title', 'lang', 'tabindex', 'hidden', 'disabled', 'for', 'name',
  'value', 'alt', 'width', 'height', 'loading', 'decoding', 'rel', 'target', 'datetime', 'part',
  'checked', 'selected', 'open', 'min', 'max', 'step', 'required', 'maxlength', 'autocomplete', 'novalidate',
  'rows', 'accept', 'multiple', 'placeholder', 'spellcheck', 'inputmode', 'scope', 'colspan', 'rowspan', 'download',
  'size', 'readonly',
  'aria-label', 'aria-labelledby', 'aria-describedby', 'aria-hidden', 'aria-pressed', 'aria-live',
  'aria-roledescription', 'aria-controls', 'aria-current', 'aria-modal', 'aria-valuenow', 'aria-valuemin',
  'aria-valuemax', 'aria-valuetext', 'aria-invalid', 'aria-haspopup', 'aria-sort',
]);
const DATA = /^data-[a-z0-9-]+$/;

const encoder = new TextEncoder();

/**
 * A link the core's feed reader accepts (core/input/rules.hpp
 * is_link_url: http(s), or a path on the site, not "//host"), resolved
 * against the page; null for anything else (javascript:, data:, blob:,
 * "//evil.example", "p/1", a space or a quote inside, over LINK_MAX_BYTES).
 * @param {unknown} value
 * @returns {string | null}
 */
export function safeUrl(value) {
  if (!isLinkUrl(value)) return null;
  try {
    return new URL(value, location.href).href;
  } catch (_) {
    return null;   // "https://" with no host
  }
}

/** The core's is_link_url on a string (tests/web/rules.test.mjs runs both on one table). */
export function isLinkUrl(value) {
  if (typeof value !== 'string' || !value || encoder.encode(value).length > LINK_MAX_BYTES) return false;
  if (!/^https?:\/\//i.test(value) && !/^\/(?!\/)/.test(value)) return false;
  for (const c of value) if (c <= ' ' || LINK_FORBIDDEN.includes(c)) return false;
  return true;
}

/** Text for the page, cut to `max` characters so a 1 MB review cannot blow up the layout. */
export function clip(value, max) {
  const text = typeof value === 'string' ? value : value == null ? '' : String(value);
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/**
 * h('td', {class: 'num', 'data-key': 'aov', onclick: fn}, 'text', node, [more])
 * Attributes: null, undefined and false are left out, true is present, other
 * values are written as text; href/src only through safeUrl; on* names take
 * listener functions only; data-* and the allow-list; anything else is dropped.
 * @param {string} tag
 * @param {Record<string, any>} [attributes]
 * @param {...any} children strings, numbers, nodes, arrays of them, null/false
 * @returns {HTMLElement}
 */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value == null || value === false) continue;
    if (name === 'href' || name === 'src') {
      const url = safeUrl(value);
      if (url) element.setAttribute(name, url);
    } else if (/^on[a-z]+$/.test(name)) {
      if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    } else if (ATTRIBUTES.has(name) || DATA.test(name)) {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : String(child));
  }
}
