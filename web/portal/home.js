// Home: what the creator has earned (pending, approved, paid), the last 30
// days at a glance, and their codes, each a tap from the page that has more.
import { api } from './api.js';
import { h } from '../shared/dom.js';
import { t } from './i18n.js';
import { lastDays } from './dates.js';

export async function render(container, { me, format, money }) {
  const range = lastDays(30, new Date(me.now));
  const results = await api(`/v1/portal/performance?from=${range.from}&to=${range.to}`);
  const b = me.balances;
  const card = (label, value, note, href) => h('a', { class: 'card', href },
    h('span', { class: 'label' }, label), h('span', { class: 'value' }, value), note ? h('span', { class: 'note' }, note) : null);
  container.append(
    h('p', { class: 'lede' }, t('home.hello', { name: me.creator.name || `@${me.creator.handle}` })),
    h('h2', {}, t('home.earnings')),
    h('div', { class: 'cards' },
      card(t('state.pending'), money(b.pending), t('home.pendingNote', { days: me.refund_window_days }), '#/commissions'),
      card(t('state.approved'), money(b.approved), t('home.approvedNote'), '#/payouts'),
      card(t('state.paid'), money(b.paid), null, '#/payouts')),
    h('h2', {}, t('home.last30')),
    h('div', { class: 'cards' },
      card(t('metric.clicks'), format.count(results.totals.clicks), null, '#/performance'),
      card(t('metric.orders'), format.count(results.totals.orders), null, '#/performance'),
      card(t('metric.revenue'), money(results.totals.revenue), null, '#/performance'),
      card(t('metric.commission'), money(results.totals.commission), null, '#/commissions')),
    h('h2', {}, t('home.codes')),
    h('ul', { class: 'codes' }, me.creator.codes.map((code) => h('li', {}, h('code', {}, code)))),
    h('p', {}, h('a', { class: 'button', href: '#/links' }, t('home.buildLink'))));
}
