// Vouch on a Shopify theme (the app embed's second script, deferred: it runs
// before the document's DOMContentLoaded, so before the loader looks for
// placements). Three jobs, each of which fails quietly:
//  1. data-product: the variant's SKU, or Shopify's product id when the
//     embed's setting says the Vouch feed uses ids;
//  2. consent: with the "Shopify" consent mode, the shopper's choice in
//     Shopify's cookie banner (the Customer Privacy API) becomes
//     vouch('consent', ...), now and whenever it changes;
//  3. the cart's attributes _vouch_vid and _vouch_ref carry the visitor id and
//     the latest referral (the vouch_vid and vouch_ref cookies the loader
//     keeps) into the order, so that Shopify's order webhook has them even
//     when the web pixel never runs. Cleared again when the cookies are gone
//     (consent withdrawn).
(function () {
  const script = document.currentScript || document.querySelector('script[data-vouch-shopify]');
  const config = (script && script.dataset) || {};
  const vouch = (...args) => { try { window.vouch(...args); } catch (_) { /* the queue is missing */ } };

  if (config.productKey === 'id') {
    for (const el of document.querySelectorAll('[data-vouch][data-vouch-product-id]')) {
      el.dataset.product = el.dataset.vouchProductId;
    }
  }

  function followShopifyConsent() {
    const shopify = window.Shopify;
    const apply = () => {
      const privacy = shopify.customerPrivacy;
      if (privacy) vouch('consent', privacy.analyticsProcessingAllowed() && privacy.marketingAllowed());
    };
    document.addEventListener('visitorConsentCollected', (event) => {
      const detail = (event && event.detail) || {};
      vouch('consent', detail.analyticsAllowed === true && detail.marketingAllowed === true);
      syncCart();
    });
    if (shopify && typeof shopify.loadFeatures === 'function') {
      shopify.loadFeatures([{ name: 'consent-tracking-api', version: '0.1' }], (error) => { if (!error) apply(); });
    } else if (shopify && shopify.customerPrivacy) {
      apply();
    }
  }

  function cookie(name) {
    for (const part of document.cookie.split('; ')) {
      const eq = part.indexOf('=');
      if (part.slice(0, eq) === name) {
        try { return decodeURIComponent(part.slice(eq + 1)); } catch (_) { return null; }
      }
    }
    return null;
  }

  const root = (window.Shopify && window.Shopify.routes && window.Shopify.routes.root) || '/';
  async function syncCart() {
    try {
      const wanted = { _vouch_vid: cookie('vouch_vid') || '', _vouch_ref: cookie('vouch_ref') || '' };
      const cart = await (await fetch(root + 'cart.js', { credentials: 'same-origin' })).json();
      const held = (cart && cart.attributes) || {};
      const changed = Object.keys(wanted).some((key) => (held[key] || '') !== wanted[key]);
      if (!changed) return;
      await fetch(root + 'cart/update.js', {
        method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ attributes: wanted }),
      });
    } catch (_) { /* no cart here (a password page, the theme editor): the pixel still reports */ }
  }

  if (config.consentMode === 'shopify') followShopifyConsent();
  // The loader writes its cookies as it starts (async); by the load event it has.
  if (document.readyState === 'complete') syncCart();
  else window.addEventListener('load', syncCart);
})();
