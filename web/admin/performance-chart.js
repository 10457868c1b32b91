// Performance, the chart: orders and revenue per day (GET /v1/admin/timeseries)
// drawn by uPlot (web/dist/uPlot.esm.js, loaded with the first chart), with
// the same figures as a table for screen readers and keyboards.
import { errorBox, h } from './dom.js';
import { integer, money, storeCurrency } from './format.js';

/** A chart in `figure`: draw(days) as often as the period changes, destroy() when the page goes. */
export function createChart(figure) {
  let plot = null;
  let resizeObserver = null;
  const destroy = () => {
    if (plot) { plot.destroy(); plot = null; }
  };
  return {
    async draw(days) {
      const canvasBox = figureContent(figure, days);
      destroy();
      if (!days.length) { canvasBox.append(h('p', { class: 'empty' }, 'No orders in this period yet.')); return; }
      let uPlot;
      try {
        uPlot = (await import('/uPlot.esm.js')).default;
        loadCss('/uPlot.min.css');
      } catch (_) {
        canvasBox.replaceWith(errorBox(new Error('The chart library (uPlot) is missing from web/dist: run scripts/build-web.sh on the server.'), 'draw the chart'));
        return;
      }
      const width = () => Math.max(280, canvasBox.clientWidth || figure.clientWidth || 600);
      plot = new uPlot(plotOptions(uPlot, days, width()), [days.map((d) => Date.parse(d.date + 'T00:00:00Z') / 1000),
        days.map((d) => d.orders), days.map((d) => d.revenue)], canvasBox);
      if (!resizeObserver) {
        resizeObserver = new ResizeObserver(() => { if (plot) plot.setSize({ width: width(), height: 240 }); });
        resizeObserver.observe(figure);
      }
    },
    destroy() {
      destroy();
      if (resizeObserver) resizeObserver.disconnect();
    },
  };
}

// The caption, the box the plot goes in (returned) and the data table.
function figureContent(figure, days) {
  const total = days.reduce((a, d) => ({ orders: a.orders + d.orders, revenue: a.revenue + d.revenue }), { orders: 0, revenue: 0 });
  const caption = h('figcaption', {}, `Orders and revenue per day (UTC), verified and browser-reported alike, ${days.length ? `${days[0].date} to ${days[days.length - 1].date}` : 'no orders yet'}`);
  const dataTable = h('details', {}, h('summary', {}, 'The same figures as a table'),
    h('div', { class: 'table-wrap', tabindex: '0' }, h('table', { class: 'data compact', id: 'timeseries-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day'), h('th', { scope: 'col', class: 'num' }, 'Orders'), h('th', { scope: 'col', class: 'num' }, 'Revenue'))),
      h('tbody', {}, days.filter((d) => d.orders).map((d) => h('tr', {}, h('th', { scope: 'row' }, d.date), h('td', { class: 'num' }, integer(d.orders)), h('td', { class: 'num' }, money(d.revenue))))))));
  const canvasBox = h('div', { class: 'plot', role: 'img',
    'aria-label': `Chart: ${integer(total.orders)} orders and ${money(total.revenue)} revenue over ${days.length} days` });
  figure.replaceChildren(caption, canvasBox, dataTable);
  return canvasBox;
}

// Bars of orders on the left axis, a line of revenue on the right, in the page's colours.
function plotOptions(uPlot, days, width) {
  const styles = getComputedStyle(document.documentElement);
  const accent = styles.getPropertyValue('--accent').trim() || '#1f5f4a';
  const second = styles.getPropertyValue('--accent-2').trim() || '#b5651d';
  const ink = styles.getPropertyValue('--muted').trim() || '#555';
  return {
    width, height: 240, tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
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
}

function loadCss(path) {
  const href = new URL(path, location.href).href;
  if ([...document.querySelectorAll('link[rel=stylesheet]')].some((link) => link.href === href)) return;
  document.head.append(h('link', { rel: 'stylesheet', href }));
}
