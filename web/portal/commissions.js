// Commissions: one line per order the creator was credited with, pending
// until the refund window ends, then approved, then paid; a refund claws back
// as its own line. Filter by state; totals are every line's, whatever the range.
import { api } from './api.js';
import { h } from '../shared/dom.js';
import { lastDays } from './dates.js';
import { errorBox } from './errors.js';
import { t } from './i18n.js';

function line(l, { format, money }) {
  const clawback = l.kind === 'clawback';
  return h('li', { class: `line ${l.state}${clawback ? ' clawback' : ''}`, 'data-order': l.order_id, 'data-state': l.state },
    h('div', { class: 'what' },
      h('strong', {}, clawback ? t('commissions.refundOf', { order: l.order_id }) : t('commissions.order', { order: l.order_id })),
      h('span', { class: 'muted' }, format.date(l.at)),
      l.campaign ? h('span', { class: 'tag' }, l.campaign) : null,
      l.src ? h('span', { class: 'tag' }, l.src) : null),
    h('div', { class: 'amount' }, h('span', { class: 'money' }, money(l.amount)),
      h('span', { class: `state ${l.state}` }, t(`state.${l.state}`))),
    h('p', { class: 'hint' },
      l.state === 'pending' ? t('commissions.approvesOn', { date: format.date(l.approves_at) })
        : l.state === 'paid' ? t('commissions.paidIn', { payout: l.payout })
          : t('commissions.approvedNote'),
      ' · ', t('commissions.revenue', { revenue: money(l.revenue) })));
}

export async function render(container, ctx) {
  const { me, money } = ctx;
  const range = lastDays(366, new Date(me.now));
  const data = await api(`/v1/portal/commissions?from=${range.from}&to=${range.to}`);
  const list = h('ul', { class: 'lines', id: 'commission-lines' });
  const filter = h('select', { id: 'state-filter' },
    ['all', 'pending', 'approved', 'paid'].map((s) => h('option', { value: s }, s === 'all' ? t('commissions.all') : t(`state.${s}`))));
  const draw = () => {
    const shown = data.lines.filter((l) => filter.value === 'all' || l.state === filter.value);
    list.replaceChildren(...(shown.length ? shown.map((l) => line(l, ctx)) : [h('li', { class: 'empty' }, t('commissions.none'))]));
  };
  filter.addEventListener('change', draw);
  container.append(
    h('p', { class: 'lede' }, t('commissions.explain', { days: data.refund_window_days })),
    h('dl', { class: 'totals' },
      ['pending', 'approved', 'paid'].map((s) => h('div', {}, h('dt', {}, t(`state.${s}`)), h('dd', {}, money(data.totals[s]))))),
    h('p', { class: 'toolbar' }, h('label', { for: 'state-filter' }, t('commissions.show')), filter),
    list);
  try { draw(); } catch (error) { container.append(errorBox(error)); }
}
