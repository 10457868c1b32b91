// The golden parity set: each case is a `vouch` command line and the
// equivalent call of the wasm engine (web/dist/engine.js). parity.test.mjs
// runs both and requires byte-identical JSON (or the identical error).
//
// In `cli`, "{feed}" is the feed's path and "{input:NAME}" the path of an
// input file (tests/parity/inputs/NAME, or one written by a feed's setup).
// `call` names the engine method; its `args` may use input('NAME') to pass
// the same file's content (JSON lines become an array).

export const NOW = '2026-11-01T00:00:00Z';

// Feeds: checked-in edge cases, and demo stores made by `vouch generate`
// (deterministic: same options, same bytes).
export const FEEDS = {
  trail: { file: 'feeds/trail.json' },
  empty: { file: 'feeds/empty.json' },
  demo: { generate: ['--seed', '42', '--products', '12', '--influencers', '30', '--ugc', '400'] },
  demo7: { generate: ['--seed', '7', '--products', '24', '--influencers', '60', '--ugc', '600'] },
};

const socialProof = (feed, name, query, flags) => ({
  name: `social-proof ${feed}: ${name}`,
  feed,
  cli: ['social-proof', '--feed', '{feed}', ...flags, '--now', NOW],
  call: { method: 'socialProof', args: (_input) => [query, { now: NOW }] },
});

const match = (feed, name, brief) => ({
  name: `match ${feed}: ${name}`,
  feed,
  cli: ['match', '--feed', '{feed}', '--brief', `{input:${brief}}`, '--now', NOW],
  call: { method: 'match', args: (input) => [input(brief), { now: NOW }] },
});

const attribute = (feed, name, touches, orders, config) => ({
  name: `attribute ${feed}: ${name}`,
  feed,
  cli: ['attribute', '--feed', '{feed}', '--touches', `{input:${touches}}`, '--orders', `{input:${orders}}`,
    ...(config ? ['--config', `{input:${config}}`] : []), '--now', NOW],
  jsonLines: true,
  call: { method: 'attribute',
    args: (input) => [input(touches), input(orders), config ? input(config) : null, { now: NOW }] },
});

const report = (feed, name, touches, orders, config) => ({
  name: `report ${feed}: ${name}`,
  feed,
  cli: ['report', '--feed', '{feed}', '--touches', `{input:${touches}}`, '--orders', `{input:${orders}}`,
    ...(config ? ['--config', `{input:${config}}`] : [])],
  call: { method: 'report', args: (input) => [input(touches), input(orders), config ? input(config) : null] },
});

const validate = (feed) => ({
  name: `validate ${feed}`,
  feed,
  cli: ['validate', '{feed}', '--json'],
  call: { method: 'validateFeed' },
});

export const CASES = [
  validate('trail'),
  validate('empty'),
  validate('demo'),
  validate('demo7'),

  socialProof('trail', 'relevant, English shopper', { product: 'sku-1', locale: 'en' },
    ['--product', 'sku-1', '--locale', 'en']),
  socialProof('trail', 'French shopper arriving from an influencer', { product: 'sku-1', locale: 'fr', via: 'inf-7' },
    ['--product', 'sku-1', '--locale', 'fr', '--via', 'inf-7']),
  socialProof('trail', 'lowest first, two per page, second page', { product: 'sku-1', sort: 'lowest', limit: 2, offset: 2 },
    ['--product', 'sku-1', '--sort', 'lowest', '--limit', '2', '--offset', '2']),
  socialProof('trail', 'verified with media only', { product: 'sku-1', verified_only: true, with_media: true },
    ['--product', 'sku-1', '--verified-only', '--with-media']),
  socialProof('trail', 'four stars and up, newest', { product: 'sku-1', min_rating: 4, sort: 'newest' },
    ['--product', 'sku-1', '--min-rating', '4', '--sort', 'newest']),
  socialProof('trail', 'a product with one review', { product: 'sku-2' }, ['--product', 'sku-2']),
  socialProof('trail', 'an unknown product (an error)', { product: 'sku-404' }, ['--product', 'sku-404']),
  socialProof('empty', 'no content at all', { product: 'p-1', locale: 'ja' }, ['--product', 'p-1', '--locale', 'ja']),
  socialProof('demo', 'helpful first', { product: 'sku-1', sort: 'helpful', limit: 10 },
    ['--product', 'sku-1', '--sort', 'helpful', '--limit', '10']),
  socialProof('demo', 'media first', { product: 'sku-3', sort: 'media' }, ['--product', 'sku-3', '--sort', 'media']),
  socialProof('demo7', 'relevant, German shopper', { product: 'sku-5', locale: 'de' },
    ['--product', 'sku-5', '--locale', 'de']),
  socialProof('demo7', 'as the widget asks, without the moderation lists',
    { product: 'sku-5', locale: 'en-US', limit: 6, moderation_lists: false },
    ['--product', 'sku-5', '--locale', 'en-US', '--limit', '6', '--no-moderation-lists']),
  socialProof('demo7', 'highest first', { product: 'sku-12', sort: 'highest', limit: 20 },
    ['--product', 'sku-12', '--sort', 'highest', '--limit', '20']),

  match('trail', 'hiking conversions', 'brief-hiking.json'),
  match('trail', 'a budget that fits nobody', 'brief-tiny-budget.json'),
  match('empty', 'nobody to rank', 'brief-hiking.json'),
  match('demo', 'reach in North America', 'brief-reach.json'),
  match('demo7', 'engagement, mid tier, with exclusions', 'brief-engagement.json'),
  match('demo7', 'hiking conversions', 'brief-hiking.json'),

  attribute('trail', 'default last click', 'trail-touches.jsonl', 'trail-orders.jsonl'),
  attribute('trail', 'linear with commissions', 'trail-touches.jsonl', 'trail-orders.jsonl', 'config-linear.json'),
  attribute('trail', 'time decay', 'trail-touches.jsonl', 'trail-orders.jsonl', 'config-time-decay.json'),
  attribute('trail', 'position based, link beats coupon', 'trail-touches.jsonl', 'trail-orders.jsonl', 'config-position.json'),
  attribute('demo7', 'generated traffic', 'demo7-touches.jsonl', 'demo7-orders.jsonl', 'config-linear.json'),
  report('trail', 'default config', 'trail-touches.jsonl', 'trail-orders.jsonl'),
  report('trail', 'linear with commissions', 'trail-touches.jsonl', 'trail-orders.jsonl', 'config-linear.json'),
  report('demo7', 'generated traffic', 'demo7-touches.jsonl', 'demo7-orders.jsonl', 'config-time-decay.json'),
];
