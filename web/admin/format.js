// Numbers, money and dates in the store's locale and currency (the shared
// formats of web/shared/format.js, "—" for a missing value), and CSV.
import { createFormat } from '../shared/format.js';
import { CSV_FORMULA_START } from '../shared/rules.js';

let format = createFormat('en-US');
let currency = 'USD';

export function setStoreFormat(store) {
  if (store && store.locale) format = createFormat(store.locale);
  if (store && store.currency) currency = store.currency;
}
export const storeCurrency = () => currency;

const DASH = '—';
const orDash = (write) => (n, ...more) => (n == null ? DASH : write(n, ...more));
export const integer = orDash((n) => format.count(n));
/** In the store's currency, with its digits (JPY 0, KWD 3, USD 2). */
export const money = orDash((n) => format.money(n, currency));
export const percent = orDash((n, digits = 1) => format.percent(n, digits));
export const decimal = orDash((n, digits = 2) => format.decimal(n, digits));
export const compact = orDash((n) => format.compact(n, 1));

export const dateTime = (iso) => format.dateTime(iso) || String(iso);

/** "3 minutes ago", "2 days ago" (Intl.RelativeTimeFormat). */
export function ago(iso, now = Date.now()) {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(format.locale, { numeric: 'auto' });
  for (const [unit, size] of [['day', 86400], ['hour', 3600], ['minute', 60]]) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(seconds, 'second');
}

/** YYYY-MM-DD of a Date in UTC (the server's days are UTC days). */
export const utcDate = (d) => d.toISOString().slice(0, 10);

/**
 * One CSV field as the server writes them (server/csv.hpp csv_field; RFC
 * 4180): quoted when it holds a comma, quote or line break, quotes doubled; a
 * text starting with one of CSV_FORMULA_START gets a leading ' so that
 * spreadsheets do not run it as a formula.
 */
export function csvField(value) {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && CSV_FORMULA_START.includes(text[0] || '\n')) text = "'" + text;
  return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

/** @param {string[]} header @param {any[][]} rows */
export function toCsv(header, rows) {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
