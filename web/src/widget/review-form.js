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

const id = (name) => `vouch-review-${name}`;

// The form's controls by name, each with a line for its fault under it.
function createFields() {
  const fields = {};
  const errors = {};
  return {
    fields,
    errors,
    add(name, label, control, hint) {
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
    },
    show(name, message) {
      if (!errors[name]) return false;
      errors[name].textContent = message;
      if (name !== 'rating') fields[name].setAttribute('aria-invalid', 'true');
      return true;
    },
    clear() {
      for (const name of Object.keys(errors)) {
        errors[name].textContent = '';
        if (name !== 'rating') fields[name].removeAttribute('aria-invalid');
      }
    },
    focusFirstError() {
      const first = ['rating', 'title', 'body', 'name', 'photos'].find((name) => errors[name].textContent);
      if (first) fields[first].focus();
    },
  };
}

// The rating: a radio group (arrow keys move, Space/click chooses), drawn as stars.
function ratingInput(format, form) {
  const word = h('span', { class: 'word muted', 'aria-hidden': 'true' });
  const radios = [1, 2, 3, 4, 5].map((n) => h('input', { type: 'radio', name: 'rating', value: String(n),
    'aria-label': `${format.count(n)} ${format.plural(n, 'star', 'stars')}: ${RATING_WORDS[n]}` }));
  const labels = radios.map((radio) => h('label', {}, radio, oneStar()));
  const value = () => Number((radios.find((r) => r.checked) || {}).value) || 0;
  const paint = () => {
    labels.forEach((label, i) => label.toggleAttribute('data-on', i < value()));
    word.textContent = RATING_WORDS[value()];
  };
  radios.forEach((radio) => radio.addEventListener('change', () => { paint(); form.errors.rating.textContent = ''; }));
  form.errors.rating = h('p', { class: 'error', id: id('rating-error'), 'aria-live': 'polite' });
  // The group takes the focus on its checked radio, else its first.
  form.fields.rating = { focus: () => (radios.find((r) => r.checked) || radios[0]).focus() };
  const group = h('fieldset', { 'aria-describedby': id('rating-error') },
    h('legend', {}, 'Your rating'), h('div', { class: 'rate' }, labels, word), form.errors.rating);
  return { group, value, focus: () => radios[0].focus() };
}

// Photos: checked here for count and size; the server judges the content.
function photoInput(format, form) {
  const input = h('input', { type: 'file', name: 'photos', accept: 'image/jpeg,image/png,image/webp', multiple: true });
  const chosen = h('ul', { class: 'files muted' });
  const files = () => Array.from(input.files || []);
  input.addEventListener('change', () => {
    form.errors.photos.textContent = '';
    input.removeAttribute('aria-invalid');
    chosen.replaceChildren(...files().map((file) => h('li', {}, `${file.name} · ${format.count(Math.ceil(file.size / 1024))} KB`)));
  });
  return { input, chosen, files };
}

// The shopper's review as POST /v1/reviews reads it, or null after showing what is missing.
function readReview(ctx, form, rating, photos, base) {
  const { api, format } = ctx;
  const review = Object.assign({}, base, {
    rating: rating.value(), title: form.fields.title.value.trim(), body: form.fields.body.value.trim(),
    author: { name: form.fields.name.value.trim() }, locale: format.locale,
  });
  if (!review.title) delete review.title;
  if (api.tracking()) review.visitor = api.visitorId();
  let bad = false;
  if (!review.rating) bad = form.show('rating', 'Choose a rating from 1 to 5 stars.') || bad;
  if (!review.body) bad = form.show('body', 'Write a few words about the product.') || bad;
  if (!review.author.name) bad = form.show('name', 'Add the name to show with your review.') || bad;
  const files = photos.files();
  if (files.length > LIMITS.photos) bad = form.show('photos', `Choose at most ${LIMITS.photos} photos.`) || bad;
  else if (files.some((file) => file.size > LIMITS.photoBytes)) bad = form.show('photos', `Each photo may be at most ${MB} MB.`) || bad;
  return bad ? null : review;
}

// Each photo uploaded once (`uploaded`: File -> its name on the server, kept
// across retries): the names, or null after showing the server's fault.
async function uploadPhotos(config, files, uploaded, form) {
  const names = [];
  for (const file of files) {
    if (!uploaded.has(file)) {
      const sent = await fetch(new URL('reviews/photos', config.endpoint).href, {
        method: 'POST', headers: { 'content-type': file.type || 'application/octet-stream' }, body: file, credentials: 'omit',
      });
      const answer = await sent.json().catch(() => ({}));
      if (sent.status !== 201) {
        form.show('photos', `${file.name}: ${(answer.error && answer.error.message) || 'HTTP ' + sent.status}.`);
        return null;
      }
      uploaded.set(file, answer.photo);
    }
    names.push(uploaded.get(file));
  }
  return names;
}

// POST /v1/reviews: the answer when stored, else null after showing each fault by its field.
async function postReview(config, review, form, status) {
  const response = await fetch(new URL('reviews', config.endpoint).href, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(review), credentials: 'omit',
  });
  const answer = await response.json().catch(() => ({}));
  if (response.status === 200 || response.status === 201) return answer;
  const problems = Array.isArray(answer.errors) ? answer.errors : answer.error ? [answer.error] : [];
  status.textContent = '';
  for (const problem of problems) {
    const name = { '/rating': 'rating', '/title': 'title', '/body': 'body', '/author/name': 'name' }[problem.path] ||
      (/^\/photos/.test(problem.path || '') ? 'photos' : null);
    if (!name || !form.show(name, problem.message)) status.textContent = sentence(problem, response);
  }
  if (!problems.length) status.textContent = sentence(null, response);
  return null;
}

