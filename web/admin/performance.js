// Performance: who earns money in a period. Per influencer the attribution
// engine's report (GET /v1/reports/influencers, the same report_json as
// `vouch report`), orders and revenue per day (GET /v1/admin/timeseries) in a
// uPlot chart, a sortable table and a CSV export of exactly what is shown.
// Money is told apart everywhere: verified (orders the store's backend
// signed) and reported by shoppers' browsers (which anyone can forge);
// commission is owed on the report's basis, which the page states.
import { api } from './api.js';
import { announce, download, errorBox, h } from './dom.js';
import { integer, money, percent, storeCurrency, toCsv, utcDate } from './format.js';

// `value` reads a report row (or the totals row); the ratios and the
// commission are on the report's commission basis.
const COLUMNS = [
  { key: 'influencer', label: 'Influencer', text: true },
  { key: 'clicks', label: 'Clicks', format: integer },
  { key: 'visitors', label: 'Visitors', format: integer },
  { key: 'verified_orders', group: 'Verified', label: 'Orders', format: integer, value: (r) => r.verified.orders, help: 'orders your store’s backend signed' },
  { key: 'verified_revenue', group: 'Verified', label: 'Revenue', format: money, value: (r) => r.verified.revenue, help: 'net of refunds' },
  { key: 'reported_orders', group: 'Browser-reported', label: 'Orders', format: integer, value: (r) => r.reported.orders, help: 'orders only a shopper’s browser reported' },
  { key: 'reported_revenue', group: 'Browser-reported', label: 'Revenue', format: money, value: (r) => r.reported.revenue, help: 'net of refunds' },
  { key: 'conversion_rate', label: 'Conversion rate', format: (n) => percent(n, 1), help: 'orders ÷ visitors' },
  { key: 'epc', label: 'EPC', format: money, help: 'revenue per click' },
  { key: 'aov', label: 'AOV', format: money, help: 'average order value' },
  { key: 'commission', label: 'Commission owed', format: money, help: 'on the basis stated above, net of refunds' },
  { key: 'roi', label: 'ROI', format: (n) => percent(n, 0), help: '(revenue − cost) ÷ cost; cost = commission + one paid post at the influencer’s rate' },
];
const valueOf = (c, row) => (c.value ? c.value(row) : row[c.key]);

const PERIODS = [
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
  { value: 'all', label: 'All time' },
  { value: 'custom', label: 'Custom dates' },
];

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

