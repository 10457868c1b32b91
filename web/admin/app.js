// The store owner's dashboard: sign-in with the admin token, then the pages
// chosen by the URL hash (#/performance, #/find, #/moderation, #/requests,
// #/creators, #/payouts, #/install).
// Plain ES2020 modules, no framework; each page module exports
// render(container) and returns an optional cleanup function.
import { api, clearToken, feed, getToken, setToken, whenUnauthorized } from './api.js';
import { errorBox, h } from './dom.js';
import { setStoreFormat } from './format.js';

const PAGES = {
  performance: { title: 'Performance', load: () => import('./performance.js') },
  find: { title: 'Find influencers', load: () => import('./find.js') },
  moderation: { title: 'Moderation', load: () => import('./moderation.js') },
  requests: { title: 'Review requests', load: () => import('./review-requests.js') },
  creators: { title: 'Creators', load: () => import('./creators.js') },
  payouts: { title: 'Payouts', load: () => import('./payouts.js') },
  install: { title: 'Install', load: () => import('./install.js') },
};

const $ = (id) => document.getElementById(id);
let cleanup = null;
let generation = 0;

function showLogin(message) {
  $('nav').hidden = true;
  $('logout').hidden = true;
  $('page').replaceChildren();
  $('login').hidden = false;
  $('login-error').textContent = message || '';
  document.title = 'Sign in · Vouch dashboard';
  $('token').focus();
}

async function signIn(event) {
  event.preventDefault();
  const token = $('token').value.trim();
  const error = $('login-error');
  if (!token) {
    error.textContent = 'Enter the admin token: the dashboard cannot be opened without it.';
    return;
  }
  error.textContent = 'Checking…';
  try {
    await api('/v1/admin/events/summary', { token });
  } catch (e) {
    error.textContent = e.message;
    return;
  }
  setToken(token);
  $('token').value = '';
  if (!location.hash || location.hash === '#/') location.hash = '#/performance';
  route();
}

async function route() {
  const id = ++generation;
  if (cleanup) { cleanup(); cleanup = null; }
  if (!getToken()) return showLogin();
  $('login').hidden = true;
  $('nav').hidden = false;
  $('logout').hidden = false;
  const name = (location.hash.match(/^#\/([a-z]+)/) || [])[1];
  if (!PAGES[name]) { location.replace('#/performance'); return; }
  const page = PAGES[name];
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.page === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${page.title} · Vouch dashboard`;
  const container = h('section', { class: 'page', 'aria-labelledby': 'page-title' },
    h('h1', { id: 'page-title' }, page.title));
  $('page').replaceChildren(container);
  try {
    const store = (await feed()).json.store || {};
    setStoreFormat(store);
    $('store-name').textContent = store.name || '';
    const module = await page.load();
    if (id !== generation) return;
    cleanup = (await module.render(container)) || null;
  } catch (e) {
    if (id === generation) container.append(errorBox(e, `open ${page.title}`));
  }
  refreshPendingCount();
}

async function refreshPendingCount() {
  try {
    const { total_pending: total } = await api('/v1/admin/moderation');
    const badge = $('pending-count');
    badge.hidden = !total;
    badge.textContent = String(total);
    badge.setAttribute('aria-label', `${total} pending`);
  } catch (_) { /* the page itself shows errors */ }
}

whenUnauthorized(() => {
  clearToken();
  showLogin('The server no longer accepts your token (it may have restarted with a new one). Sign in again.');
});
$('login-form').addEventListener('submit', signIn);
$('logout').addEventListener('click', () => { clearToken(); location.hash = ''; showLogin('You are signed out.'); });
window.addEventListener('hashchange', route);
document.addEventListener('vouch:moderated', refreshPendingCount);
route();
