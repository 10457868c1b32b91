// A failure in the chosen language: the sentence for the server's error code
// (i18n.js "error.*"), else the server's own message, with the code for support.
import { h } from '../shared/dom.js';
import { t } from './i18n.js';

export function explain(error) {
  const key = `error.${error && error.code}`;
  const text = t(key);
  if (text !== key) return text;
  return (error && error.message) || t('error.unknown');
}

export function errorBox(error) {
  return h('div', { class: 'notice error', role: 'alert' }, explain(error),
    error && error.code ? h('span', { class: 'code' }, ` (${error.code})`) : null);
}

/** Says something to screen-reader users without moving focus. */
export function announce(text) {
  const region = document.getElementById('announce');
  region.textContent = '';
  setTimeout(() => { region.textContent = text; }, 30);
}
