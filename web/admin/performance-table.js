// Performance, the table: one row per influencer of the engine's report,
// verified and browser-reported orders side by side under group headings,
// sortable by any column, the totals below, and the same as CSV.
import { announce, download, h } from './dom.js';
import { integer, money, percent, toCsv } from './format.js';

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

/**
 * The rows shown: without the idle ones unless asked, sorted by
 * `sort` = {key, dir} (dir 1 ascending, -1 descending), empty values last.
 */
export function visibleRows(report, { sort, showIdle }) {
  const rows = report.influencers.filter((r) => showIdle || r.clicks || r.visitors || r.verified.orders ||
    r.reported.orders || r.commission);
  const { key, dir } = sort;
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

// The report's totals as a row of the table: the ratios of the attributed
// orders, as the engine computed them (AOV: attributed_aov).
function totalsRow(t) {
  const side = (s) => ({ orders: s.attributed_orders, revenue: s.attributed_revenue });
  return { influencer: 'All influencers', clicks: t.clicks, visitors: t.visitors, verified: side(t.verified),
    reported: side(t.reported), conversion_rate: t.conversion_rate, epc: t.epc, aov: t.attributed_aov,
    commission: t.commission, roi: t.roi };
}

// The two header rows: the verified and browser-reported pairs under a group heading.
function headRows(state, redraw) {
  const heading = (c, rowspan) => {
    const sorted = state.sort.key === c.key;
    const name = c.group ? `${c.group} ${c.label.toLowerCase()}` : c.label;
    return h('th', { scope: 'col', rowspan, class: c.text ? '' : 'num', 'aria-sort': sorted ? (state.sort.dir > 0 ? 'ascending' : 'descending') : 'none' },
      h('button', { type: 'button', class: 'sort', title: c.help || null, 'aria-label': c.group ? name : null, onclick: () => {
        state.sort = { key: c.key, dir: sorted ? -state.sort.dir : (c.text ? 1 : -1) };
        redraw();
        announce(`Sorted by ${name}, ${state.sort.dir > 0 ? 'ascending' : 'descending'}`);
      } }, c.label, h('span', { class: 'arrow', 'aria-hidden': 'true' }, sorted ? (state.sort.dir > 0 ? '\u00a0▲' : '\u00a0▼') : '')));
  };
  const groups = [];
  for (const c of COLUMNS) {
    if (!c.group) groups.push(heading(c, 2));
    else if (!groups.length || groups[groups.length - 1].dataset.group !== c.group) {
      groups.push(h('th', { scope: 'colgroup', colspan: 2, class: 'column-group', 'data-group': c.group }, c.group));
    }
  }
  return [h('tr', {}, groups), h('tr', {}, COLUMNS.filter((c) => c.group).map((c) => heading(c, null)))];
}

/**
 * Draws the table of `report` (with report.range) into `wrap`, by `state`
 * ({sort, showIdle}); a click on a heading sorts by it and draws again.
 */
export function drawTable(wrap, report, state, describeRange) {
  const rows = visibleRows(report, state);
  const cell = (c, row, isTotal) => (c.text
    ? h('th', { scope: 'row' }, isTotal ? row.influencer : [h('span', { class: 'handle' }, '@' + (row.handle || row.influencer)), h('span', { class: 'muted' }, ' ' + row.influencer)])
    : h('td', { class: 'num', 'data-key': c.key }, c.format(valueOf(c, row))));
  const body = rows.length
    ? rows.map((row) => h('tr', { 'data-influencer': row.influencer }, COLUMNS.map((c) => cell(c, row, false))))
    : [h('tr', {}, h('td', { colspan: COLUMNS.length, class: 'empty' }, 'No influencer activity in this period.'))];
  const total = totalsRow(report.totals);
  wrap.replaceChildren(h('table', { class: 'data', id: 'performance-table' },
    h('caption', {}, `Per influencer, ${describeRange(report)} · ${rows.length} shown · click a heading to sort`),
    h('thead', {}, headRows(state, () => drawTable(wrap, report, state, describeRange))), h('tbody', {}, body),
    h('tfoot', {}, h('tr', { class: 'totals' }, COLUMNS.map((c) => cell(c, total, true))))));
}

/** Downloads what the table shows, with the totals as a last row. */
export function exportCsv(report, state) {
  const header = ['influencer', 'handle', 'clicks', 'visitors', 'verified_orders', 'verified_revenue', 'reported_orders',
    'reported_revenue', 'conversion_rate', 'epc', 'aov', 'commission', 'roi', 'commission_basis'];
  const line = (r) => [r.influencer, r.handle || '', r.clicks, r.visitors, r.verified.orders, r.verified.revenue,
    r.reported.orders, r.reported.revenue, r.conversion_rate, r.epc, r.aov, r.commission, r.roi, report.commission_basis];
  const total = totalsRow(report.totals);
  const rows = visibleRows(report, state).map(line).concat([line(Object.assign({}, total, { influencer: 'TOTAL', handle: '' }))]);
  const name = `vouch-performance-${report.range.from || 'start'}-to-${report.range.to || 'now'}.csv`;
  download(name, toCsv(header, rows));
  announce('CSV downloaded');
}
