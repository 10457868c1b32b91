// Public vs private (docs/server.md, "What is public"): every URL a shopper's
// page can reach without the admin token is fetched on a generated store, and
// none may carry a private field (what the store pays its creators, their
// audiences, posts, follower history, niches, the customer hashes), the id of
// an unpublished or spam item, or contact details the engine masks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { BIN, workspace, startServer } from './harness.mjs';

const PRIVATE_KEYS = ['rate', 'audience', 'recent_posts', 'follower_history', 'customer_hashes', 'niches', 'following'];

let ws;
let server;
let feed;

before(async () => {
  ws = workspace();
  // The demo store, with published reviews that carry contact details (masked,
  // not spam: a link and an e-mail address are 2 points of 3) and a creator
  // who posts about a product they endorse.
  feed = JSON.parse(readFileSync(ws.feed, 'utf8'));
  const published = feed.ugc.filter((u) => u.status === 'published' && u.product === 'sku-1');
  published[0].body = 'Solid boots. Bought mine at trail-deals.shop/boots, questions to dana.k@example.com';
  published[1].body = 'Call me on +1 (555) 201-3344 if you want to try them on.';
  const endorsement = feed.endorsements.find((e) => e.product === 'sku-2');
  Object.assign(feed.ugc.find((u) => u.product === 'sku-2' && u.status === 'published'),
    { kind: 'post', author: { name: 'Creator', verified_buyer: false, influencer: endorsement.influencer } });
  feed.influencers[0].customer_hashes = ['f'.repeat(64)];
  writeFileSync(ws.feed, JSON.stringify(feed));
  server = await startServer(ws);
});

after(async () => {
  await server?.stop();
  ws?.cleanup();
});

function privateKeys(value, path = '', found = []) {
  if (Array.isArray(value)) value.forEach((v, i) => privateKeys(v, `${path}/${i}`, found));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (PRIVATE_KEYS.includes(key)) found.push(`${path}/${key}`);
      privateKeys(v, `${path}/${key}`, found);
    }
  }
  return found;
}

test('no public URL of the store carries a private field, an unpublished or spam id, or unmasked contact details', async () => {
  const catalog = await (await fetch(`${server.base}/demo/catalog.json`)).json();
  const urls = ['/v1/store.json', '/demo/catalog.json', '/v1/health'];
  for (const product of catalog.products) {
    urls.push(`/v1/products/${product.id}.json`, `/v1/products/${product.id}/reviews.json`, `/v1/badges/${product.id}.json`,
      `/v1/products/${product.id}/social-proof`, `/v1/products/${product.id}/social-proof?sort=newest&offset=10&limit=100`);
  }
  // What must never appear: items not published, items the engine excludes
  // as spam (its moderation list), customer hashes, the masked details.
  const hidden = feed.ugc.filter((u) => u.status !== 'published').map((u) => u.id);
  for (const product of catalog.products) {
    const all = JSON.parse(execFileSync(BIN, ['social-proof', '--feed', ws.feed, '--product', product.id,
      '--now', '2026-11-01T00:00:00Z', '--limit', '1'], { encoding: 'utf8' }));
    hidden.push(...all.excluded.map((e) => e.id));
  }
  assert.ok(hidden.length > 50, `${hidden.length} hidden ids`);
  const secrets = ['f'.repeat(64), 'trail-deals.shop', 'dana.k@example.com', '201-3344'];

  let crawled = 0;
  for (const url of urls) {
    const res = await fetch(`${server.base}${url}`);
    assert.equal(res.status, 200, url);
    const text = await res.text();
    crawled += 1;
    assert.deepEqual(privateKeys(JSON.parse(text)), [], url);
    for (const id of hidden) assert.ok(!text.includes(`"${id}"`), `${url} names ${id}`);
    for (const secret of secrets) assert.ok(!text.includes(secret), `${url} carries ${secret}`);
  }
  assert.equal(crawled, 3 + 5 * 24);
  const doc = await (await fetch(`${server.base}/v1/products/sku-1/reviews.json`)).json();
  const masked = doc.ugc.find((u) => u.body.startsWith('Solid boots.'));
  assert.equal(masked?.body, 'Solid boots. Bought mine at [link removed], questions to [email removed]');
});

test('the creators a document names are public cards: handle, name, avatar, followers, codes', async () => {
  const doc = await (await fetch(`${server.base}/v1/products/sku-2.json`)).json();
  assert.ok(doc.influencers.length > 0);
  for (const card of doc.influencers) {
    assert.deepEqual(Object.keys(card).sort(), ['avatar', 'codes', 'followers', 'handle', 'id', 'name', 'platform', 'profile_url']);
  }
  // store.json names the creators of its picks only: at most 24 products
  // with at most 12 endorsements each, whatever the roster's size.
  const store = await (await fetch(`${server.base}/v1/store.json`)).json();
  assert.ok(store.picks.length <= 24 && store.picks.every((p) => p.endorsements.length <= 12));
  const named = new Set(store.picks.flatMap((p) => p.endorsements.map((e) => e.influencer)));
  assert.deepEqual(store.creators.map((c) => c.id).sort(), [...named].sort());
  for (const card of store.creators) assert.equal(card.rate, undefined);
});
