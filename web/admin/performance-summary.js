// Performance, the summary: which orders commission is owed on (the
// report's basis), the orders the engine could not attribute, and the cards
// of the period's totals.
import { h } from './dom.js';
import { integer, money, percent } from './format.js';

const card = (label, value, note, extra = {}) => h('div', Object.assign({ class: 'card' }, extra), h('span', { class: 'label' }, label),
  h('strong', { class: 'value' }, value), note ? h('span', { class: 'note' }, note) : null);

/** Draws `report` into {basis, refused, summary}: the basis notice, the unattributable orders, the cards. */
export function drawSummary({ basis, refused, summary }, report) {
  const t = report.totals;
  const verified = report.commission_basis === 'verified';
  basis.hidden = false;
  basis.className = `notice basis ${verified ? 'ok' : 'warn'}`;
  basis.replaceChildren(verified
    ? 'Commission is owed on verified orders: those your store’s backend signed. Orders only a shopper’s browser reported are shown apart and not counted.'
    : 'Your store sends no signed orders yet, so commission is computed on what shoppers’ browsers reported, which anyone can forge. Set up the order webhook (Install page) to verify orders.');
  // Orders the engine could not attribute (another currency, say): listed, not lost.
  refused.hidden = !t.unattributable_orders;
  refused.replaceChildren(h('p', {}, `${integer(t.unattributable_orders)} stored order${t.unattributable_orders === 1 ? '' : 's'} could not be attributed and ${t.unattributable_orders === 1 ? 'is' : 'are'} left out:`),
    h('ul', {}, report.unattributable_orders.slice(0, 5).map((u) => h('li', {}, `${u.order_id ?? '(no id)'}: ${u.error.message}`))));
  summary.replaceChildren(...cards(t, verified));
}

function cards(t, verified) {
  const flags = Object.entries(t.flags || {}).map(([flag, n]) => `${n} ${flag.replace(/_/g, ' ')}`).join(', ');
  const kind = verified ? 'verified' : 'browser-reported';
  const other = verified ? t.reported : t.verified;
  const refunded = t.refunds ? `, net of ${money(t.refunded)} refunded (${integer(t.refunds)} refund${t.refunds === 1 ? '' : 's'})` : '';
  return [
    card('Store orders', integer(t.orders), `${verified ? 'verified: signed by your store' : 'reported by browsers'}${t.duplicates ? `; ${integer(t.duplicates)} duplicates ignored` : ''}`),
    card('Store revenue', money(t.revenue), `AOV ${money(t.aov)}${refunded}`),
    card('From influencers', money(t.attributed_revenue), `${integer(t.attributed_orders)} ${kind} orders attributed`),
    card('Commission owed', money(t.commission), `on ${kind} orders; ` +
      (t.roi == null ? 'ROI unknown' : `ROI ${percent(t.roi, 0)}, counting one paid post per roster influencer`)),
    card(verified ? 'Reported by browsers only' : 'Verified by your store', money(other.attributed_revenue),
      `${integer(other.attributed_orders)} order${other.attributed_orders === 1 ? '' : 's'} attributed, ` +
      `${money(other.commission)} commission if counted; not counted`, { id: 'other-basis' }),
    card('Flagged', integer(Object.values(t.flags || {}).reduce((a, b) => a + b, 0)), flags || 'no suspicious orders'),
  ];
}
