// Payouts: the next payout (the approved balance), the store's minimum, a
// "request payout" button once it is reached, and every payout so far.
import { api } from './api.js';
import { h } from '../shared/dom.js';
import { announce, errorBox } from './errors.js';
import { t } from './i18n.js';

export async function render(container, ctx) {
  const { format, money } = ctx;
  let data = await api('/v1/portal/payouts');
  const body = h('div', {});
  const draw = () => {
    const status = h('p', { id: 'request-status', role: 'status' },
      data.open_request ? t('payouts.requested', { date: format.date(data.open_request.requested_at), amount: money(data.open_request.amount) })
        : data.can_request ? t('payouts.canRequest') : t('payouts.belowMinimum', { minimum: money(data.minimum) }));
    const button = h('button', { type: 'button', id: 'request-payout', disabled: !data.can_request, onclick: async () => {
      button.disabled = true;
      try {
        data = await api('/v1/portal/payouts/request', { method: 'POST', body: {} });
        announce(t('payouts.requestSent'));
        draw();
      } catch (error) {
        body.append(errorBox(error));
        button.disabled = false;
      }
    } }, t('payouts.request'));
    body.replaceChildren(
      h('div', { class: 'cards' },
        h('div', { class: 'card next' }, h('span', { class: 'label' }, t('payouts.next')),
          h('span', { class: 'value', id: 'next-amount' }, money(data.next_amount)),
          h('span', { class: 'note' }, t('payouts.minimum', { minimum: money(data.minimum) }))),
        h('div', { class: 'card' }, h('span', { class: 'label' }, t('state.pending')), h('span', { class: 'value' }, money(data.pending))),
        h('div', { class: 'card' }, h('span', { class: 'label' }, t('state.paid')), h('span', { class: 'value' }, money(data.paid)))),
      h('p', { class: 'actions' }, button), status,
      h('h2', {}, t('payouts.history')),
      h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': t('payouts.history') }, h('table', { class: 'data', id: 'payout-history' },
        h('caption', {}, t('payouts.historyCaption')),
        h('thead', {}, h('tr', {}, [t('payouts.date'), t('payouts.amount'), t('payouts.method'), t('payouts.reference')]
          .map((label, i) => h('th', { scope: 'col', class: i === 1 ? 'num' : null }, label)))),
        h('tbody', {}, data.history.length ? data.history.map((p) => h('tr', { 'data-payout': p.id },
          h('td', {}, format.date(p.paid_at)), h('td', { class: 'num' }, money(p.amount)),
          h('td', {}, t(`method.${p.method}`)), h('td', {}, p.reference || p.id)))
          : h('tr', {}, h('td', { class: 'empty', colspan: 4 }, t('payouts.none')))))));
  };
  container.append(body);
  draw();
}
