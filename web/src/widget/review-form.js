// vouch-review-form.js: the "Write a review" form, imported by the
// social-proof placement only when a shopper opens it (a product page's first
// visit does not pay for it). A modal dialog in the placement's shadow root,
// so opening it moves nothing on the page. It posts to vouch serve's
// POST /v1/reviews (beside data-endpoint), with the order's review token when
// this device has one for the product: the review then shows "Verified buyer".
import { h } from '../../shared/dom.js';
import { REVIEW_LIMITS as LIMITS } from '../../shared/rules.js';
import { stars } from '../render/stars.js';
import { randomId } from '../storage.js';

const MB = LIMITS.photoBytes / (1024 * 1024);
const RATING_WORDS = ['', 'Poor', 'Fair', 'Good', 'Very good', 'Excellent'];

const CSS = `
form.review { display: grid; gap: 8px; padding: 14px 18px 18px; overflow-y: auto; }
form.review fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
form.review legend, form.review .label { font-weight: 600; margin-bottom: 6px; padding: 0; }
.field { display: grid; gap: 4px; }
.field input, .field textarea { font: inherit; color: inherit; background: transparent; width: 100%;
  border: 1px solid var(--line); border-radius: 8px; padding: 9px 10px; min-height: 42px; }
.field textarea { min-height: 8.5em; resize: vertical; }
.field input:focus-visible, .field textarea:focus-visible { outline: 3px solid var(--accent); outline-offset: 1px; }
.field [aria-invalid=true] { border-color: #b3261e; }
/* One line is kept for each message, so a message appearing moves nothing. */
.error { color: #b3261e; font-size: .88em; line-height: 1.4; min-height: 1.4em; }
/* Held at the top: the dialog grows and shrinks downwards, its top stays put. */
dialog.write { --gap: max(12px, 4vh); margin-top: var(--gap); margin-bottom: auto; max-height: calc(100vh - 2 * var(--gap)); }
dialog.write .dialog { max-height: calc(100vh - 2 * var(--gap) - 2px); }
.hint { font-size: .85em; }
.rate { display: flex; align-items: center; gap: 2px; }
.rate label { position: relative; display: inline-flex; cursor: pointer; padding: 3px; border-radius: 6px; }
.rate input { position: absolute; opacity: 0; width: 1px; height: 1px; }
.rate input:focus-visible + svg { outline: 3px solid var(--accent); outline-offset: 2px; border-radius: 4px; }
.rate .stars .full { fill: transparent; }
.rate [data-on] .stars .empty { fill: var(--star); }
.rate .word { margin-left: 10px; font-size: .92em; }
.field input[type=file] { padding: 6px; }
.files { margin: 0; padding: 0; list-style: none; font-size: .88em; line-height: 1.4; min-height: 4.2em; }  /* room for 3 names */
.files li { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.verified { padding: 8px 12px; border-radius: 8px; background: color-mix(in srgb, var(--accent) 12%, transparent); font-size: .92em; }
.actions { display: flex; justify-content: flex-end; gap: 10px; flex-wrap: wrap; position: sticky; bottom: -18px;
  margin: 0 -18px -18px; padding: 10px 18px 18px; background: var(--vouch-dialog-bg, Canvas); border-top: 1px solid var(--line); }
.done { padding: 18px; display: grid; gap: 12px; justify-items: start; }
@media (prefers-color-scheme: dark) { .error { color: #f2b8b5; } .field [aria-invalid=true] { border-color: #f2b8b5; } }
`;

let sheet = null;
function formSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

// A single star drawn with the widget's star path (rating radio labels).
function oneStar() {
  const svg = stars(1, 30);
  svg.setAttribute('viewBox', '0 0 20 20');
  svg.setAttribute('width', '30');
  return svg;
}

/**
 * Opens the form in `dialog` (a <dialog> inside the placement's shadow root).
 * ctx: the widget's context (config, format, api); token: the order's review
 * token for this product, or null. Resolves once the dialog is open.
 */
