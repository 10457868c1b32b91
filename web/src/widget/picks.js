// <div data-vouch="influencer-picks">: a keyboard-accessible carousel of
// creator-backed products from store.json, where the server's engine ranked
// every product's endorsements: each product once, with its best-scored
// creator, and when the shopper arrived through a creator, that creator's
// picks (among the store's top picks) come first.
import { clip, h, safeUrl } from '../../shared/dom.js';

export const MAX_PICKS = 12;

export function choosePicks(store, via, limit = MAX_PICKS) {
  const picks = [];
  for (const { product, endorsements, summary } of store.picks || []) {
    const quoted = (endorsements || []).filter((e) => e.quote);
    const mine = quoted.find((e) => e.influencer === via);
    const best = mine || quoted[0];
    if (product && best) picks.push({ product, endorsement: best, summary: summary || {}, mine: Boolean(mine) });
  }
  picks.sort((a, b) => (b.mine - a.mine) || ((Number(b.endorsement.score) || 0) - (Number(a.endorsement.score) || 0)) ||
      (a.product.id < b.product.id ? -1 : a.product.id > b.product.id ? 1 : 0));
  return picks.slice(0, limit);
}

export async function renderPicks(base, root, limit = MAX_PICKS) {
  const ctx = Object.assign({}, base, await base.store());
  const { api } = ctx;
  const picks = choosePicks(ctx.store, ctx.via, limit);
  if (!picks.length) throw new Error('no creator picks in store.json');
  const via = ctx.via ? ctx.catalog.influencer(ctx.via) : null;
  const rail = h('ul', { class: 'rail', role: 'list', tabindex: '0', 'aria-label': 'Creator picks, scroll for more' },
    picks.map((pick, index) => h('li', {}, pickCard(ctx, pick, index, picks.length))));
  const scrollBy = (direction) => {
    const card = rail.querySelector('li');
    const step = card ? card.getBoundingClientRect().width + 14 : 260;
    rail.scrollBy({ left: direction * step, behavior: 'smooth' });
  };
  rail.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      event.preventDefault();
      scrollBy(event.key === 'ArrowRight' ? 1 : -1);
    }
  });
  const section = h('section', { class: 'picks', 'aria-roledescription': 'carousel', 'aria-labelledby': 'vouch-picks-title' },
    h('div', { class: 'picks-head' },
      h('div', {},
        via ? h('p', { class: 'welcome' },
          safeUrl(via.avatar) ? h('img', { src: via.avatar, alt: '', width: '36', height: '36' }) : null,
          h('span', {}, 'Recommended by ', h('strong', {}, `@${clip(via.handle, 40)}`), ' — welcome!')) : null,
        h('h2', { id: 'vouch-picks-title' }, via ? `Picks from @${clip(via.handle, 40)} and friends` : 'Loved by creators')),
      h('div', { class: 'arrows' },
        h('button', { class: 'btn', type: 'button', 'aria-label': 'Previous picks', onclick: () => scrollBy(-1) }, '←'),
        h('button', { class: 'btn', type: 'button', 'aria-label': 'Next picks', onclick: () => scrollBy(1) }, '→'))),
    rail);
  rail.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[data-product]');
    if (link) api.emit('click', { placement: 'influencer-picks', target: link.dataset.product, product: link.dataset.product }, true);
  });
  root.appendChild(section);
  return { shown: picks.map((p) => p.endorsement.id), products: picks.map((p) => p.product.id) };
}

function pickCard(ctx, pick, index, total) {
  const { product, endorsement, summary } = pick;
  const handle = clip(endorsement.handle, 40);
  const image = safeUrl(product.image) || safeUrl(endorsement.media);
  const link = h('a', { class: 'title', href: product.url, title: clip(product.title, 200) }, clip(product.title, 80));
  link.dataset.product = product.id;
  return h('article', { class: 'pick', 'aria-roledescription': 'slide', 'aria-label': `${index + 1} of ${total}: ${clip(product.title, 80)}` },
    h('div', { class: 'media' },
      image ? h('img', { class: 'product', src: image, alt: '', loading: 'lazy', decoding: 'async', width: '250', height: '170' }) : null,
      h('div', { class: 'creator' },
        safeUrl(endorsement.avatar) ? h('img', { src: endorsement.avatar, alt: '', width: '40', height: '40', loading: 'lazy' }) : null)),
    h('div', { class: 'text' },
      h('span', { class: 'handle' }, `@${handle}`),
      h('blockquote', {}, `“${clip(endorsement.quote, 400)}”`),
      link,
      h('div', { class: 'meta' },
        h('span', {}, ctx.format.money(Number(product.price) || 0, product.currency || (ctx.store.store && ctx.store.store.currency) || 'USD')),
        summary.count ? h('span', { class: 'muted' }, `★ ${ctx.format.decimal(Number(summary.average) || 0, 1)} (${ctx.format.count(summary.count)})`) : null)));
}
