// Money, numbers and dates (web/shared/format.js): money has its currency's
// digits as the core counts them (currency_exponent), whatever the locale.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFormat, currencyExponent } from '../../web/shared/format.js';

// Intl separates a currency code from the number with a no-break space.
const nbsp = (text) => text.replace(/ /g, '\u00a0');

test('money per currency exponent: JPY 0 digits, KWD 3, USD 2', () => {
  const en = createFormat('en-US');
  // 1234.5 is exact in binary: JPY rounds half away from zero to 1,235 yen.
  assert.equal(en.money(1234.5, 'JPY'), '¥1,235');
  assert.equal(en.money(12.5, 'KWD'), nbsp('KWD 12.500'));
  assert.equal(en.money(1.0005, 'KWD'), nbsp('KWD 1.001'));
  assert.equal(en.money(1234.5, 'USD'), '$1,234.50');
  assert.equal(en.money(0.295, 'USD'), '$0.30');
  const de = createFormat('de-DE');
  assert.equal(de.money(1234.5, 'JPY'), nbsp('1.235 ¥'));
  assert.equal(de.money(12.5, 'KWD'), nbsp('12,500 KWD'));
  assert.equal(de.money(1234.5, 'USD'), nbsp('1.234,50 $'));
});

test('a code Intl refuses still shows the amount, with two digits', () => {
  assert.equal(createFormat('en-US').money(3.5, 'dollars'), '3.50');
  assert.equal(currencyExponent('dollars'), 2);
});

test('a bad locale tag falls back to en-US', () => {
  const format = createFormat('not a locale!');
  assert.equal(format.locale, 'en-US');
  assert.equal(format.count(1234.4), '1,234');
});

test('numbers, percentages, compact counts and plurals', () => {
  const en = createFormat('en-US');
  assert.equal(en.decimal(4.25, 1), '4.3');   // 4.25 is exact: half away from zero
  assert.equal(en.percent(0.625), '63%');
  assert.equal(en.percent(0.625, 1), '62.5%');
  assert.equal(en.compact(18400), '18K');
  assert.equal(en.compact(18400, 1), '18.4K');
  assert.equal(en.plural(1, 'review', 'reviews'), 'review');
  assert.equal(en.plural(2, 'review', 'reviews'), 'reviews');
});

test('dates: a day in UTC, and nothing for an unreadable time', () => {
  const en = createFormat('en-US');
  assert.equal(en.date('2026-10-02T23:30:00Z'), 'Oct 2, 2026');
  assert.equal(en.date('yesterday'), '');
  assert.equal(en.dateTime('nope'), '');
});
