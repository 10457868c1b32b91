// The rules the widget and the dashboard share with the C++ core have one
// source, the C++: web/shared/rules.js is what tests/web/web_rules.cpp writes
// from it (this test fails when it is stale), and the rules the JavaScript
// applies itself (links, document names, the CSV guard, currency digits,
// codes) run on the same table of cases as their C++ originals.
//
// Binary: VOUCH_WEB_RULES, else build/release/tests/web_rules
// (cmake --build --preset release --target web_rules).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { csvField } from '../../web/admin/format.js';
import { isLinkUrl } from '../../web/shared/dom.js';
import { currencyExponent } from '../../web/shared/format.js';
import { HANDLES, IDENTIFIER, REFERRAL_CODE, REVIEW_TOKEN, SOURCE_TAG } from '../../web/shared/rules.js';
import { validReferralCode, validSourceTag } from '../../web/src/storage.js';
import { normaliseOrder } from '../../web/src/widget/conversion.js';
import { documentName } from '../../web/src/widget/documents.js';
import { REVIEW_LINK } from '../../web/src/widget/index.js';

const root = (path) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const BIN = process.env.VOUCH_WEB_RULES || root('build/release/tests/web_rules');

function webRules(mode, input) {
  assert.ok(existsSync(BIN), `${BIN} is missing: cmake --build --preset release --target web_rules`);
  return execFileSync(BIN, [mode], { input, encoding: 'utf8' });
}

test('web/shared/rules.js is what the core generates (else: bash scripts/gen-rules.sh)', () => {
  assert.equal(readFileSync(root('web/shared/rules.js'), 'utf8'), webRules('js'));
});

// A review token as the server makes it (format_review_token): base64url of
// the order id, unpadded, "." and the first 128 bits of an HMAC in hex.
const MAC = '0123456789abcdef'.repeat(2);
const token = (orderId, mac = MAC) => `${Buffer.from(orderId).toString('base64url')}.${mac}`;

// Each list goes through the C++ rule (web_rules cases) and its JavaScript twin.
// Review tokens: canonical base64url only (the JavaScript checks the shape and
// the length; the server, which verifies the MAC, also the unused low bits).
const CASES = {
  links: ['https://shop.example/p/1', 'http://x', 'HTTPS://SHOP.EXAMPLE', 'hTtP://x', '/p/1', '/', '//evil.example/x',
    '/\\evil.example', 'javascript:alert(1)', 'JavaScript:alert(1)', ' https://x', 'https://x y', 'https://x/\t',
    'data:text/html,<b>', 'blob:https://x/1', 'p/1', '', 'https://', 'ftp://x', 'https://x/"', 'https://x/<', 'https://x/>',
    'https://x/\\', 'https://x/\u0007', 'https://x/é', 'https://x/\u007f', 'https://x/😀',
    'https://x/' + 'a'.repeat(2038), 'https://x/' + 'a'.repeat(2039), 'https://x/' + 'é'.repeat(1019),
    'https://x/' + 'é'.repeat(1020)],
  codes: ['TESS10', 'a', '0', '-TESS', '.x', '_x', 'x_y.z-1', 'a'.repeat(64), 'a'.repeat(65), '', 'tess 10', 'tëss',
    '@tess', 'a;b', 'a/b', 'a:b', 'A-'],
  ids: ['sku-1', 'TS-001/BLK:XL', ':x', '/x', 'a'.repeat(128), 'a'.repeat(129), 'a b', 'ä', 'x.y_z'],
  tags: ['instagram', 'TikTok', 'news-letter_2', 'a'.repeat(32), 'a'.repeat(33), '', '-x', '_x', 'a.b', 'a b', 'é', 'ig:1'],
  handles: [['instagram', 'trail.tess'], ['Instagram', 'trail.tess'], ['instagram', 'a-b'], ['tiktok', 'a'],
    ['tiktok', 'ab'], ['youtube', 'ab'], ['youtube', 'a-b'], ['x', 'a.b'], ['x', 'a_b'], ['x', 'a'.repeat(16)],
    ['mastodon', 'a.b'], ['mastodon', 'a-b'], ['', '_x'], ['instagram', 'a'.repeat(31)]],
  documents: ['sku-1', '.hidden', 'a.b', 'a/b', 'TS-001/BLK:XL', 'é', '日本', '~', ' ', 'a b', '😀', '', '..', 'A_Z-09'],
  csv: ['plain', '=SUM(A1)', '+1', '-1', '@x', '\tx', '\rx', 'a,b', 'a"b', 'a\nb', '=a,b', '', "'x", ' =x', '1,5'],
  currencies: ['USD', 'JPY', 'KWD', 'BHD', 'CLP', 'EUR', 'ISK', 'XXX', '', 'jpy', 'KWDX', 'TND', 'UYI'],
  review_tokens: [token('1001'), token('1'), token('ab'), token('a'.repeat(127)), token('a'.repeat(128)),
    token('a'.repeat(129)), token('a'.repeat(150)), token('#1001/é'), token('1001', MAC.toUpperCase()),
    token('1001', MAC.slice(1)), token('1001', MAC + '0'), `.${MAC}`, 'MTAwMQ==.' + MAC, 'MTAwMQ', '', 'MTAw MQ.' + MAC],
};

