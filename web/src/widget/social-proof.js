// <div data-vouch="social-proof" data-product="sku-1">: the rating summary
// with its histogram, the engine's chosen reviews and creator posts as a
// card rail, and "See all" with the engine's sorts, filters and pages. The
// engine runs here: the rail on the product's document, the first page of
// each sort and filter of "See all" on its reviews document, both exact
// (docs/social-proof.md); pages after the first come from the server's
// engine on the whole feed.
import { clip, h, safeUrl } from '../../shared/dom.js';
import { PAGE_SIZE, RAIL_SIZE } from '../../shared/rules.js';
import { stars } from '../render/stars.js';

const SORTS = [['relevant', 'Most relevant'], ['newest', 'Newest'], ['highest', 'Highest rated'],
  ['lowest', 'Lowest rated'], ['helpful', 'Most helpful'], ['media', 'With photos first']];

export async function renderSocialProof(base, root, productId, railSize = RAIL_SIZE) {
  const ctx = Object.assign({}, base, await base.forProduct(productId));
  const { engine, catalog, format, api, via } = ctx;
  const product = catalog.product(productId);
  let result;
  try {
    if (!product) throw new Error(`product "${productId}" is not in its document`);
    result = await engine.socialProof({ product: productId, locale: ctx.language, via, limit: railSize, sort: 'relevant' });
  } finally {
    ctx.release();   // the rail is the one query on the product's document: the engine frees it
  }
  const summary = result.summary;
  // The summary counts rated reviews; the rail and See all page through every
  // published item (photos and posts without a rating too): `total`.
  const count = summary.count;
  const total = result.total;
  const headingId = 'vouch-reviews-' + productId.replace(/[^A-Za-z0-9_-]/g, '');

  const cards = [];
  for (const e of result.endorsements) {
    if (cards.length >= 2) break;
    const card = endorsementCard(ctx, e);
    if (card) cards.push(card);
  }
  for (const item of result.items) cards.push(itemCard(ctx, item, productId));

  const dialog = h('dialog', { 'aria-labelledby': headingId + '-all' });
  const formDialog = h('dialog', {});
  const writeButton = h('button', { class: 'btn', type: 'button', 'aria-haspopup': 'dialog' }, 'Write a review');
  const openForm = () => {
    api.emit('click', { placement: 'social-proof', target: 'write-review', product: productId });
    // Imported when first opened: a product page's first visit does not pay for the form.
    import(new URL('vouch-review-form.js', ctx.config.widget).href)
      .then((form) => form.openReviewForm(ctx, formDialog, productId, product.title, ctx.reviewToken(productId)))
      .catch((error) => api.warn('review-form', 'the review form is unavailable: ' + ((error && error.message) || error)));
  };
  writeButton.addEventListener('click', openForm);
  const section = h('section', { class: 'proof', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, 'Customer reviews'),
    count ? summaryBlock(format, summary) : h('p', { class: 'empty-note muted' }, 'No reviews yet. Be the first to share what you think.'),
    cards.length ? h('ul', { class: 'rail', role: 'list', tabindex: '0', 'aria-label': 'Highlighted reviews and creator posts' },
      cards.map((card) => h('li', {}, card))) : null,
    h('div', { class: 'footer' },
      total > 0 ? h('span', { class: 'muted' }, `Showing ${format.count(Math.min(total, result.items.length))} of ${format.count(total)}`) : null,
      h('span', { class: 'actions' }, writeButton,
        total > 0 ? h('button', { class: 'btn primary', type: 'button', onclick: () => {
          api.emit('click', { placement: 'social-proof', target: 'see-all', product: productId });
          openAll(ctx, dialog, productId, headingId).catch((error) =>
            api.warn('see-all', 'See all is unavailable: ' + ((error && error.message) || error)));
        } }, `See all ${format.count(total)} ${total > count ? 'reviews and posts' : format.plural(total, 'review', 'reviews')}`) : null)),
    dialog, formDialog);
  // A review link (#vouch-review=TOKEN, from the store's e-mail) opens the form.
  if (ctx.reviewLink(productId)) openForm();
  root.appendChild(section);
  return {
    product,
    summary,
    items: result.items,
    shown: result.items.map((item) => item.id),
  };
}

