// Signed out: why (a used or expired link, a session ended elsewhere), and a
// form asking for a new link by e-mail. The server answers the same whether
// or not it knows the address (no one learns who the store's creators are);
// the link goes through the store's mailer, or the store gives it by hand.
import { api } from './api.js';
import { h } from '../shared/dom.js';
import { t } from './i18n.js';
import { explain } from './errors.js';

export function render(page, error) {
  const status = h('p', { id: 'sign-in-status', role: 'status' });
  const email = h('input', { id: 'email', type: 'email', name: 'email', autocomplete: 'email', required: true,
    inputmode: 'email', spellcheck: 'false', 'aria-describedby': 'sign-in-status' });
  const button = h('button', { type: 'submit' }, t('signIn.send'));
  const form = h('form', { novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    if (!email.value.trim() || !email.checkValidity()) {
      status.className = 'error';
      status.textContent = t('signIn.badEmail');
      return;
    }
    button.disabled = true;
    status.className = '';
    status.textContent = t('signIn.sending');
    try {
      await api('/v1/portal/links', { method: 'POST', body: { email: email.value.trim() }, quiet401: true });
      status.textContent = t('signIn.sent');
    } catch (e) {
      status.className = 'error';
      status.textContent = explain(e);
    } finally {
      button.disabled = false;
    }
  } }, h('label', { for: 'email' }, t('signIn.email')), email, button, status);
  page.replaceChildren(h('section', { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, t('signIn.title')),
    error ? h('p', { class: 'notice warn', role: 'alert' }, explain(error)) : null,
    h('p', {}, t('signIn.intro')),
    form));
}
