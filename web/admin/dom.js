// Builds DOM nodes from data without ever parsing it as HTML: shop content
// (reviews, handles) is untrusted and reaches the page only as text.

/**
 * h('td', {class: 'num', 'aria-sort': 'none'}, 'text', node, [more])
 * Attributes whose value is null/false are left out; on* values must be functions.
 * @param {string} tag
 * @param {Record<string, any>} [attributes]
 * @param {...any} children strings, numbers, nodes, arrays of them, null
 * @returns {HTMLElement}
 */
export function h(tag, attributes = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    // Through the CSSOM: the dashboard's CSP (default-src 'self') refuses style attributes.
    else if (name === 'style') el.style.cssText = String(value);
    else if (name in el && typeof value !== 'string') el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Says something to screen-reader users without moving focus. */
export function announce(text) {
  const region = document.getElementById('announce');
  region.textContent = '';
  setTimeout(() => { region.textContent = text; }, 30);
}

/** An error shown in words, with what to do about it. */
export function errorBox(error, what) {
  return h('div', { class: 'notice error', role: 'alert' },
    h('strong', {}, what ? `Could not ${what}. ` : 'Something went wrong. '),
    error.message || String(error),
    error.code ? h('span', { class: 'code' }, ` (${error.code})`) : null);
}

/** Offers a text file for download (CSV exports). */
export function download(filename, text, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A link target from feed data: http(s) or a same-site path, never javascript: or data:. */
export function safeUrl(url) {
  if (typeof url !== 'string' || !url) return null;
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch (_) {
    return null;
  }
}
