// Moderation: pending customer content with the social-proof engine's
// verdict (spam signals, masked contact details), approve or reject
// (POST /v1/admin/moderation writes an override the served feed applies; the
// feed file is never rewritten) and the log of every decision with its time.
import { api, feed } from './api.js';
import { announce, errorBox, h, safeUrl } from './dom.js';
import { dateTime, integer } from './format.js';

// Reviews shoppers write: publish the clean ones of verified buyers at once, or approve everything.
function autoPublishSetting() {
  const autoPublish = h('input', { type: 'checkbox', id: 'auto-publish', disabled: true });
  const autoStatus = h('span', { class: 'muted', role: 'status' });
  autoPublish.addEventListener('change', async () => {
    try {
      const saved = await api('/v1/admin/review-settings', { method: 'POST', body: { auto_publish: autoPublish.checked } });
      autoPublish.checked = saved.auto_publish;
      autoStatus.textContent = saved.auto_publish ? 'Saved: clean reviews of verified buyers are published at once.' : 'Saved: every new review waits for your approval.';
    } catch (e) {
      autoStatus.replaceChildren(errorBox(e, 'save the setting'));
    }
  });
  api('/v1/admin/review-settings').then((settings) => {
    autoPublish.checked = settings.auto_publish;
    autoPublish.disabled = false;
  }, (e) => autoStatus.replaceChildren(errorBox(e, 'load the review settings')));
  return h('p', { class: 'toolbar' }, h('label', { class: 'check', for: 'auto-publish' }, autoPublish,
    'Publish reviews from verified buyers at once when the engine finds nothing to check (no spam signal at all); hold the others for me'), autoStatus);
}

export async function render(container) {
  const list = h('div', { id: 'pending' });
  const log = h('div', { id: 'decisions' });
  container.append(
    h('p', { class: 'lede' }, 'Reviews and photos waiting for your decision. Approved items appear in the widget at once; the feed file itself is not changed.'),
    autoPublishSetting(),
    list, h('h2', {}, 'Decisions'), log);

  // What drawItem needs: the products by id, and how to load the queue again after a decision.
  const page = { products: new Map(), list, container, load };
  async function load() {
    let data;
    try {
      const [moderation, served] = await Promise.all([api('/v1/admin/moderation'), feed()]);
      data = moderation;
      page.products = new Map((served.json.products || []).map((p) => [p.id, p]));
    } catch (e) {
      list.replaceChildren(errorBox(e, 'load the moderation queue'));
      return;
    }
    drawPending(page, data);
    drawLog(log, data.log || data.decisions || []);
  }
  await load();
}

function drawPending(page, data) {
  if (!data.pending.length) {
    page.list.replaceChildren(h('p', { class: 'notice ok' }, 'Nothing is waiting for moderation.'));
    return;
  }
  const more = data.total_pending > data.pending.length ? ` (the first ${data.pending.length} shown)` : '';
  page.list.replaceChildren(h('p', {}, `${integer(data.total_pending)} waiting${more}.`),
    h('ul', { class: 'queue' }, data.pending.map((item) => drawItem(page, item))));
}

// Approve or reject: saved, announced, and the queue drawn again with the focus on the next item.
async function decide(page, item, decision, button, status) {
  for (const b of button.parentElement.querySelectorAll('button')) b.disabled = true;
  status.textContent = 'Saving…';
  try {
    await api('/v1/admin/moderation', { method: 'POST', body: { ugc: item.id, status: decision } });
  } catch (e) {
    status.replaceChildren(errorBox(e, 'save the decision'));
    for (const b of button.parentElement.querySelectorAll('button')) b.disabled = false;
    return;
  }
  feed(true).catch(() => {});
  const words = decision === 'published' ? 'approved' : 'rejected';
  announce(`${item.id} ${words}`);
  document.dispatchEvent(new CustomEvent('vouch:moderated'));
  await page.load();
  const next = page.list.querySelector('.queue button');
  (next || page.container.querySelector('h1')).focus();
}

function drawItem(page, item) {
  const verdict = item.moderation || { reasons: [], spam: false, title: item.title, body: item.body };
  const product = page.products.get(item.product);
  const status = h('p', { class: 'item-status', role: 'status' });
  const title = verdict.title || item.title;
  return h('li', { class: 'ugc' + (verdict.spam ? ' spam' : ''), 'data-ugc': item.id },
    h('div', { class: 'ugc-head' },
      h('strong', {}, item.author && item.author.name ? item.author.name : 'Anonymous'),
      item.author && item.author.verified_buyer ? h('span', { class: 'tag' }, 'Verified buyer') : null,
      item.author && item.author.influencer ? h('span', { class: 'tag' }, 'Creator') : null,
      h('span', { class: 'muted' }, ` ${item.kind}${item.rating ? ` · ${item.rating} of 5 stars` : ''} · ${dateTime(item.at)} · `),
      product && safeUrl(product.url) ? h('a', { href: product.url }, product.title) : h('span', { class: 'muted' }, item.product)),
    title ? h('p', { class: 'ugc-title' }, title) : null,
    verdict.body || item.body ? h('p', { class: 'ugc-body' }, verdict.body || item.body) : null,
    (item.media || []).length ? h('div', { class: 'media' }, item.media.filter((m) => m.type === 'image').slice(0, 4).map((m) =>
      h('img', { src: m.url, alt: m.alt || 'customer photo', width: 96, height: 96, loading: 'lazy' }))) : null,
    h('div', { class: 'verdict' + (verdict.spam ? ' bad' : '') },
      h('strong', {}, verdict.spam ? 'Spam: will stay hidden even if approved.' : verdict.reasons.length ? 'Check before approving:' : 'No spam signals found.'),
      verdict.reasons.length ? h('ul', {}, verdict.reasons.map((r) => h('li', {}, r))) : null),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'approve', onclick: (e) => decide(page, item, 'published', e.currentTarget, status) }, 'Approve', h('span', { class: 'visually-hidden' }, ` ${item.id}`)),
      h('button', { type: 'button', class: 'reject secondary', onclick: (e) => decide(page, item, 'rejected', e.currentTarget, status) }, 'Reject', h('span', { class: 'visually-hidden' }, ` ${item.id}`)),
      h('span', { class: 'muted id' }, item.id)),
    status);
}

function drawLog(log, entries) {
  if (!entries.length) { log.replaceChildren(h('p', { class: 'muted' }, 'No decisions yet.')); return; }
  const words = { published: 'Approved', rejected: 'Rejected', pending: 'Sent back to pending' };
  log.replaceChildren(h('div', { class: 'table-wrap', tabindex: '0' }, h('table', { class: 'data compact', id: 'decision-log' },
    h('caption', {}, 'Every decision, newest first'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'Item'), h('th', { scope: 'col' }, 'Decision'))),
    h('tbody', {}, entries.map((d) => h('tr', { 'data-ugc': d.ugc },
      h('td', {}, h('time', { datetime: d.decided_at }, dateTime(d.decided_at))), h('td', {}, d.ugc), h('td', {}, words[d.status] || d.status)))))));
}
