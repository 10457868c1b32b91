// Numbers, money, dates and CSV, with the browser's Intl (the store's locale).

let locale = 'en-US';
let currency = 'USD';

export function setStoreFormat(store) {
  if (store && store.locale) locale = store.locale;
  if (store && store.currency) currency = store.currency;
}
export const storeCurrency = () => currency;

const cache = new Map();
function formatter(key, options) {
  if (!cache.has(key)) cache.set(key, new Intl.NumberFormat(locale, options));
  return cache.get(key);
}

const DASH = '—';
export const integer = (n) => (n == null ? DASH : formatter('int', { maximumFractionDigits: 0 }).format(n));
export const money = (n) => (n == null ? DASH : formatter('money' + currency, { style: 'currency', currency }).format(n));
export const percent = (n, digits = 1) => (n == null ? DASH :
  formatter('pct' + digits, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n));
export const decimal = (n, digits = 2) => (n == null ? DASH :
  formatter('dec' + digits, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n));
export const compact = (n) => (n == null ? DASH : formatter('compact', { notation: 'compact', maximumFractionDigits: 1 }).format(n));

export function dateTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) :
    new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** "3 minutes ago", "2 days ago" (Intl.RelativeTimeFormat). */
export function ago(iso, now = Date.now()) {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of [['day', 86400], ['hour', 3600], ['minute', 60]]) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(seconds, 'second');
}

/** YYYY-MM-DD of a Date in UTC (the server's days are UTC days). */
export const utcDate = (d) => d.toISOString().slice(0, 10);

// RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled.
// A leading = + - @ is prefixed with ' so spreadsheets do not run it as a formula.
function csvField(value) {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = "'" + text;
  return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

/** @param {string[]} header @param {any[][]} rows */
export function toCsv(header, rows) {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