function summaryBlock(format, summary) {
  const average = Number(summary.average) || 0;
  const dist = summary.distribution || {};
  const total = [1, 2, 3, 4, 5].reduce((sum, k) => sum + (Number(dist[k]) || 0), 0) || 1;
  return h('div', { class: 'summary' },
    h('div', { class: 'score' },
      h('span', { class: 'big', 'aria-hidden': 'true' }, format.decimal(average, 1)),
      stars(average, 20),
      h('span', { class: 'sr' }, `Rated ${format.decimal(average, 1)} out of 5`),
      h('span', { class: 'muted' }, `${format.count(summary.count)} ${format.plural(summary.count, 'review', 'reviews')}`)),
    h('ul', { class: 'histogram', 'aria-label': 'Rating distribution' },
      [5, 4, 3, 2, 1].map((k) => {
        const n = Number(dist[k]) || 0;
        const bar = h('span');
        bar.style.width = (100 * n / total).toFixed(1) + '%';
        return h('li', { 'aria-label': `${k} stars: ${format.count(n)}` },
          h('span', { 'aria-hidden': 'true' }, `${k} ★`), h('span', { class: 'bar', 'aria-hidden': 'true' }, bar),
          h('span', { class: 'muted', 'aria-hidden': 'true' }, format.count(n)));
      })),
    h('div', { class: 'facts' },
      summary.verified_share != null ?
        h('span', {}, `${format.percent(Number(summary.verified_share) || 0)} from verified buyers`) : null,
      h('span', { class: 'muted' }, 'Reviews are chosen for helpfulness, recency and balance.')));
}

function itemCard(ctx, item, productId) {
  const { format, api } = ctx;
  // Shoppers' photos are vouch serve's (/v1/photos/…, beside data-endpoint), whichever origin the shop is on.
  const served = (m) => (m && typeof m.url === 'string' && m.url.startsWith('/v1/photos/') ?
    Object.assign({}, m, { url: new URL(m.url, ctx.config.endpoint).href }) : m);
  const photo = (Array.isArray(item.media) ? item.media : []).map(served).find((m) => m && safeUrl(m.url) && m.type !== 'video');
  const video = (Array.isArray(item.media) ? item.media : []).find((m) => m && safeUrl(m.url) && m.type === 'video');
  const influencer = item.influencer;   // the author, when a known creator: {id, handle, name, avatar}
  const helpful = Number(item.helpful) || 0;
  const voted = ctx.votes.has(item.id);
  const button = h('button', { class: 'btn helpful', type: 'button', 'aria-pressed': voted ? 'true' : 'false' },
    voted ? `Helpful · ${format.count(helpful + 1)}` : `Helpful · ${format.count(helpful)}`);
  if (voted) button.disabled = true;
  button.addEventListener('click', () => {
    if (ctx.votes.has(item.id)) return;
    ctx.vote(item.id);
    api.emit('helpful_vote', { ugc: item.id, product: productId });
    button.textContent = `Thanks! Helpful · ${format.count(helpful + 1)}`;
    button.setAttribute('aria-pressed', 'true');
    button.disabled = true;
  });
  const rating = Number(item.rating);
  return h('article', { class: 'card' + (photo ? ' has-photo' : '') + (influencer ? ' creator' : '') },
    photo ? h('img', { class: 'photo', src: photo.url, alt: clip(photo.alt || 'Customer photo', 200), loading: 'lazy', decoding: 'async', width: '260', height: '110' }) : null,
    rating >= 1 && rating <= 5 ? h('div', {}, stars(rating, 16), h('span', { class: 'sr' }, `${rating} out of 5 stars`)) : null,
    item.title ? h('h3', { title: clip(item.title, 200) }, clip(item.title, 140)) : null,
    h('p', { class: 'body' }, clip(item.body, 1200)),
    video ? h('a', { href: video.url, rel: 'noopener nofollow ugc', target: '_blank' }, 'Watch the video') : null,
    h('div', { class: 'byline' },
      h('span', {}, clip(item.author.name, 60)),
      item.verified ? h('span', { class: 'badge' }, '✓ Verified buyer') : null,
      influencer ? h('span', { class: 'badge' }, `via @${clip(influencer.handle, 40)}`) : null,
      item.at ? h('time', { class: 'muted', datetime: clip(item.at, 40) }, format.date(item.at)) : null),
    button);
}

function endorsementCard(ctx, e) {
  const influencer = ctx.catalog.influencer(e.influencer);
  const handle = e.handle;
  if (!e.quote) return null;
  const media = safeUrl(e.media);
  const link = safeUrl(e.url);
  return h('article', { class: 'card creator' + (media ? ' has-photo' : '') },
    media ? h('img', { class: 'photo', src: media, alt: `Photo shared by @${clip(handle, 40)}`, loading: 'lazy', decoding: 'async', width: '260', height: '110' }) : null,
    h('span', { class: 'badge' }, 'Creator pick'),
    h('p', { class: 'body' }, `“${clip(e.quote, 600)}”`),
    h('div', { class: 'byline' },
      link ? h('a', { href: link, rel: 'noopener nofollow ugc', target: '_blank' }, `@${clip(handle, 40)}`) : h('span', {}, `@${clip(handle, 40)}`),
      influencer && influencer.followers ? h('span', { class: 'muted' }, `${ctx.format.compact(influencer.followers)} followers`) : null));
}

