// The creator portal's words and links, without a browser: every language
// says every English sentence with the same placeholders, and the link
// builder writes ?ref=CODE&src=TAG on the page's own address.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MESSAGES, t } from '../../web/portal/i18n.js';
import { buildLink } from '../../web/portal/links.js';

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('fr, de and es have every English key, with the same placeholders, and nothing else', () => {
  const english = MESSAGES.en;
  for (const [language, messages] of Object.entries(MESSAGES)) {
    assert.deepEqual(Object.keys(messages).sort(), Object.keys(english).sort(), language);
    for (const [key, text] of Object.entries(messages)) {
      assert.equal(typeof text, 'string', `${language} ${key}`);
      assert.ok(text.trim(), `${language} ${key} is empty`);
      assert.deepEqual(placeholders(text), placeholders(english[key]), `${language} ${key}`);
    }
    // Some words are the same in two languages (Commissions, PayPal); most are not.
    const same = Object.keys(english).filter((key) => messages[key] === english[key]).length;
    if (language !== 'en') assert.ok(same < Object.keys(english).length / 10, `${language}: ${same} sentences left in English`);
  }
});

test('t fills placeholders and falls back to the key', () => {
  assert.equal(t('results.lastDays', { days: 7 }), 'Last 7 days');
  assert.equal(t('no.such.key'), 'no.such.key');
});

test('the link builder adds ref and a lower-case src, keeping the page\'s own query', () => {
  assert.equal(buildLink('https://shop.example/p/sku-1', 'TESS10', 'TikTok'), 'https://shop.example/p/sku-1?ref=TESS10&src=tiktok');
  assert.equal(buildLink('https://shop.example/demo/product.html?id=sku-1', 'TESS10', 'instagram'),
    'https://shop.example/demo/product.html?id=sku-1&ref=TESS10&src=instagram');
  assert.equal(buildLink('https://shop.example/', 'TESS10', ''), 'https://shop.example/?ref=TESS10');
  // A code from the page's own query is replaced, not doubled.
  assert.equal(buildLink('https://shop.example/?ref=OLD&src=x', 'NEW', ''), 'https://shop.example/?ref=NEW');
});
