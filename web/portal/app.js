// The creator portal (docs/portal.md): a creator's own links, results,
// commissions, payouts and campaign tasks, phone first. Opening a magic link
// (/portal/#token=…) spends its token for a session cookie and lands on
// /portal/; each page then reads /v1/portal/* with that cookie. Plain ES2020
// modules, no framework; a page module exports render(container, context).
import { api, setCsrf, whenSignedOut } from './api.js';
import { h } from '../shared/dom.js';
import { createFormat } from '../shared/format.js';
import { errorBox } from './errors.js';
import { LANGUAGES, language, setLanguage, t } from './i18n.js';

const PAGES = {
  home: () => import('./home.js'),
  links: () => import('./links.js'),
  performance: () => import('./performance.js'),
  commissions: () => import('./commissions.js'),
  payouts: () => import('./payouts.js'),
  campaigns: () => import('./campaigns.js'),
  account: () => import('./account.js'),
};

const $ = (id) => document.getElementById(id);
let me = null;
let generation = 0;

/** What every page gets: the creator, formats in the chosen language, and a way to reload `me`. */
function context() {
  const format = createFormat(language());
  const currency = me.store.currency;
  return {
    me, format,
    money: (value) => (value == null ? '—' : format.money(value, currency)),
    refresh: loadMe,
  };
}

// Spends the link's token (the fragment never reaches a server) and forgets it.
async function spendToken() {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (!token) return null;
  history.replaceState(null, '', '/portal/');
  try {
    await api('/v1/portal/sessions', { method: 'POST', body: { token }, quiet401: true });
    return null;
  } catch (error) {
    return error;
  }
}

async function loadMe() {
  me = await api('/v1/portal/me', { quiet401: true });
  setCsrf(me.csrf);
  $('creator-name').textContent = me.creator.name || `@${me.creator.handle}`;
  $('store-name').textContent = me.store.name;
  return me;
}

function showSignIn(error) {
  me = null;
  $('nav').hidden = true;
  $('page').replaceChildren();
  $('creator-name').textContent = '';
  import('./sign-in.js').then((module) => module.render($('page'), error));
  document.title = `${t('signIn.title')} · Vouch`;
}

async function route() {
  const id = ++generation;
  if (!me) return;
  const name = (location.hash.match(/^#\/([a-z]+)/) || [])[1] || 'home';
  if (!PAGES[name]) { location.replace('#/home'); return; }
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.page !== name) { link.removeAttribute('aria-current'); continue; }
    link.setAttribute('aria-current', 'page');
    link.scrollIntoView({ block: 'nearest', inline: 'nearest' });   // on a phone the tabs scroll sideways
  }
  const title = t(`nav.${name}`);
  document.title = `${title} · ${me.store.name}`;
  const container = h('section', { class: 'page', 'aria-labelledby': 'page-title' }, h('h1', { id: 'page-title' }, title));
  $('page').replaceChildren(container);
  try {
    const module = await PAGES[name]();
    if (id === generation) await module.render(container, context());
  } catch (error) {
    if (id === generation) container.append(errorBox(error));
  }
  $('main').focus({ preventScroll: true });
}

function drawChrome() {
  document.documentElement.lang = language();
  for (const link of document.querySelectorAll('#nav a')) link.textContent = t(`nav.${link.dataset.page}`);
  $('skip').textContent = t('skip');
  $('nav').setAttribute('aria-label', t('nav.label'));
  const select = $('language');
  select.replaceChildren(...Object.entries(LANGUAGES).map(([code, name]) =>
    h('option', { value: code, selected: code === language() }, name)));
  $('language-label').textContent = t('language');
}

async function start() {
  drawChrome();
  $('language').addEventListener('change', (event) => { setLanguage(event.target.value); drawChrome(); me ? route() : showSignIn(); });
  whenSignedOut(() => showSignIn({ code: 'portal.signed_out' }));
  const refused = await spendToken();
  try {
    await loadMe();
  } catch (error) {
    return showSignIn(refused || (error.status === 401 ? null : error));
  }
  $('nav').hidden = false;
  window.addEventListener('hashchange', route);
  route();
}

start();