// What replaces the form once the review is in.
function thanks(dialog, answer) {
  const close = h('button', { class: 'btn primary', type: 'button' }, 'Close');
  close.addEventListener('click', () => dialog.close());
  return { close, element: h('div', { class: 'done', role: 'status' },
    h('h3', {}, 'Thank you for your review!'),
    h('p', {}, answer.verified_buyer ?
      'It will appear with a “Verified buyer” badge once the store has checked it.' :
      'It will appear once the store has checked it.'),
    close) };
}

function reviewFields(ctx, form, productTitle, token, dialog) {
  const { format } = ctx;
  const rating = ratingInput(format, form);
  const photos = photoInput(format, form);
  const left = h('span', {});
  const body = h('textarea', { name: 'body', rows: '6', required: true, maxlength: String(LIMITS.body) });
  const count = () => { left.textContent = `${format.count(LIMITS.body - body.value.length)} characters left`; };
  body.addEventListener('input', count);
  count();
  const submit = h('button', { class: 'btn primary', type: 'submit' }, 'Submit review');
  const cancel = h('button', { class: 'btn', type: 'button' }, 'Cancel');
  cancel.addEventListener('click', () => dialog.close());
  const status = h('p', { class: 'error', role: 'status' });
  const element = h('form', { class: 'review', novalidate: true },
    h('p', { class: 'muted' }, `Reviewing ${productTitle}`),
    token ? h('p', { class: 'verified' }, '✓ Your review will show a “Verified buyer” badge: this device holds your order’s review link.') : null,
    rating.group,
    form.add('title', 'Title (optional)', h('input', { name: 'title', type: 'text', maxlength: String(LIMITS.title), autocomplete: 'off' })),
    form.add('body', 'Your review', body, left),
    form.add('name', 'Your name, as shown with the review', h('input', { name: 'name', type: 'text', required: true,
      maxlength: String(LIMITS.name), autocomplete: 'given-name' })),
    form.add('photos', `Photos (optional, up to ${LIMITS.photos})`, photos.input, `JPEG, PNG or WebP, up to ${MB} MB each. The store removes location and camera details.`),
    photos.chosen,
    h('p', { class: 'hint muted' }, 'Reviews are checked by the store before they appear. Please leave out e-mail addresses, phone numbers and links.'),
    status,
    h('div', { class: 'actions' }, cancel, submit));
  return { element, rating, photos, submit, status };
}

/**
 * Opens the form in `dialog` (a <dialog> inside the placement's shadow root).
 * ctx: the widget's context (config, format, api); token: the order's review
 * token for this product, or null. Resolves once the dialog is open.
 */
export function openReviewForm(ctx, dialog, productId, productTitle, token) {
  const root = dialog.getRootNode();
  if (root.adoptedStyleSheets && !root.adoptedStyleSheets.includes(formSheet()))
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, formSheet()];
  const form = createFields();
  const { element, rating, photos, submit, status } = reviewFields(ctx, form, productTitle, token, dialog);
  // The same client id on every retry of this review; each photo uploaded once.
  const base = Object.assign({ client_id: randomId('r-'), product: productId }, token ? { token } : {});
  const uploaded = new Map();

  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    form.clear();
    status.textContent = '';
    const review = readReview(ctx, form, rating, photos, base);
    if (!review) return form.focusFirstError();
    const files = photos.files();
    submit.disabled = true;
    status.textContent = files.length ? 'Sending your photos…' : 'Sending…';
    try {
      const names = files.length ? await uploadPhotos(ctx.config, files, uploaded, form) : [];
      if (names && files.length) review.photos = names;
      status.textContent = names ? 'Sending…' : '';
      const answer = names && await postReview(ctx.config, review, form, status);
      if (answer) {
        if (answer.verified_buyer) ctx.spendToken(productId);
        const done = thanks(dialog, answer);
        element.replaceWith(done.element);
        return done.close.focus();
      }
      form.focusFirstError();
    } catch (_) {
      status.textContent = 'Your review could not be sent (no connection?). Try again: it will not be posted twice.';
    }
    submit.disabled = false;
  });

  const close = h('button', { class: 'btn', type: 'button', 'aria-label': 'Close the review form' }, 'Close');
  close.addEventListener('click', () => dialog.close());
  dialog.setAttribute('aria-labelledby', id('heading'));
  dialog.className = 'write';
  dialog.replaceChildren(h('div', { class: 'dialog' },
    h('header', {}, h('h2', { id: id('heading') }, 'Write a review'), close),
    element));
  if (!dialog.open) dialog.showModal();
  rating.focus();
}

function sentence(problem, response) {
  if (problem && problem.code === 'review.rate_limited') return 'Too many reviews were sent from here just now. Please try again in a minute.';
  if (problem && problem.code === 'review.token_used') return 'This order’s review link was already used for this product.';
  if (problem && problem.message) return `Your review could not be sent: ${problem.message}.`;
  return `Your review could not be sent (HTTP ${response.status}). Please try again later.`;
}
