// The one DOM builder (web/shared/dom.js) against hostile attributes, URLs
// and text: nothing from data can become an event handler, a style, a script
// URL or markup.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Event } from './support/dom.mjs';
import { clip, h, isLinkUrl, safeUrl } from '../../web/shared/dom.js';

const attributes = (element) => Object.fromEntries([...element.attributes].map((a) => [a.name, a.value]));

test('href and src keep http(s) links and paths on the site, resolved against the page', () => {
  assert.equal(h('a', { href: 'https://cdn.example/p?q=1' }).getAttribute('href'), 'https://cdn.example/p?q=1');
  assert.equal(h('a', { href: 'HTTP://CDN.EXAMPLE/X' }).getAttribute('href'), 'http://cdn.example/X');
  assert.equal(h('img', { src: '/v1/photos/ab.webp' }).getAttribute('src'), 'https://shop.example/v1/photos/ab.webp');
});

test('href and src drop script, data, protocol-relative, relative and overlong URLs', () => {
  const hostile = [
    'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)',
    'vbscript:msgbox(1)', 'data:text/html,<script>alert(1)</script>', 'data:image/svg+xml;base64,PHN2Zz4=',
    'blob:https://shop.example/1', '//evil.example/x.png', '/\\evil.example/x.png', '\\\\evil.example\\x',
    'p/1', '', 'https://', 'https://shop.example/a b', 'https://shop.example/"onerror="x', 'https://x/<script>',
    'https://shop.example/' + 'a'.repeat(2028),   // 2049 bytes: one over the core's limit
    'https://shop.example/' + 'é'.repeat(1014),   // 2049 bytes in UTF-8, 1035 characters
    42, null, { toString: () => 'https://shop.example/' },
  ];
  for (const url of hostile) {
    assert.equal(h('a', { href: url }).hasAttribute('href'), false, `href ${JSON.stringify(url)}`);
    assert.equal(h('img', { src: url }).hasAttribute('src'), false, `src ${JSON.stringify(url)}`);
    assert.equal(safeUrl(url), null, JSON.stringify(url));
  }
  // 2048 bytes exactly is the longest link the core and the widget accept.
  assert.equal(isLinkUrl('https://shop.example/' + 'a'.repeat(2027)), true);
});

test('listeners come only from functions; handler strings, styles and unknown attributes are dropped', () => {
  let clicks = 0;
  const button = h('button', {
    onclick: () => { clicks++; }, onmouseover: 'alert(1)', ONCLICK: 'alert(1)', style: 'background:url(javascript:alert(1))',
    srcdoc: '<script>alert(1)</script>', formaction: 'javascript:alert(1)', 'xlink:href': 'javascript:alert(1)',
    'data-ok': 'yes', 'data-Bad': 'no', 'data-x"y': 'no', class: 'btn', 'aria-label': 'Vote', disabled: false, hidden: true,
  });
  assert.deepEqual(attributes(button), { 'data-ok': 'yes', class: 'btn', 'aria-label': 'Vote', hidden: '' });
  button.dispatchEvent(new Event('click'));
  assert.equal(clicks, 1);
});

test('children are text, never markup; null and false leave nothing; arrays are flattened', () => {
  const p = h('p', {}, '<img src=x onerror=alert(1)>', null, false, ['a', ['b', 3]], h('b', {}, 'c'));
  assert.equal(p.querySelector('img'), null);
  assert.equal(p.textContent, '<img src=x onerror=alert(1)>ab3c');
  assert.equal(p.children.length, 1);
});

test('clip cuts text to its length with an ellipsis', () => {
  assert.equal(clip('x'.repeat(10), 5), 'xxxx…');
  assert.equal(clip('short', 5), 'short');
  assert.equal(clip(null, 5), '');
  assert.equal(clip('a'.repeat(1_000_000), 1200).length, 1200);
});
