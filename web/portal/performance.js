// Results over a chosen range: clicks, visitors, orders, revenue and
// commission, in total and by day, by source tag and by product
// (GET /v1/portal/performance). Tables scroll sideways on a phone; the day
// table carries a bar of the day's revenue.
import { api } from './api.js';
import { h } from '../shared/dom.js';
import { lastDays, utcDay } from './dates.js';
import { errorBox } from './errors.js';
import { t } from './i18n.js';

const METRICS = ['clicks', 'visitors', 'orders', 'revenue', 'commission'];

function table(caption, first, rows, label, { format, money }) {
  const cell = (metric, value) => h('td', { class: 'num' },
    metric === 'revenue' || metric === 'commission' ? money(value) : format.count(value));
  // Focusable, so that keyboard users can scroll it sideways on a phone.
  return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption }, h('table', { class: 'data' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, first), METRICS.map((m) => h('th', { scope: 'col', class: 'num' }, t(`metric.${m}`))))),
    h('tbody', {}, rows.length ? rows.map((row) => h('tr', {}, h('th', { scope: 'row' }, label(row)),
      METRICS.map((m) => cell(m, row[m])))) : h('tr', {}, h('td', { class: 'empty', colspan: 6 }, t('results.none'))))));
}

function dayBars(days, { money, format }) {
  const top = Math.max(1, ...days.map((d) => d.revenue));
  return h('ol', { class: 'days', 'aria-label': t('results.byDayChart') }, days.map((d) => h('li', {},
    h('span', { class: 'day' }, format.date(`${d.date}T00:00:00Z`)),
    h('span', { class: 'bar', 'aria-hidden': 'true' }, h('span', { class: 'fill', 'data-width': Math.round((100 * d.revenue) / top) })),
    h('span', { class: 'num' }, money(d.revenue)))));
}

export async function render(container, ctx) {
  const { me, format, money } = ctx;
  const now = new Date(me.now);
  const initial = lastDays(30, now);
  const from = h('input', { id: 'from', type: 'date', value: initial.from, max: utcDay(now) });
  const to = h('input', { id: 'to', type: 'date', value: utcDay(new Date(Date.parse(initial.to) - 86400000)), max: utcDay(now) });
  const out = h('div', { id: 'results', 'aria-live': 'polite' });
  const show = async () => {
    out.replaceChildren(h('p', { class: 'loading' }, t('loading')));
    const end = utcDay(new Date(Date.parse(to.value) + 86400000));
    try {
      const r = await api(`/v1/portal/performance?from=${from.value}&to=${end}`);
      const tot = r.totals;
      const bars = dayBars(r.by_day, ctx);
      for (const fill of bars.querySelectorAll('.fill')) fill.style.width = `${fill.dataset.width}%`;
      out.replaceChildren(
        h('dl', { class: 'totals' }, METRICS.map((m) => h('div', {}, h('dt', {}, t(`metric.${m}`)),
          h('dd', {}, m === 'revenue' || m === 'commission' ? money(tot[m]) : format.count(tot[m]))))),
        h('h2', {}, t('results.byDay')), bars,
        h('h2', {}, t('results.bySource')),
        table(t('results.bySourceCaption'), t('results.source'), r.by_source, (row) => row.src || t('results.noSource'), ctx),
        h('h2', {}, t('results.byProduct')),
        table(t('results.byProductCaption'), t('results.product'), r.by_product, (row) => row.title || row.product, ctx),
        h('details', {}, h('summary', {}, t('results.dayTable')),
          table(t('results.byDay'), t('results.day'), r.by_day, (row) => format.date(`${row.date}T00:00:00Z`), ctx)));
    } catch (error) {
      out.replaceChildren(errorBox(error));
    }
  };
  const presets = [7, 30, 90].map((days) => h('button', { type: 'button', class: 'secondary', onclick: () => {
    const r = lastDays(days, now);
    from.value = r.from;
    to.value = utcDay(new Date(Date.parse(r.to) - 86400000));
    show();
  } }, t('results.lastDays', { days })));
  container.append(
    h('form', { class: 'toolbar', onsubmit: (e) => { e.preventDefault(); show(); } },
      presets,
      h('label', { for: 'from' }, t('results.from')), from,
      h('label', { for: 'to' }, t('results.to')), to,
      h('button', { type: 'submit' }, t('results.show'))),
    out);
  await show();
}
