// Account: where payouts go (the PayPal or Wise e-mail), the browsers signed
// in (any of them can be signed out; the store owner can sign out all), and
// signing out.
import { api } from './api.js';
import { h } from '../shared/dom.js';
import { announce, errorBox } from './errors.js';
import { t } from './i18n.js';

export async function render(container, ctx) {
  const { me, format } = ctx;
  const email = h('input', { id: 'payout-email', type: 'email', autocomplete: 'email', value: me.payout_email || '',
    spellcheck: 'false', 'aria-describedby': 'payout-email-status' });
  const saved = h('p', { id: 'payout-email-status', role: 'status' });
  const sessions = h('ul', { class: 'sessions', id: 'sessions' });
  const drawSessions = async () => {
    const { sessions: list } = await api('/v1/portal/sessions');
    sessions.replaceChildren(...list.map((s) => h('li', { 'data-session': s.id },
      h('span', {}, s.agent || t('account.unknownDevice'), s.current ? h('span', { class: 'tag' }, t('account.thisDevice')) : null),
      h('span', { class: 'muted' }, t('account.lastSeen', { date: format.dateTime(s.last_seen_at) })),
      h('button', { type: 'button', class: 'secondary', onclick: async () => {
        await api('/v1/portal/sessions/end', { method: 'POST', body: { id: s.id } });
        if (s.current) location.reload();
        else { announce(t('account.ended')); drawSessions(); }
      } }, t('account.signOutDevice')))));
  };
  container.append(
    h('h2', {}, t('account.payoutEmail')),
    h('form', { class: 'stack', novalidate: true, onsubmit: async (event) => {
      event.preventDefault();
      if (email.value && !email.checkValidity()) { saved.textContent = t('signIn.badEmail'); return; }
      try {
        await api('/v1/portal/profile', { method: 'POST', body: { payout_email: email.value.trim() } });
        saved.textContent = t('account.saved');
        await ctx.refresh();
      } catch (error) {
        saved.replaceChildren(errorBox(error));
      }
    } }, h('label', { for: 'payout-email' }, t('account.payoutEmailLabel')), email,
    h('button', { type: 'submit' }, t('account.save')), saved),
    h('h2', {}, t('account.sessions')), sessions,
    h('p', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', id: 'sign-out-all', onclick: async () => {
        await api('/v1/portal/sessions/end', { method: 'POST', body: { all: true } });
        location.reload();
      } }, t('account.signOutAll')),
      h('button', { type: 'button', id: 'sign-out', onclick: async () => {
        await api('/v1/portal/sign-out', { method: 'POST', body: {} });
        location.reload();
      } }, t('account.signOut'))));
  try { await drawSessions(); } catch (error) { container.append(errorBox(error)); }
}
