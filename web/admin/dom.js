// The dashboard's DOM: the one builder the widget uses too (web/shared/dom.js:
// text as text, links through safeUrl, attributes from an allow-list), and a
// few things only the dashboard does.
import { h } from '../shared/dom.js';

export { h, safeUrl } from '../shared/dom.js';

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
  const a = h('a', { download: filename, hidden: true });
  a.href = url;   // a blob: URL this page made, which safeUrl rightly refuses from data
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
