// Performance: who earns money in a period. Per influencer the attribution
// engine's report (GET /v1/reports/influencers, the same report_json as
// `vouch report`), orders and revenue per day (GET /v1/admin/timeseries) in a
// uPlot chart, a sortable table and a CSV export of exactly what is shown.
// Money is told apart everywhere: verified (orders the store's backend
// signed) and reported by shoppers' browsers (which anyone can forge);
// commission is owed on the report's basis, which the page states. The parts
// are performance-summary.js, performance-chart.js and performance-table.js.
import { api } from './api.js';
import { announce, errorBox, h } from './dom.js';
import { integer, money, utcDate } from './format.js';
import { createChart } from './performance-chart.js';
import { drawSummary } from './performance-summary.js';
import { drawTable, exportCsv } from './performance-table.js';

const PERIODS = [
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
  { value: 'all', label: 'All time' },
  { value: 'custom', label: 'Custom dates' },
];

// Kept between visits of the page.
const state = { period: '30', from: '', to: '', sort: { key: 'commission', dir: -1 }, showIdle: false };

/** The [from, to) sent to the server for the chosen period (UTC days; `to` shown inclusive). */
export function rangeOf(period, from, to, today = new Date()) {
  if (period === 'all') return { from: '', to: '' };
  if (period === 'custom') {
    const next = to ? utcDate(new Date(Date.parse(to) + 86400000)) : '';
    return { from, to: next };
  }
  const end = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1));
  const start = new Date(end.getTime() - Number(period) * 86400000);
  return { from: utcDate(start), to: utcDate(end) };
}

// The period chooser, the idle switch and the export button.
function toolbar() {
  const period = h('select', { id: 'period', name: 'period' },
    PERIODS.map((p) => h('option', { value: p.value, selected: p.value === state.period }, p.label)));
  const from = h('input', { type: 'date', id: 'from', name: 'from', value: state.from });
  const to = h('input', { type: 'date', id: 'to', name: 'to', value: state.to });
  const custom = h('span', { class: 'custom-dates', hidden: state.period !== 'custom' },
    h('label', { for: 'from' }, 'From'), from, h('label', { for: 'to' }, 'to'), to);
  const idle = h('input', { type: 'checkbox', id: 'show-idle', checked: state.showIdle });
  const exportButton = h('button', { type: 'button', id: 'export-csv', disabled: true }, 'Export CSV');
  const form = h('form', { class: 'toolbar', 'aria-label': 'Period' },
    h('label', { for: 'period' }, 'Period'), period, custom,
    h('button', { type: 'submit' }, 'Show'),
    h('span', { class: 'spacer' }),
    h('label', { class: 'check' }, idle, ' Show influencers without activity'),
    exportButton);
  return { form, period, from, to, custom, idle, exportButton };
}

export async function render(container) {
  const bar = toolbar();
  const parts = {
    basis: h('p', { class: 'notice basis', id: 'commission-basis', hidden: true }),
    refused: h('div', { class: 'notice warn', id: 'unattributable', hidden: true }),
    summary: h('div', { class: 'cards', 'aria-live': 'polite' }),
  };
  const figure = h('figure', { class: 'chart' });
  const table = h('div', { class: 'table-wrap', tabindex: '0' });
  container.append(bar.form, parts.basis, parts.refused, parts.summary, figure, table);
  const chart = createChart(figure);
  let report = null;

  async function load() {
    const range = rangeOf(state.period, state.from, state.to);
    if (state.period === 'custom' && (!state.from || !state.to)) {
      table.replaceChildren(errorBox(new Error('Choose both a start and an end date.'), 'show this period'));
      return;
    }
    const query = new URLSearchParams();
    if (range.from) query.set('from', range.from);
    if (range.to) query.set('to', range.to);
    table.replaceChildren(h('p', { class: 'loading' }, 'Loading the report…'));
    bar.exportButton.disabled = true;
    let series;
    try {
      [report, series] = await Promise.all([api(`/v1/reports/influencers?${query}`), api(`/v1/admin/timeseries?${query}`)]);
    } catch (e) {
      parts.summary.replaceChildren();
      parts.basis.hidden = true;
      parts.refused.hidden = true;
      figure.replaceChildren();
      table.replaceChildren(errorBox(e, 'load the report'));
      return;
    }
    report.range = range;
    drawSummary(parts, report);
    drawTable(table, report, state, describeRange);
    bar.exportButton.disabled = false;
    await chart.draw(series.days);
    announce(`Report loaded: ${integer(report.totals.orders)} orders, ${money(report.totals.revenue)}`);
  }

  bar.period.addEventListener('change', () => {
    state.period = bar.period.value;
    bar.custom.hidden = state.period !== 'custom';
    if (state.period !== 'custom') load();
  });
  bar.from.addEventListener('change', () => { state.from = bar.from.value; });
  bar.to.addEventListener('change', () => { state.to = bar.to.value; });
  bar.form.addEventListener('submit', (e) => { e.preventDefault(); state.from = bar.from.value; state.to = bar.to.value; load(); });
  bar.idle.addEventListener('change', () => { state.showIdle = bar.idle.checked; if (report) drawTable(table, report, state, describeRange); });
  bar.exportButton.addEventListener('click', () => exportCsv(report, state));
  await load();
  return () => chart.destroy();
}

function describeRange(report) {
  const { from, to } = report.range;
  if (!from && !to) return 'all time';
  const last = to ? utcDate(new Date(Date.parse(to) - 86400000)) : 'today';
  return `${from || 'the start'} to ${last} (UTC)`;
}