const handleRule = (platform) => HANDLES[platform.toLowerCase()] ?? HANDLES[''];
const JS = {
  links: isLinkUrl,
  codes: (code) => REFERRAL_CODE.test(code),
  ids: (id) => IDENTIFIER.test(id),
  tags: (tag) => SOURCE_TAG.test(tag),
  handles: ([platform, handle]) => handleRule(platform).test(handle),
  documents: documentName,
  csv: csvField,
  currencies: currencyExponent,
  review_tokens: (value) => REVIEW_TOKEN.test(value),
};

test('the JavaScript rules give what the C++ ones give, case by case', () => {
  const cpp = JSON.parse(webRules('cases', JSON.stringify(CASES)));
  for (const [name, cases] of Object.entries(CASES)) {
    assert.equal(cpp[name].length, cases.length, name);
    cases.forEach((value, i) => assert.deepEqual(JS[name](value), cpp[name][i], `${name}: ${JSON.stringify(value).slice(0, 80)}`));
  }
});

test('the table has cases on both sides of every rule (it can catch a drift)', () => {
  const cpp = JSON.parse(webRules('cases', JSON.stringify(CASES)));
  for (const name of ['links', 'codes', 'ids', 'handles', 'review_tokens']) {
    assert.ok(cpp[name].includes(true) && cpp[name].includes(false), name);
  }
  // Worked by hand: "é" is C3 A9 in UTF-8; a leading "." is escaped, a later one is not.
  assert.deepEqual(cpp.documents.slice(0, 6), ['sku-1', '~2Ehidden', 'a.b', 'a~2Fb', 'TS-001~2FBLK~3AXL', '~C3~A9']);
  assert.deepEqual(cpp.csv.slice(0, 3), ['plain', "'=SUM(A1)", "'+1"]);
  assert.deepEqual(cpp.currencies.slice(0, 3), [2, 0, 3]);
  // Order ids of 128 bytes (the most) and 129: 171 and 172 base64url digits (see web_rules.cpp).
  assert.equal(token('a'.repeat(128)).length, 171 + 1 + 32);
  assert.deepEqual(cpp.review_tokens.slice(3, 6), [true, true, false]);
});

test('a review link (#vouch-review=TOKEN) takes the tokens the server can make, and no longer ones', () => {
  const longest = token('a'.repeat(128));
  assert.equal(REVIEW_LINK.exec(`#vouch-review=${longest}`)[1], longest);
  assert.equal(REVIEW_LINK.exec(`#x=1&vouch-review=${token('1001')}&y=2`)[1], token('1001'));
  assert.equal(REVIEW_LINK.exec('#vouch-review')[1], undefined);   // the form, with this device's token if any
  assert.equal(REVIEW_LINK.exec(`#vouch-review=${token('a'.repeat(129))}`), null);
  assert.equal(REVIEW_LINK.exec(`#vouch-review=${'A'.repeat(200)}.${MAC}`), null);
});

test('?src= tags follow the core\'s source-tag rule and are kept in lower case (storage.js)', () => {
  for (const tag of CASES.tags) assert.equal(validSourceTag(tag), SOURCE_TAG.test(tag) ? tag.toLowerCase() : null, tag);
  assert.equal(validSourceTag('TikTok'), 'tiktok');
  assert.equal(validSourceTag(null), null);
});

test('?ref= codes and coupons follow the core\'s code rule (storage.js, conversion.js)', () => {
  for (const code of CASES.codes) {
    const expected = REFERRAL_CODE.test(code) ? code : null;
    assert.equal(validReferralCode(`  ${code} `), expected, code);
    assert.equal(normaliseOrder({ coupon: code, items: [] }, 'v-1').coupon, expected && expected.toUpperCase(), code);
  }
});
