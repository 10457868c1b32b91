// Numbers, money and dates in the shopper's locale through Intl. A bad locale
// tag from the page falls back to en-US instead of throwing.

export function createFormat(locale) {
  let tag = 'en-US';
  try { tag = Intl.getCanonicalLocales(locale)[0] || tag; } catch (_) { /* keep en-US */ }
  const cache = new Map();
  const make = (key, build) => {
    if (!cache.has(key)) cache.set(key, build());
    return cache.get(key);
  };
  return {
    locale: tag,
    rating: (value) => make('r', () => new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 })).format(value),
    count: (value) => make('n', () => new Intl.NumberFormat(tag)).format(value),
    compact: (value) => make('c', () => new Intl.NumberFormat(tag, { notation: 'compact' })).format(value),
    percent: (value) => make('p', () => new Intl.NumberFormat(tag, { style: 'percent' })).format(value),
    money(value, currency) {
      try {
        return make('m' + currency, () => new Intl.NumberFormat(tag, { style: 'currency', currency })).format(value);
      } catch (_) {
        return make('n', () => new Intl.NumberFormat(tag)).format(value);
      }
    },
    date(iso) {
      const time = Date.parse(iso);
      if (!Number.isFinite(time)) return '';
      return make('d', () => new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: 'UTC' })).format(time);
    },
    plural(count, one, other) {
      return make('pl', () => new Intl.PluralRules(tag)).select(count) === 'one' ? one : other;
    },
  };
}
