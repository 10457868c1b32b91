// Numbers, money and dates for people, in a locale, through Intl. A bad
// locale tag falls back to en-US instead of throwing. Money has the digits of
// its currency as the core counts them (currency_exponent: 0 for JPY, 3 for
// KWD, 2 for USD), so a price shows the same minor units the engine computed.
import { CURRENCY_EXPONENTS } from './rules.js';

/** Digits after the decimal point of an ISO 4217 currency (core/common/money.cpp). */
export const currencyExponent = (currency) => CURRENCY_EXPONENTS[currency] ?? 2;

/**
 * @param {string} [locale] a BCP 47 tag (the store's or the page's)
 */
export function createFormat(locale) {
  let tag = 'en-US';
  try { tag = Intl.getCanonicalLocales(locale)[0] || tag; } catch (_) { /* keep en-US */ }
  const cache = new Map();
  const make = (Kind, options) => {
    const key = Kind.name + JSON.stringify(options);
    if (!cache.has(key)) cache.set(key, new Kind(tag, options));
    return cache.get(key);
  };
  const number = (value, options) => make(Intl.NumberFormat, options).format(value);
  const digits = (n) => ({ minimumFractionDigits: n, maximumFractionDigits: n });
  return {
    locale: tag,
    /** A whole number: 1,234. */
    count: (value) => number(value, { maximumFractionDigits: 0 }),
    /** Exactly `places` decimals: 4.3. */
    decimal: (value, places) => number(value, digits(places)),
    /** 0.25 -> 25% (with `places` decimals). */
    percent: (value, places = 0) => number(value, Object.assign({ style: 'percent' }, digits(places))),
    /** 18400 -> 18K (18.4K with places = 1). */
    compact: (value, places) => number(value, { notation: 'compact', maximumFractionDigits: places }),
    /** 1234.5 USD -> $1,234.50; 1234.5 JPY -> ¥1,235; 1.2345 KWD -> KWD 1.235 (a bad code: the number alone). */
    money(value, currency) {
      const places = digits(currencyExponent(currency));
      try {
        return number(value, Object.assign({ style: 'currency', currency }, places));
      } catch (_) {
        return number(value, places);
      }
    },
    /** A day (UTC): Oct 2, 2026; '' when the time cannot be read. */
    date: (iso) => dateOf(iso, (time) => make(Intl.DateTimeFormat, { dateStyle: 'medium', timeZone: 'UTC' }).format(time)),
    /** A day and a time of day, in the reader's time zone. */
    dateTime: (iso) => dateOf(iso, (time) => make(Intl.DateTimeFormat, { dateStyle: 'medium', timeStyle: 'short' }).format(time)),
    /** `one` or `other` by the locale's plural rules. */
    plural: (count, one, other) => (make(Intl.PluralRules).select(count) === 'one' ? one : other),
  };
}

function dateOf(iso, write) {
  const time = Date.parse(iso);
  return Number.isFinite(time) ? write(time) : '';
}
