// The promise of a product's public documents (docs/social-proof.md,
// "Storefront documents"): the storefront module, as a shopper's browser runs
// it on the documents `vouch export` wrote, gives the same first page (items,
// order, reasons, summary, endorsements, total: the same bytes) as
// `vouch social-proof` on the whole feed, for each sort, `via` each creator
// the document names, two languages, the widget's filters and page sizes.
//
//   VOUCH_BIN=build/release/cli/vouch node --test tests/parity/documents.test.mjs
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { createEngine } from '../../web/dist/engine.js';
import * as storefront from '../../web/dist/storefront-engine.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const vouchBin = process.env.VOUCH_BIN ?? join(here, '../../build/release/cli/vouch');
const work = mkdtempSync(join(tmpdir(), 'vouch-documents-'));
const NOW = '2026-11-01T00:00:00Z';
const feedPath = join(work, 'feed.json');
let full;

// Drops whitespace outside JSON strings (the CLI indents).
function compactJson(text) {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (!' \n\r\t'.includes(c)) {
      out += c;
    }
  }
  return out;
}

before(async () => {
  // A generated store made harder: creators post about the products they
  // endorse (strong posts and old weak ones only `via` lifts), reviews carry
  // links (masked, so their word counts change), a wave of identical
  // reviews sits near the top of sku-1, and some items are in fr-CA / en-GB.
  const feed = JSON.parse(execFileSync(vouchBin, ['generate', '--seed', '11', '--products', '30', '--influencers', '120',
    '--ugc', '5000'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  const endorsers = new Map();
  for (const e of feed.endorsements) endorsers.set(e.product, [...(endorsers.get(e.product) || []), e.influencer]);
  feed.ugc.forEach((u, i) => {
    const k = i + 1;
    const mine = endorsers.get(u.product) || [];
    if (k % 11 === 0 && mine.length) {
      Object.assign(u, { kind: 'post', author: { name: 'Creator', verified_buyer: false, influencer: mine[k % mine.length] } });
      if (k % 2) u.media = [{ type: 'image', url: '/demo/img/hiking-1.svg', alt: 'a post' }];
      else Object.assign(u, { media: [], helpful: 0, at: '2025-01-01T00:00:00Z' });
    }
    if (k % 13 === 0) u.body += ' Bought mine at trail-deals.shop/boots today.';
    if (k % 17 === 0 && u.product === 'sku-1') {
      Object.assign(u, { body: 'Great boots, wore them up the ridge every weekend and they held up well.', helpful: 40,
        unhelpful: 0, status: 'published' });
    }
    if (k % 19 === 0) u.locale = k % 2 ? 'fr-CA' : 'en-GB';
  });
  writeFileSync(feedPath, JSON.stringify(feed));
  const exported = JSON.parse(execFileSync(vouchBin, ['export', '--feed', feedPath, '--out', work, '--now', '2026-11-01T09:30:00Z'],
    { encoding: 'utf8' }));
  assert.equal(exported.as_of, NOW);
  full = await createEngine(readFileSync(feedPath));
});

after(() => {
  full?.dispose();
  rmSync(work, { recursive: true, force: true });
});

// The queries a document's scope promises: the rail (relevant, no filter, 8
// items) on products/NAME.json, every sort and filter of See all (10 items)
// on products/NAME/reviews.json; `via` each creator the document names (and
// one by its code), two languages.
function queries(doc, rail) {
  const vias = [null, ...doc.influencers.map((i) => i.id)];
  if (doc.influencers.length && doc.influencers[0].codes.length) vias.push(doc.influencers[0].codes[0]);
  const out = [];
  for (const sort of rail ? ['relevant'] : ['relevant', 'newest', 'highest', 'lowest', 'helpful', 'media']) {
    for (const locale of ['en', 'fr']) {
      for (const filters of rail ? [{}] : [{}, { min_rating: 4 }, { verified_only: true }, { with_media: true, min_rating: 2 }]) {
        for (const via of sort === 'relevant' ? vias : [null]) {
          const query = { product: doc.products[0].id, now: NOW, sort, locale, limit: rail ? 8 : 10, moderation_lists: false, ...filters };
          if (via) query.via = via;
          out.push(query);
        }
      }
    }
  }
  return out;
}

// sku-1 (the most reviewed), a middle one and a small one.
for (const product of ['sku-1', 'sku-4', 'sku-27']) {
  test(`the first pages on ${product}'s documents are the whole feed's`, async () => {
    const cli = [];
    let compared = 0;
    for (const [rail, path] of [[true, `${product}.json`], [false, join(product, 'reviews.json')]]) {
      const bytes = readFileSync(join(work, 'v1', 'products', path));
      const engine = await storefront.createEngine(bytes);
      for (const query of queries(JSON.parse(bytes), rail)) {
        const onDocument = engine.raw.socialProof(query);
        assert.equal(onDocument, full.raw.socialProof(query), `${path}: ${JSON.stringify(query)}`);
        compared += 1;
        if (compared % 17 === 1) cli.push([query, onDocument]);
      }
      engine.dispose();
    }
    // And a sample against the CLI itself.
    for (const [query, onDocument] of cli) {
      const flags = ['--sort', query.sort, '--locale', query.locale, '--limit', String(query.limit)];
      if (query.min_rating) flags.push('--min-rating', String(query.min_rating));
      if (query.verified_only) flags.push('--verified-only');
      if (query.with_media) flags.push('--with-media');
      if (query.via) flags.push('--via', query.via);
      const r = spawnSync(vouchBin, ['social-proof', '--feed', feedPath, '--product', product, '--now', NOW,
        '--no-moderation-lists', ...flags], { encoding: 'utf8', maxBuffer: 64 << 20 });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(onDocument, compactJson(r.stdout), JSON.stringify(query));
    }
    assert.ok(compared >= 50, `${compared} queries`);
  });
}

test('the documents are bounded: sku-1\'s hold a fraction of its items, its rail document fewer still', () => {
  const rail = JSON.parse(readFileSync(join(work, 'v1', 'products', 'sku-1.json')));
  const reviews = JSON.parse(readFileSync(join(work, 'v1', 'products', 'sku-1', 'reviews.json')));
  const all = JSON.parse(readFileSync(feedPath)).ugc.filter((u) => u.product === 'sku-1' && u.status === 'published');
  assert.ok(all.length > 500, `${all.length} published`);
  assert.ok(reviews.ugc.length < all.length / 2, `${reviews.ugc.length} of ${all.length}`);
  assert.ok(rail.ugc.length < reviews.ugc.length / 2, `${rail.ugc.length} and ${reviews.ugc.length}`);
  assert.equal(rail.document.scope, 'rail');
  assert.equal(reviews.document.scope, 'reviews');
});