async function openAll(base, dialog, productId, headingId) {
  // The See-all document: the first page of each sort and filter, on the
  // device, with the referring creator resolved against the creators it names.
  // The engine holds it while the dialog is open.
  const ctx = Object.assign({}, base, await base.forProduct(productId, true));
  dialog.addEventListener('close', ctx.release, { once: true });
  const state = { sort: 'relevant', min_rating: 0, verified_only: false, with_media: false, offset: 0 };
  // Pages after the first come from the server: it may know the referring
  // creator only if the shopper allows tracking (it then has their touch
  // already); otherwise the whole dialog is the general order, so that its
  // pages follow on from each other. Without a server, first pages only.
  const server = Boolean(ctx.config.pages);
  const via = server && !ctx.api.tracking() ? undefined : ctx.via;
  const list = h('ul', { class: 'list', role: 'list', 'aria-live': 'polite' });
  const pageInfo = h('span', { class: 'muted' });
  const prev = h('button', { class: 'btn', type: 'button' }, 'Previous');
  const next = h('button', { class: 'btn', type: 'button' }, 'Next');
  const sort = h('select', { 'aria-label': 'Sort reviews' }, SORTS.map(([value, label]) => h('option', { value }, label)));
  const rating = h('select', { 'aria-label': 'Minimum rating' },
    h('option', { value: '0' }, 'All ratings'), [5, 4, 3, 2].map((k) => h('option', { value: String(k) }, `${k}★ & up`)));
  const verified = h('input', { type: 'checkbox' });
  const media = h('input', { type: 'checkbox' });

  let asked = 0;   // a slower, older answer never replaces a newer one
  async function load() {
    const turn = ++asked;
    let result;
    const query = { locale: ctx.language, via, limit: PAGE_SIZE, offset: state.offset, sort: state.sort,
      min_rating: state.min_rating || undefined, verified_only: state.verified_only, with_media: state.with_media };
    try {
      result = state.offset === 0 ? await ctx.engine.socialProof(Object.assign({ product: productId }, query)) :
        await ctx.documents.page(productId, query);
    } catch (error) {
      ctx.api.warn('see-all', 'could not load reviews: ' + (error && error.message));
      return;
    }
    if (turn !== asked) return;
    const total = result.total;
    list.replaceChildren(...result.items.map((item) => h('li', {}, itemCard(ctx, item, productId))));
    if (!total) list.appendChild(h('li', { class: 'empty-note muted' }, 'No reviews match these filters.'));
    const pages = server ? Math.max(1, Math.ceil(total / PAGE_SIZE)) : 1;
    const page = Math.floor(state.offset / PAGE_SIZE) + 1;
    pageInfo.textContent = server || total <= PAGE_SIZE ?
      `Page ${ctx.format.count(page)} of ${ctx.format.count(pages)} · ${ctx.format.count(total)} ${ctx.format.plural(total, 'result', 'results')}` :
      `The first ${ctx.format.count(result.items.length)} of ${ctx.format.count(total)} results`;
    prev.disabled = page <= 1;
    next.disabled = page >= pages;
    list.scrollTop = 0;
  }
  const reset = () => { state.offset = 0; load(); };
  sort.addEventListener('change', () => { state.sort = sort.value; reset(); });
  rating.addEventListener('change', () => { state.min_rating = Number(rating.value); reset(); });
  verified.addEventListener('change', () => { state.verified_only = verified.checked; reset(); });
  media.addEventListener('change', () => { state.with_media = media.checked; reset(); });
  prev.addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE_SIZE); load(); });
  next.addEventListener('click', () => { state.offset += PAGE_SIZE; load(); });
  const close = h('button', { class: 'btn', type: 'button', 'aria-label': 'Close reviews' }, 'Close');
  close.addEventListener('click', () => dialog.close());

  dialog.replaceChildren(h('div', { class: 'dialog' },
    h('header', {}, h('h2', { id: headingId + '-all' }, 'All reviews'), close),
    h('div', { class: 'controls' }, sort, rating,
      h('label', { class: 'check' }, verified, 'Verified buyers only'),
      h('label', { class: 'check' }, media, 'With photos')),
    list,
    h('nav', { 'aria-label': 'Review pages' }, prev, pageInfo, next)));
  await load();   // the dialog opens with its first page
  if (!dialog.open) dialog.showModal();
}
