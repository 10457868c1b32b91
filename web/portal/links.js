// Links and codes: the creator's codes, and a link builder. Pick any product
// of the store (or the home page), a source tag (instagram, tiktok, youtube
// or one's own, SOURCE_TAG's charset), and get PRODUCT_URL?ref=CODE&src=TAG.
// The widget records src on the touch; the results split by it.
import { api } from './api.js';
import { h } from '../shared/dom.js';
import { SOURCE_TAG } from '../shared/rules.js';
import { announce } from './errors.js';
import { t } from './i18n.js';

const PRESETS = ['instagram', 'tiktok', 'youtube', 'newsletter'];

/** The shareable link: the product page with ?ref= and, when given, &src=. */
export function buildLink(pageUrl, code, tag) {
  const url = new URL(pageUrl);
  url.searchParams.set('ref', code);
  if (tag) url.searchParams.set('src', tag.toLowerCase());
  else url.searchParams.delete('src');
  return url.href;
}

function copyButton(text, label) {
  const button = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    try {
      await navigator.clipboard.writeText(text());
      announce(t('links.copied'));
      button.textContent = t('links.copied');
    } catch (_) {
      button.textContent = t('links.copyByHand');
    }
    setTimeout(() => { button.textContent = label; }, 2000);
  } }, label);
  return button;
}

export async function render(container, { me }) {
  const { shop, products: first } = await api('/v1/portal/products');
  const codes = me.creator.codes;
  const result = h('output', { id: 'link-result', for: 'product-search code tag-custom', class: 'link-out' });
  const error = h('p', { id: 'tag-error', class: 'error', 'aria-live': 'polite' });
  const codeSelect = h('select', { id: 'code', name: 'code' }, codes.map((c) => h('option', { value: c }, c)));
  const list = h('ul', { class: 'choices', id: 'product-choices' });
  let page = `${shop}/`;
  const tagInput = h('input', { id: 'tag-custom', name: 'tag', maxlength: 32, spellcheck: 'false', autocomplete: 'off',
    placeholder: 'podcast', 'aria-describedby': 'tag-error tag-hint' });
  const chosenTag = () => {
    const picked = container.querySelector('input[name=tag-preset]:checked');
    return picked && picked.value !== 'other' ? picked.value : tagInput.value.trim();
  };
  const update = () => {
    const tag = chosenTag();
    const valid = !tag || SOURCE_TAG.test(tag);
    error.textContent = valid ? '' : t('links.badTag');
    tagInput.setAttribute('aria-invalid', valid ? 'false' : 'true');
    result.textContent = valid && codes.length ? buildLink(page, codeSelect.value, tag) : '';
  };
  const choice = (product) => h('li', {}, h('label', { class: 'check' },
    h('input', { type: 'radio', name: 'product', value: product ? product.id : '', checked: !product,
      onchange: () => { page = product ? new URL(product.url, `${shop}/`).href : `${shop}/`; update(); } }),
    product ? product.title : t('links.homePage')));
  const showProducts = (products) => list.replaceChildren(choice(null), ...products.map(choice));
  let timer = 0;
  const search = h('input', { id: 'product-search', type: 'search', autocomplete: 'off', 'aria-controls': 'product-choices',
    oninput: () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const found = await api(`/v1/portal/products?q=${encodeURIComponent(search.value.trim())}`);
        showProducts(found.products);
        page = `${shop}/`;
        update();
      }, 250);
    } });
  showProducts(first);
  const presets = [...PRESETS, 'other'].map((tag, i) => h('label', { class: 'chip' },
    h('input', { type: 'radio', name: 'tag-preset', value: tag, checked: i === 0, onchange: update }),
    tag === 'other' ? t('links.otherTag') : tag));
  tagInput.addEventListener('input', () => {
    container.querySelector('input[name=tag-preset][value=other]').checked = true;
    update();
  });
  codeSelect.addEventListener('change', update);

  container.append(
    h('h2', {}, t('links.codes')),
    codes.length ? h('ul', { class: 'codes' }, codes.map((code) => h('li', {}, h('code', {}, code), ' ',
      copyButton(() => code, t('links.copy'))))) : h('p', { class: 'notice warn' }, t('links.noCodes')),
    h('h2', {}, t('links.builder')),
    h('form', { class: 'builder', onsubmit: (e) => e.preventDefault() },
      h('fieldset', {}, h('legend', { id: 'product-label' }, t('links.product')),
        h('label', { for: 'product-search' }, t('links.search')), search, list),
      h('fieldset', {}, h('legend', {}, t('links.source')), h('div', { class: 'chips' }, presets),
        h('label', { for: 'tag-custom' }, t('links.customTag')), tagInput,
        h('p', { class: 'hint', id: 'tag-hint' }, t('links.tagHint')), error),
      codes.length > 1 ? h('p', {}, h('label', { for: 'code' }, t('links.code')), ' ', codeSelect) : null,
      h('h3', {}, t('links.yourLink')), result,
      h('p', { class: 'actions' }, copyButton(() => result.textContent, t('links.copyLink')))));
  update();
}
