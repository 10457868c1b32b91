// TEST DOUBLE of web/dist/engine.js, served by the browser tests only while
// the real wasm engine is not built (harness.mjs decides). Never shipped.
// It honours the engine's JS API shape with deliberately simple rules:
// social proof = published items of the product, the creator first, then
// verified, helpful, newest; attribution = coupon over link, else last click.

export class VouchError extends Error {
  constructor(code, path, message) { super(message); this.code = code; this.path = path; }
}

export async function createEngine(feedInput) {
  const feed = typeof feedInput === 'string' ? JSON.parse(feedInput) : feedInput;
  if (!feed || !Array.isArray(feed.products)) throw new VouchError('feed.invalid_type', '/products', 'products must be an array');
  const influencers = new Map((feed.influencers || []).map((i) => [i.id, i]));
  const byCode = new Map();
  for (const i of feed.influencers || []) for (const c of i.codes || []) byCode.set(String(c).toUpperCase(), i.id);

  function socialProof(q) {
    if (!feed.products.some((p) => p.id === q.product)) throw new VouchError('query.unknown_product', '/product', `no product "${q.product}"`);
    const all = (feed.ugc || []).filter((u) => u.product === q.product && u.status === 'published');
    const rated = all.filter((u) => Number.isInteger(u.rating));
    const distribution = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
    for (const u of rated) distribution[u.rating]++;
    const count = rated.length;
    const average = count ? rated.reduce((s, u) => s + u.rating, 0) / count : 0;
    let items = all.filter((u) => (!q.min_rating || (u.rating || 0) >= q.min_rating) &&
        (!q.verified_only || u.author.verified_buyer) && (!q.with_media || (u.media || []).length));
    const key = {
      relevant: (u) => [u.author.influencer === q.via ? 0 : 1, u.author.verified_buyer ? 0 : 1, -u.helpful, -Date.parse(u.at)],
      newest: (u) => [-Date.parse(u.at)], highest: (u) => [-(u.rating || 0)], lowest: (u) => [u.rating || 9],
      helpful: (u) => [-u.helpful], media: (u) => [-(u.media || []).length],
    }[q.sort || 'relevant'];
    items.sort((a, b) => { const x = key(a), y = key(b); for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i]; return a.id < b.id ? -1 : 1; });
    const total = items.length;
    items = items.slice(q.offset || 0, (q.offset || 0) + (q.limit || 10)).map((u) => ({
      id: u.id, score: 1, reasons: ['test double'], kind: u.kind, rating: u.rating, title: u.title, body: u.body,
      author: { name: u.author.name }, verified: u.author.verified_buyer, influencer: u.author.influencer,
      media: u.media || [], at: u.at, helpful: u.helpful, unhelpful: u.unhelpful, locale: u.locale,
    }));
    const endorsements = (feed.endorsements || []).filter((e) => e.product === q.product && influencers.has(e.influencer))
      .map((e) => ({ id: e.id, influencer: e.influencer, score: e.influencer === q.via ? 2 : Math.min(1, (e.likes || 0) / 5000),
        quote: e.quote, media: e.media, url: e.url, handle: influencers.get(e.influencer).handle }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return { product: q.product, summary: { count, average, bayesian_average: average, distribution,
      verified_share: count ? rated.filter((u) => u.author.verified_buyer).length / count : 0 }, items, endorsements, total };
  }

  function attribute(touches, orders, config) {
    const windowMs = ((config && config.window_days) || 30) * 86400000;
    return orders.map((order) => {
      const at = Date.parse(order.at);
      let winner = order.coupon ? byCode.get(order.coupon.toUpperCase()) : null;
      if (!winner) {
        const clicks = touches.filter((t) => t.influencer && Date.parse(t.at) <= at && at - Date.parse(t.at) <= windowMs);
        winner = clicks.length ? clicks[clicks.length - 1].influencer : null;
      }
      return { order_id: order.order_id, duplicate: false, flags: [],
        credits: winner ? [{ influencer: winner, share: 1, revenue: order.value, commission: Math.round(order.value * 10) / 100 }] : [] };
    });
  }

  return { socialProof, attribute, dispose() {} };
}