export async function render(container) {
  const periodSelect = h('select', { id: 'period', name: 'period' },
    PERIODS.map((p) => h('option', { value: p.value, selected: p.value === state.period }, p.label)));
  const fromInput = h('input', { type: 'date', id: 'from', name: 'from', value: state.from });
  const toInput = h('input', { type: 'date', id: 'to', name: 'to', value: state.to });
  const custom = h('span', { class: 'custom-dates', hidden: state.period !== 'custom' },
    h('label', { for: 'from' }, 'From'), fromInput, h('label', { for: 'to' }, 'to'), toInput);
  const idle = h('input', { type: 'checkbox', id: 'show-idle', checked: state.showIdle });
  const exportButton = h('button', { type: 'button', id: 'export-csv', disabled: true }, 'Export CSV');
  const form = h('form', { class: 'toolbar', 'aria-label': 'Period' },
    h('label', { for: 'period' }, 'Period'), periodSelect, custom,
    h('button', { type: 'submit' }, 'Show'),
    h('span', { class: 'spacer' }),
    h('label', { class: 'check' }, idle, ' Show influencers without activity'),
    exportButton);
  const basis = h('p', { class: 'notice basis', id: 'commission-basis', hidden: true });
  const refused = h('div', { class: 'notice warn', id: 'unattributable', hidden: true });
  const summary = h('div', { class: 'cards', 'aria-live': 'polite' });
  const chart = h('figure', { class: 'chart' });
  const table = h('div', { class: 'table-wrap', tabindex: '0' });
  container.append(form, basis, refused, summary, chart, table);

  let report = null;
  let series = null;
  let plot = null;
  let resizeObserver = null;

  function visibleRows() {
    const rows = report.influencers.filter((r) => state.showIdle || r.clicks || r.visitors || r.verified.orders ||
      r.reported.orders || r.commission);
    const { key, dir } = state.sort;
    const column = COLUMNS.find((c) => c.key === key) || COLUMNS[0];
    const value = (r) => (key === 'influencer' ? (r.handle || r.influencer).toLowerCase() : valueOf(column, r));
    return rows.slice().sort((a, b) => {
      const x = value(a), y = value(b);
      if (x === y || (x == null && y == null)) return a.influencer < b.influencer ? -1 : 1;
      if (x == null) return 1;   // empty values last in both directions
      if (y == null) return -1;
      return (x < y ? -1 : 1) * dir;
    });
  }

  function totalsRow(t) {
    const aov = t.attributed_orders ? Math.round((t.attributed_revenue / t.attributed_orders) * 100) / 100 : null;
    const side = (s) => ({ orders: s.attributed_orders, revenue: s.attributed_revenue });
    return { influencer: 'All influencers', clicks: t.clicks, visitors: t.visitors, verified: side(t.verified),
      reported: side(t.reported), conversion_rate: t.conversion_rate, epc: t.epc, aov, commission: t.commission, roi: t.roi };
  }

  function drawTable() {
    const rows = visibleRows();
    // Two header rows: the verified and browser-reported pairs under a group heading.
    const heading = (c, rowspan) => {
      const sorted = state.sort.key === c.key;
      const name = c.group ? `${c.group} ${c.label.toLowerCase()}` : c.label;
      return h('th', { scope: 'col', rowspan, class: c.text ? '' : 'num', 'aria-sort': sorted ? (state.sort.dir > 0 ? 'ascending' : 'descending') : 'none' },
        h('button', { type: 'button', class: 'sort', title: c.help || null, 'aria-label': c.group ? name : null, onclick: () => {
          state.sort = { key: c.key, dir: sorted ? -state.sort.dir : (c.text ? 1 : -1) };
          drawTable();
          announce(`Sorted by ${name}, ${state.sort.dir > 0 ? 'ascending' : 'descending'}`);
        } }, c.label, h('span', { class: 'arrow', 'aria-hidden': 'true' }, sorted ? (state.sort.dir > 0 ? '\u00a0▲' : '\u00a0▼') : '')));
    };
    const groups = [];
    for (const c of COLUMNS) {
      if (!c.group) groups.push(heading(c, 2));
      else if (!groups.length || groups[groups.length - 1].dataset.group !== c.group) {
        groups.push(h('th', { scope: 'colgroup', colspan: 2, class: 'column-group', dataset: { group: c.group } }, c.group));
      }
    }
    const head = [h('tr', {}, groups), h('tr', {}, COLUMNS.filter((c) => c.group).map((c) => heading(c, null)))];
    const cell = (c, row, isTotal) => (c.text
      ? h('th', { scope: 'row' }, isTotal ? row.influencer : [h('span', { class: 'handle' }, '@' + (row.handle || row.influencer)), h('span', { class: 'muted' }, ' ' + row.influencer)])
      : h('td', { class: 'num', 'data-key': c.key }, c.format(valueOf(c, row))));
    const body = rows.length
      ? rows.map((row) => h('tr', { 'data-influencer': row.influencer }, COLUMNS.map((c) => cell(c, row, false))))
      : [h('tr', {}, h('td', { colspan: COLUMNS.length, class: 'empty' }, 'No influencer activity in this period.'))];
    const total = totalsRow(report.totals);
    table.replaceChildren(h('table', { class: 'data', id: 'performance-table' },
      h('caption', {}, `Per influencer, ${describeRange(report)} · ${rows.length} shown · click a heading to sort`),
      h('thead', {}, head), h('tbody', {}, body),
      h('tfoot', {}, h('tr', { class: 'totals' }, COLUMNS.map((c) => cell(c, total, true))))));
  }

  function drawSummary() {
    const t = report.totals;
    const verified = report.commission_basis === 'verified';
    const card = (label, value, note, extra = {}) => h('div', Object.assign({ class: 'card' }, extra), h('span', { class: 'label' }, label),
      h('strong', { class: 'value' }, value), note ? h('span', { class: 'note' }, note) : null);
    const flags = Object.entries(t.flags || {}).map(([flag, n]) => `${n} ${flag.replace(/_/g, ' ')}`).join(', ');
    const kind = verified ? 'verified' : 'browser-reported';
    basis.hidden = false;
    basis.className = `notice basis ${verified ? 'ok' : 'warn'}`;
    basis.replaceChildren(verified
      ? 'Commission is owed on verified orders: those your store’s backend signed. Orders only a shopper’s browser reported are shown apart and not counted.'
      : 'Your store sends no signed orders yet, so commission is computed on what shoppers’ browsers reported, which anyone can forge. Set up the order webhook (Install page) to verify orders.');
    const other = verified ? t.reported : t.verified;
    // Orders the engine could not attribute (another currency, say): listed, not lost.
    refused.hidden = !t.unattributable_orders;
    refused.replaceChildren(h('p', {}, `${integer(t.unattributable_orders)} stored order${t.unattributable_orders === 1 ? '' : 's'} could not be attributed and ${t.unattributable_orders === 1 ? 'is' : 'are'} left out:`),
      h('ul', {}, report.unattributable_orders.slice(0, 5).map((u) => h('li', {}, `${u.order_id ?? '(no id)'}: ${u.error.message}`))));
    const refunded = t.refunds ? `, net of ${money(t.refunded)} refunded (${integer(t.refunds)} refund${t.refunds === 1 ? '' : 's'})` : '';
    summary.replaceChildren(
      card('Store orders', integer(t.orders), `${verified ? 'verified: signed by your store' : 'reported by browsers'}${t.duplicates ? `; ${integer(t.duplicates)} duplicates ignored` : ''}`),
      card('Store revenue', money(t.revenue), `AOV ${money(t.aov)}${refunded}`),
      card('From influencers', money(t.attributed_revenue), `${integer(t.attributed_orders)} ${kind} orders attributed`),
      card('Commission owed', money(t.commission), `on ${kind} orders; ` +
        (t.roi == null ? 'ROI unknown' : `ROI ${percent(t.roi, 0)}, counting one paid post per roster influencer`)),
      card(verified ? 'Reported by browsers only' : 'Verified by your store', money(other.attributed_revenue),
        `${integer(other.attributed_orders)} order${other.attributed_orders === 1 ? '' : 's'} attributed, ` +
        `${money(other.commission)} commission if counted; not counted`, { id: 'other-basis' }),
      card('Flagged', integer(Object.values(t.flags || {}).reduce((a, b) => a + b, 0)), flags || 'no suspicious orders'));
  }

  async function drawChart() {
    const days = series.days;
    const total = days.reduce((a, d) => ({ orders: a.orders + d.orders, revenue: a.revenue + d.revenue }), { orders: 0, revenue: 0 });
    const caption = h('figcaption', {}, `Orders and revenue per day (UTC), verified and browser-reported alike, ${days.length ? `${days[0].date} to ${days[days.length - 1].date}` : 'no orders yet'}`);
    const dataTable = h('details', {}, h('summary', {}, 'The same figures as a table'),
      h('div', { class: 'table-wrap', tabindex: '0' }, h('table', { class: 'data compact', id: 'timeseries-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day'), h('th', { scope: 'col', class: 'num' }, 'Orders'), h('th', { scope: 'col', class: 'num' }, 'Revenue'))),
        h('tbody', {}, days.filter((d) => d.orders).map((d) => h('tr', {}, h('th', { scope: 'row' }, d.date), h('td', { class: 'num' }, integer(d.orders)), h('td', { class: 'num' }, money(d.revenue))))))));
    const canvasBox = h('div', { class: 'plot', role: 'img',
      'aria-label': `Chart: ${integer(total.orders)} orders and ${money(total.revenue)} revenue over ${days.length} days` });
    chart.replaceChildren(caption, canvasBox, dataTable);
    if (plot) { plot.destroy(); plot = null; }
    if (!days.length) { canvasBox.append(h('p', { class: 'empty' }, 'No orders in this period yet.')); return; }
    let uPlot;
    try {
      uPlot = (await import('/uPlot.esm.js')).default;
      loadCss('/uPlot.min.css');
    } catch (_) {
      canvasBox.replaceWith(errorBox(new Error('The chart library (uPlot) is missing from web/dist: run scripts/build-web.sh on the server.'), 'draw the chart'));
      return;
    }
    const x = days.map((d) => Date.parse(d.date + 'T00:00:00Z') / 1000);
    const styles = getComputedStyle(document.documentElement);
    const accent = styles.getPropertyValue('--accent').trim() || '#1f5f4a';
    const second = styles.getPropertyValue('--accent-2').trim() || '#b5651d';
    const ink = styles.getPropertyValue('--muted').trim() || '#555';
    const width = () => Math.max(280, canvasBox.clientWidth || chart.clientWidth || 600);
    const opts = {
      width: width(), height: 240, tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, orders: { range: (u, min, max) => [0, Math.max(1, max)] }, revenue: { range: (u, min, max) => [0, Math.max(1, max)] } },
      axes: [
        { stroke: ink, grid: { show: false } },
        { scale: 'orders', stroke: ink, label: 'Orders', values: (u, v) => v.map((n) => (Number.isInteger(n) ? integer(n) : '')) },
        { scale: 'revenue', side: 1, stroke: ink, label: `Revenue (${storeCurrency()})`, grid: { show: false }, values: (u, v) => v.map((n) => integer(n)) },
      ],
      series: [
        {},
        { label: 'Orders', scale: 'orders', stroke: accent, fill: accent + '55', paths: uPlot.paths.bars({ size: [0.6, 40] }), points: { show: false }, value: (u, v) => integer(v) },
        { label: 'Revenue', scale: 'revenue', stroke: second, width: 2, points: { show: days.length <= 14 }, value: (u, v) => money(v) },
      ],
    };
    plot = new uPlot(opts, [x, days.map((d) => d.orders), days.map((d) => d.revenue)], canvasBox);
    if (!resizeObserver) {
      resizeObserver = new ResizeObserver(() => { if (plot) plot.setSize({ width: width(), height: 240 }); });
      resizeObserver.observe(chart);
    }
  }

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
    exportButton.disabled = true;
    try {
      [report, series] = await Promise.all([api(`/v1/reports/influencers?${query}`), api(`/v1/admin/timeseries?${query}`)]);
    } catch (e) {
      summary.replaceChildren();
      basis.hidden = true;
      refused.hidden = true;
      chart.replaceChildren();
      table.replaceChildren(errorBox(e, 'load the report'));
      return;
    }
    report.range = range;
    drawSummary();
    drawTable();
    exportButton.disabled = false;
    await drawChart();
    announce(`Report loaded: ${integer(report.totals.orders)} orders, ${money(report.totals.revenue)}`);
  }

  function exportCsv() {
    const header = ['influencer', 'handle', 'clicks', 'visitors', 'verified_orders', 'verified_revenue', 'reported_orders',
      'reported_revenue', 'conversion_rate', 'epc', 'aov', 'commission', 'roi', 'commission_basis'];
    const line = (r) => [r.influencer, r.handle || '', r.clicks, r.visitors, r.verified.orders, r.verified.revenue,
      r.reported.orders, r.reported.revenue, r.conversion_rate, r.epc, r.aov, r.commission, r.roi, report.commission_basis];
    const total = totalsRow(report.totals);
    const rows = visibleRows().map(line).concat([line(Object.assign({}, total, { influencer: 'TOTAL', handle: '' }))]);
    const name = `vouch-performance-${report.range.from || 'start'}-to-${report.range.to || 'now'}.csv`;
    download(name, toCsv(header, rows));
    announce('CSV downloaded');
  }

  periodSelect.addEventListener('change', () => {
    state.period = periodSelect.value;
    custom.hidden = state.period !== 'custom';
    if (state.period !== 'custom') load();
  });
  fromInput.addEventListener('change', () => { state.from = fromInput.value; });
  toInput.addEventListener('change', () => { state.to = toInput.value; });
  form.addEventListener('submit', (e) => { e.preventDefault(); state.from = fromInput.value; state.to = toInput.value; load(); });
  idle.addEventListener('change', () => { state.showIdle = idle.checked; if (report) drawTable(); });
  exportButton.addEventListener('click', exportCsv);
  await load();
  return () => { if (plot) plot.destroy(); if (resizeObserver) resizeObserver.disconnect(); };
}

function describeRange(report) {
  const { from, to } = report.range;
  if (!from && !to) return 'all time';
  const last = to ? utcDate(new Date(Date.parse(to) - 86400000)) : 'today';
  return `${from || 'the start'} to ${last} (UTC)`;
}

function loadCss(href) {
  if (document.querySelector(`link[href="${href}"]`)) return;
  document.head.append(h('link', { rel: 'stylesheet', href }));
}
