// schema.org Product + AggregateRating + Review for the product on the page,
// so search engines can show the stars. Built as data and serialised with
// JSON.stringify into a non-executable script element (allowed under CSP).
import { clip, safeUrl } from '../../shared/dom.js';
import { currencyExponent } from '../../shared/format.js';

export function productJsonLd(product, summary, items) {
  const data = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: clip(product.title, 200),
    sku: product.id,
  };
  const image = safeUrl(product.image);
  if (image) data.image = image;
  const url = safeUrl(product.url);
  if (url) data.url = url;
  if (Number(product.price) >= 0 && product.currency) {
    data.offers = { '@type': 'Offer', price: Number(product.price).toFixed(currencyExponent(product.currency)), priceCurrency: product.currency,
      availability: 'https://schema.org/InStock' };
  }
  if (Number(summary.count) > 0) {
    data.aggregateRating = { '@type': 'AggregateRating', ratingValue: Number(Number(summary.average).toFixed(2)),
      reviewCount: Number(summary.count), bestRating: 5, worstRating: 1 };
  }
  const reviews = items.filter((item) => item.kind === 'review' && Number(item.rating) >= 1).slice(0, 5).map((item) => ({
    '@type': 'Review',
    author: { '@type': 'Person', name: clip(item.author.name, 60) },
    reviewRating: { '@type': 'Rating', ratingValue: Number(item.rating), bestRating: 5, worstRating: 1 },
    name: clip(item.title || '', 140),
    reviewBody: clip(item.body || '', 1200),
    datePublished: typeof item.at === 'string' ? item.at.slice(0, 10) : undefined,
  }));
  if (reviews.length) data.review = reviews;
  return data;
}

export function injectJsonLd(data) {
  const id = 'vouch-jsonld-' + data.sku;
  if (document.getElementById(id)) return;
  const script = document.createElement('script');
  script.type = 'application/ld+json';
  script.id = id;
  // "<" escaped so the text can never close the element if it is ever serialised.
  script.textContent = JSON.stringify(data).replace(/</g, '\\u003c');
  document.head.appendChild(script);
}
