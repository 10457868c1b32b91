// The Shopify theme app extension (integrations/shopify/extensions/vouch-theme):
//  - laid out as Shopify's CLI takes it, within Shopify's limits;
//  - Shopify's theme-check (3.29, its theme-app-extension config) finds no error;
//  - the blocks render with liquidjs (fixtures/theme-render.mjs) into the
//    markup the widget reads; theme-page.test.mjs loads that page in Chromium.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { themeCheckRun } from '@shopify/theme-check-node';
import { transformSync } from 'esbuild';
import { ROOT } from '../browser/support/harness.mjs';
import { EXT, block, buildExtension, productPage } from './fixtures/theme-render.mjs';

buildExtension();

const filesUnder = (dir) => readdirSync(dir, { recursive: true }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());

test('the extension holds only what the Shopify CLI takes, within Shopify\'s limits', () => {
  assert.deepEqual(readdirSync(EXT).sort(), ['assets', 'blocks', 'locales', 'shopify.extension.toml', 'snippets']);
  assert.match(readFileSync(join(EXT, 'shopify.extension.toml'), 'utf8'), /^type = "theme"$/m);
  // Shopify's limits for theme app extensions: JavaScript 10 KB compressed
  // per block, CSS 100 KB, all Liquid 500 KB, and only these asset types.
  const allowed = new Set(['.js', '.css', '.svg', '.png', '.jpg', '.jpeg', '.gif', '.webp', '.woff', '.woff2', '.json', '.wasm']);
  for (const file of filesUnder(join(EXT, 'assets'))) {
    assert.ok(allowed.has(extname(file)), `${file}: not an asset type Shopify takes`);
    const bytes = readFileSync(file);
    if (file.endsWith('.js')) assert.ok(gzipSync(bytes).length <= 10000, `${file}: ${gzipSync(bytes).length} B gzip`);
    if (file.endsWith('.css')) assert.ok(bytes.length <= 100000, `${file}: ${bytes.length} B`);
  }
  const liquid = [...filesUnder(join(EXT, 'blocks')), ...filesUnder(join(EXT, 'snippets'))]
    .reduce((sum, f) => sum + statSync(f).size, 0);
  assert.ok(liquid <= 500000, `${liquid} B of Liquid`);
  // The theme editor's labels in en (default), fr, de and es; the blocks
  // show no text of their own (the widget localises with Intl).
  assert.deepEqual(readdirSync(join(EXT, 'locales')).sort(), ['de.schema.json', 'en.default.schema.json',
    'es.schema.json', 'fr.schema.json']);
});

test('the integrations\' JavaScript is ES2020, as the web build targets (esbuild, no warning)', () => {
  const scripts = [[join(EXT, 'assets/vouch-shopify.js'), 'iife'],
    [join(ROOT, 'integrations/shopify/extensions/vouch-pixel/src/index.js'), 'esm']];
  for (const [file, format] of scripts) {
    const { warnings } = transformSync(readFileSync(file, 'utf8'), { loader: 'js', format, target: 'es2020', sourcefile: file });
    assert.deepEqual(warnings.map((w) => w.text), [], file);
  }
});

test('theme-check with its theme-app-extension config reports no error', async () => {
  const config = join(ROOT, 'tests/integrations/theme-check.yml');
  const { offenses, config: used } = await themeCheckRun(EXT, config, () => {});
  assert.equal(used.context, 'app');
  assert.ok(used.checks.some((check) => check.meta.code === 'AssetSizeAppBlockJavaScript'));
  const errors = offenses.filter((o) => o.severity === 0).map((o) => `${o.check} ${o.uri}:${o.start.line} ${o.message}`);
  assert.deepEqual(errors, []);
});

test('the blocks render with their schema defaults and the owner\'s settings', async () => {
  const html = await productPage({ server: 'https://vouch.example.com', assetBase: '/cdn', locale: 'fr',
    blocks: { 'social-proof': { heading: 'L’avis de nos clients', limit: 4, accent: '#aa3300' } } });
  assert.ok(html.includes('data-documents="https://vouch.example.com/v1/"'), 'the trailing slash of the URL is dropped');
  assert.match(html, /<script\s+src="\/cdn\/vouch.js"\s+async\s+data-vouch-loader/);
  assert.ok(html.includes('data-consent="required"'), 'Shopify consent mode holds the loader until consent');
  assert.ok(html.includes('<h2 class="vouch-block__heading">L’avis de nos clients</h2>'));
  assert.match(html, /data-vouch="social-proof"\s+data-product="sku-3" data-vouch-product-id="8123456789012"\s+data-limit="4"\s+style="--vouch-accent:#aa3300;"/);
  assert.match(html, /<div\s+data-vouch="influencer-picks"\s+data-limit="12"\s+><\/div>/);
  // No heading unless the owner writes one (the widget titles its content).
  assert.equal((html.match(/<h2/g) || []).length, 1);
  assert.match(html, /<span\s+data-vouch="rating-badge"\s+data-product="sku-3"/);
  // Every label is a translation key (theme-check checks that each exists in every locale).
  for (const name of ['vouch-embed', 'social-proof', 'influencer-picks', 'rating-badge']) {
    const { schema } = block(name);
    assert.ok([schema.name, ...schema.settings.map((setting) => setting.label)].every((label) => label.startsWith('t:')), name);
  }
  const none = await productPage({ server: 'https://vouch.example.com', assetBase: '/cdn', embed: { consent: 'none' } });
  assert.equal(none.includes('data-consent="required"'), false);
});

