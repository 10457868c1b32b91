// Trail & Co's own storefront script: catalogue, cart and checkout. A real
// shop renders these on its server; the demo reads its catalogue from
// /demo/catalog.json, which `vouch serve` answers from the feed. The only
// Vouch code is the queue stub below and the vouch(...) calls; the
// placements are plain elements in the HTML.
window.vouch = window.vouch || function () { (vouch.q = vouch.q || []).push(arguments); };

(function () {
  const CART = 'trailco:cart';
  const LAST_ORDER = 'trailco:last-order';
  const money = (value, currency) => new Intl.NumberFormat('en-US', { style: 'currency', currency: currency || 'USD' }).format(value);
  const $ = (selector) => document.querySelector(selector);
  const niche = (product) => (product.category || '').split('/').pop();
  const params = new URLSearchParams(location.search);
  const page = document.body.dataset.page;
  const blurbs = {
    hiking: 'Built for long days on rough ground: grippy, supportive and comfortable from the first mile to the last.',
    camping: 'Light to carry, quick to set up and dependable when the weather turns.',
    running: 'Responsive and breathable, tuned for easy miles and race days alike.',
    yoga: 'Steady, soft to the touch and made to move with you through every flow.',
    skincare: 'Gentle, fragrance-free care that skin loves, dermatologist tested.',
    coffee: 'For slow mornings and better cups, from bean to brew.',
  };

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attributes || {})) {
      if (k === 'dataset') Object.assign(node.dataset, v);
      else node.setAttribute(k, v);
    }
    for (const child of children) if (child != null) node.append(child);
    return node;
  }

  function readCart() {
    try { return JSON.parse(localStorage.getItem(CART)) || []; } catch (_) { return []; }
  }
  function writeCart(cart) {
    try { localStorage.setItem(CART, JSON.stringify(cart)); } catch (_) { /* private mode */ }
    showCartCount();
  }
  function showCartCount() {
    const count = readCart().reduce((n, line) => n + line.qty, 0);
    const badge = $('.cart-count');
    if (badge) badge.textContent = String(count);
  }

  function productCard(product) {
    return el('a', { class: 'product-card', href: `/demo/product.html?id=${encodeURIComponent(product.id)}` },
      el('div', { class: 'thumb' }, el('img', { src: product.image, alt: '', loading: 'lazy', width: '300', height: '300' })),
      el('span', { class: 'cat' }, niche(product)),
      el('h3', {}, product.title),
      el('span', { 'data-vouch': 'rating-badge', 'data-product': product.id }),
      el('span', { class: 'price' }, money(product.price, product.currency)));
  }

  // The product page knows its product id before anything loads, as a
  // server-rendered page would: set it on the placements right away.
  if (page === 'product') {
    const id = params.get('id') || 'sku-1';
    for (const node of document.querySelectorAll('[data-vouch][data-product]')) node.dataset.product = id;
  }
  showCartCount();

  // The shop's own catalogue (a real shop renders it on its server; `vouch
  // serve` plays that backend for the demo at /demo/catalog.json).
  const catalogue = fetch('/demo/catalog.json').then((r) => r.json()).then((catalog) => ({
    store: catalog.store || {},
    products: catalog.products || [],
  }));

  const pages = {
    home({ products }) {
      const featured = [0, 6, 1, 9, 4, 11, 2, 17].map((i) => products[i]).filter(Boolean);
      $('#featured').replaceChildren(...featured.map(productCard));
      vouch('refresh');
    },
    collection({ products }) {
      const only = params.get('niche');
      const list = only ? products.filter((p) => niche(p) === only) : products;
      $('#count').textContent = `${list.length} products`;
      if (only) $('#title').textContent = only.charAt(0).toUpperCase() + only.slice(1);
      for (const link of document.querySelectorAll('.filters a')) {
        if ((link.dataset.niche || '') === (only || '')) link.setAttribute('aria-current', 'page');
      }
      $('#grid').replaceChildren(...list.map(productCard));
      vouch('refresh');
    },
    product({ products }) {
      const id = params.get('id') || 'sku-1';
      const product = products.find((p) => p.id === id);
      if (!product) { $('#title').textContent = 'Product not found'; return; }
      document.title = `${product.title} · Trail & Co`;
      $('#crumbs').textContent = `Shop / ${niche(product)}`;
      $('#title').textContent = product.title;
      $('#price').textContent = money(product.price, product.currency);
      $('#desc').textContent = blurbs[niche(product)] || '';
      const image = $('#image');
      image.src = product.image;
      image.alt = product.title;
      const add = $('#add');
      add.addEventListener('click', () => {
        const qty = Math.max(1, Number($('#qty').value) || 1);
        const cart = readCart();
        const line = cart.find((l) => l.id === id);
        if (line) line.qty += qty; else cart.push({ id, qty });
        writeCart(cart);
        $('#status').textContent = `Added ${qty} × ${product.title} to your cart.`;
      });
      add.disabled = false;   // clickable once it works: the catalogue can take a moment
    },
    cart({ products }) {
      const cart = readCart().filter((line) => products.some((p) => p.id === line.id));
      const body = $('#lines');
      if (!cart.length) {
        $('#cart').replaceChildren(el('p', { class: 'empty' }, 'Your cart is empty. ', el('a', { href: '/demo/collection.html' }, 'Find something you love.')));
        return;
      }
      let total = 0;
      body.replaceChildren(...cart.map((line) => {
        const product = products.find((p) => p.id === line.id);
        total += product.price * line.qty;
        const remove = el('button', { class: 'button ghost', type: 'button' }, 'Remove');
        remove.addEventListener('click', () => { writeCart(readCart().filter((l) => l.id !== line.id)); location.reload(); });
        return el('tr', {},
          el('td', {}, el('div', { class: 'cart-item' }, el('img', { src: product.image, alt: '' }),
            el('a', { href: `/demo/product.html?id=${product.id}` }, product.title))),
          el('td', {}, String(line.qty)),
          el('td', {}, money(product.price, product.currency)),
          el('td', {}, remove));
      }));
      $('#total').textContent = money(total, 'USD');
    },
    checkout({ products, store }) {
      const cart = readCart();
      const lines = cart.map((line) => ({ line, product: products.find((p) => p.id === line.id) })).filter((x) => x.product);
      const total = lines.reduce((sum, x) => sum + x.product.price * x.line.qty, 0);
      $('#summary-lines').replaceChildren(...lines.map(({ line, product }) =>
        el('div', { class: 'line' }, el('span', {}, `${line.qty} × ${product.title}`), el('span', {}, money(product.price * line.qty)))));
      $('#total').textContent = money(total, store.currency);
      $('#checkout').addEventListener('submit', (event) => {
        event.preventDefault();
        if (!lines.length) return;
        const form = new FormData(event.target);
        const order = {
          orderId: 'TC-' + Date.now().toString(36).toUpperCase() + Math.floor(Math.random() * 1e4),
          value: Math.round(total * 100) / 100,
          currency: store.currency || 'USD',
          items: lines.map(({ line, product }) => ({ product: product.id, qty: line.qty, price: product.price })),
          coupon: String(form.get('coupon') || '').trim() || null,
          email: String(form.get('email') || '').trim(),
        };
        localStorage.setItem(LAST_ORDER, JSON.stringify(order));
        writeCart([]);
        location.href = `/demo/thank-you.html?order=${encodeURIComponent(order.orderId)}`;
      });
    },
    'thank-you'() {
      let order = null;
      try { order = JSON.parse(localStorage.getItem(LAST_ORDER)); } catch (_) { /* none */ }
      if (!order || order.orderId !== params.get('order')) {
        $('#order').textContent = 'We could not find that order.';
        return;
      }
      $('#order').textContent = `Order ${order.orderId} · ${money(order.value, order.currency)}`;
      // The conversion call a store owner adds to the order status page.
      vouch('conversion', order);
      // Links to review what was bought: the product page opens Vouch's form
      // (#vouch-review), which finds this order's review token on the device.
      const links = $('#review-links');
      for (const item of order.items) {
        const link = el('a', { href: `/demo/product.html?id=${encodeURIComponent(item.product)}#vouch-review` }, `Review ${item.product}`);
        links.appendChild(el('li', {}, link));
        catalogue.then(({ products }) => {
          const product = products.find((p) => p.id === item.product);
          if (product) link.textContent = `Review ${product.title}`;
        }, () => {});
      }
    },
  };

  const run = pages[page];
  if (page === 'thank-you') {
    run();
  } else if (run) {
    catalogue.then(run).catch(() => {
      const main = $('main');
      if (main) main.prepend(el('p', { class: 'wrap empty' }, 'The shop is taking a short break. Please try again in a minute.'));
    });
  }
})();