export function openReviewForm(ctx, dialog, productId, productTitle, token) {
  const { api, format, config } = ctx;
  const root = dialog.getRootNode();
  if (root.adoptedStyleSheets && !root.adoptedStyleSheets.includes(formSheet()))
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, formSheet()];
  const id = (name) => `vouch-review-${name}`;
  const clientId = randomId('r-');   // the same id on every retry of this review
  const fields = {};
  const errors = {};

  function field(name, label, control, hint) {
    fields[name] = control;
    errors[name] = h('p', { class: 'error', id: id(name + '-error'), 'aria-live': 'polite' });
    control.setAttribute('id', id(name));
    control.setAttribute('aria-describedby', id(name + '-error') + (hint ? ' ' + id(name + '-hint') : ''));
    // A fault is forgotten as soon as the shopper edits the field (its line stays, so nothing moves).
    control.addEventListener('input', () => { errors[name].textContent = ''; control.removeAttribute('aria-invalid'); });
    return h('div', { class: 'field' },
      h('label', { for: id(name), class: 'label' }, label),
      control,
      hint ? h('p', { class: 'hint muted', id: id(name + '-hint') }, hint) : null,
      errors[name]);
  }

  // The rating: a radio group (arrow keys move, Space/click chooses), drawn as stars.
  const word = h('span', { class: 'word muted', 'aria-hidden': 'true' });
  const radios = [1, 2, 3, 4, 5].map((n) => h('input', { type: 'radio', name: 'rating', value: String(n),
    'aria-label': `${format.count(n)} ${format.plural(n, 'star', 'stars')}: ${RATING_WORDS[n]}` }));
  const labels = radios.map((radio) => h('label', {}, radio, oneStar()));
  const rate = h('div', { class: 'rate' }, labels, word);
  const paint = () => {
    const chosen = Number((radios.find((r) => r.checked) || {}).value) || 0;
    labels.forEach((label, i) => label.toggleAttribute('data-on', i < chosen));
    word.textContent = RATING_WORDS[chosen];
  };
  radios.forEach((radio) => radio.addEventListener('change', () => { paint(); errors.rating.textContent = ''; }));
  errors.rating = h('p', { class: 'error', id: id('rating-error'), 'aria-live': 'polite' });
  const ratingGroup = h('fieldset', { 'aria-describedby': id('rating-error') },
    h('legend', {}, 'Your rating'), rate, errors.rating);
  fields.rating = radios[0];

  const left = h('span', {});
  const body = h('textarea', { name: 'body', rows: '6', required: true, maxlength: String(LIMITS.body) });
  const count = () => { left.textContent = `${format.count(LIMITS.body - body.value.length)} characters left`; };
  body.addEventListener('input', count);
  count();

  // Photos: checked here for count and size; the server judges the content.
  const photos = h('input', { type: 'file', name: 'photos', accept: 'image/jpeg,image/png,image/webp', multiple: true });
  const chosen = h('ul', { class: 'files muted' });
  const uploaded = new Map();   // File -> its name on the server, so a retry does not upload twice
  const pickedFiles = () => Array.from(photos.files || []);
  photos.addEventListener('change', () => {
    errors.photos.textContent = '';
    photos.removeAttribute('aria-invalid');
    chosen.replaceChildren(...pickedFiles().map((file) =>
      h('li', {}, `${file.name} · ${format.count(Math.ceil(file.size / 1024))} KB`)));
  });

  const submit = h('button', { class: 'btn primary', type: 'submit' }, 'Submit review');
  const cancel = h('button', { class: 'btn', type: 'button' }, 'Cancel');
  cancel.addEventListener('click', () => dialog.close());
  const status = h('p', { class: 'error', role: 'status' });
  const form = h('form', { class: 'review', novalidate: true },
    h('p', { class: 'muted' }, `Reviewing ${productTitle}`),
    token ? h('p', { class: 'verified' }, '✓ Your review will show a “Verified buyer” badge: this device holds your order’s review link.') : null,
    ratingGroup,
    field('title', 'Title (optional)', h('input', { name: 'title', type: 'text', maxlength: String(LIMITS.title), autocomplete: 'off' })),
    field('body', 'Your review', body, left),
    field('name', 'Your name, as shown with the review', h('input', { name: 'name', type: 'text', required: true,
      maxlength: String(LIMITS.name), autocomplete: 'given-name' })),
    field('photos', `Photos (optional, up to ${LIMITS.photos})`, photos, `JPEG, PNG or WebP, up to ${MB} MB each. The store removes location and camera details.`),
    chosen,
    h('p', { class: 'hint muted' }, 'Reviews are checked by the store before they appear. Please leave out e-mail addresses, phone numbers and links.'),
    status,
    h('div', { class: 'actions' }, cancel, submit));

  function show(name, message) {
    if (!errors[name]) return false;
    errors[name].textContent = message;
    if (name !== 'rating') fields[name].setAttribute('aria-invalid', 'true');
    return true;
  }
  function clear() {
    for (const name of Object.keys(errors)) {
      errors[name].textContent = '';
      if (name !== 'rating') fields[name].removeAttribute('aria-invalid');
    }
    status.textContent = '';
  }
  function focusFirstError() {
    const first = ['rating', 'title', 'body', 'name', 'photos'].find((name) => errors[name].textContent);
    if (first) (first === 'rating' ? radios.find((r) => r.checked) || radios[0] : fields[first]).focus();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear();
    const rating = Number((radios.find((r) => r.checked) || {}).value) || 0;
    const review = {
      client_id: clientId, product: productId, rating,
      title: fields.title.value.trim(), body: body.value.trim(), author: { name: fields.name.value.trim() },
      locale: format.locale,
    };
    if (!review.title) delete review.title;
    if (token) review.token = token;
    if (api.tracking()) review.visitor = api.visitorId();
    let bad = false;
    if (!rating) bad = show('rating', 'Choose a rating from 1 to 5 stars.') || bad;
    if (!review.body) bad = show('body', 'Write a few words about the product.') || bad;
    if (!review.author.name) bad = show('name', 'Add the name to show with your review.') || bad;
    const files = pickedFiles();
    if (files.length > LIMITS.photos) bad = show('photos', `Choose at most ${LIMITS.photos} photos.`) || bad;
    else if (files.some((file) => file.size > LIMITS.photoBytes)) bad = show('photos', `Each photo may be at most ${MB} MB.`) || bad;
    if (bad) return focusFirstError();
    submit.disabled = true;
    status.textContent = files.length ? 'Sending your photos…' : 'Sending…';
    try {
      if (files.length) {
        const names = [];
        for (const file of files) {
          if (!uploaded.has(file)) {
            const sent = await fetch(new URL('reviews/photos', config.endpoint).href, {
              method: 'POST', headers: { 'content-type': file.type || 'application/octet-stream' }, body: file, credentials: 'omit',
            });
            const answer = await sent.json().catch(() => ({}));
            if (sent.status !== 201) {
              status.textContent = '';
              show('photos', `${file.name}: ${(answer.error && answer.error.message) || 'HTTP ' + sent.status}.`);
              submit.disabled = false;
              return focusFirstError();
            }
            uploaded.set(file, answer.photo);
          }
          names.push(uploaded.get(file));
        }
        review.photos = names;
        status.textContent = 'Sending…';
      }
      const response = await fetch(new URL('reviews', config.endpoint).href, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(review),
        credentials: 'omit',
      });
      const answer = await response.json().catch(() => ({}));
      if (response.status === 200 || response.status === 201) return done(answer);
      const problems = Array.isArray(answer.errors) ? answer.errors : answer.error ? [answer.error] : [];
      status.textContent = '';
      for (const problem of problems) {
        const name = { '/rating': 'rating', '/title': 'title', '/body': 'body', '/author/name': 'name' }[problem.path] ||
          (/^\/photos/.test(problem.path || '') ? 'photos' : null);
        if (!name || !show(name, problem.message)) status.textContent = sentence(problem, response);
      }
      if (!problems.length) status.textContent = sentence(null, response);
      focusFirstError();
    } catch (_) {
      status.textContent = 'Your review could not be sent (no connection?). Try again: it will not be posted twice.';
    }
    submit.disabled = false;
  });

  function done(answer) {
    if (answer.verified_buyer) ctx.spendToken(productId);
    const close = h('button', { class: 'btn primary', type: 'button' }, 'Close');
    close.addEventListener('click', () => dialog.close());
    const thanks = h('div', { class: 'done', role: 'status' },
      h('h3', {}, 'Thank you for your review!'),
      h('p', {}, answer.verified_buyer ?
        'It will appear with a “Verified buyer” badge once the store has checked it.' :
        'It will appear once the store has checked it.'),
      close);
    form.replaceWith(thanks);
    close.focus();
  }

  const close = h('button', { class: 'btn', type: 'button', 'aria-label': 'Close the review form' }, 'Close');
  close.addEventListener('click', () => dialog.close());
  dialog.setAttribute('aria-labelledby', id('heading'));
  dialog.className = 'write';
  dialog.replaceChildren(h('div', { class: 'dialog' },
    h('header', {}, h('h2', { id: id('heading') }, 'Write a review'), close),
    form));
  if (!dialog.open) dialog.showModal();
  radios[0].focus();
}

function sentence(problem, response) {
  if (problem && problem.code === 'review.rate_limited') return 'Too many reviews were sent from here just now. Please try again in a minute.';
  if (problem && problem.code === 'review.token_used') return 'This order’s review link was already used for this product.';
  if (problem && problem.message) return `Your review could not be sent: ${problem.message}.`;
  return `Your review could not be sent (HTTP ${response.status}). Please try again later.`;
}
