// <span data-vouch="rating-badge" data-product="sku-1">: stars, average and
// count for product grids (badges/NAME.json, no engine), read out as one
// sentence by screen readers.
import { h } from '../../shared/dom.js';
import { stars } from '../render/stars.js';

export async function renderBadge(ctx, root, productId) {
  const summary = await ctx.documents.summary(productId);
  const count = summary.count;
  const average = Number(summary.average) || 0;
  const { format } = ctx;
  const label = count ?
    `Rated ${format.decimal(average, 1)} out of 5 from ${format.count(count)} ${format.plural(count, 'review', 'reviews')}` :
    'No reviews yet';
  // Everything must fit the fixed 9em box the page reserves (styles.js): five
  // stars (5em), the average and a count of at most five characters inside
  // the brackets ("9,999", then "10K"), at .85em.
  const shown = count < 10000 ? format.count(count) : format.compact(count);
  root.appendChild(h('span', { class: 'rating', role: 'img', 'aria-label': label },
    count ? stars(average, 15) : null,
    count ? h('span', { 'aria-hidden': 'true' }, format.decimal(average, 1)) : null,
    h('span', { class: 'muted', 'aria-hidden': 'true' }, count ? `(${shown})` : 'No reviews yet')));
  return { summary };
}
