// Campaign tasks: the terms of each campaign the creator is on (fee,
// commission rate, seeded products, deliverables and due dates), and what
// they can do at its stage: accept or decline the terms, submit their
// deliverables' links, and read the approval or the reason for a rejection.
// The stage rules are the campaigns' own (core/campaigns, docs/campaigns.md).
import { api } from './api.js';
import { h } from '../shared/dom.js';
import { isLinkUrl } from '../shared/dom.js';
import { announce, errorBox } from './errors.js';
import { t } from './i18n.js';

function terms(c, { format, money }) {
  const x = c.terms;
  return h('dl', { class: 'terms' },
    h('dt', {}, t('campaigns.dates')), h('dd', {}, `${format.date(c.starts)} – ${format.date(c.ends)}`),
    h('dt', {}, t('campaigns.fee')), h('dd', {}, money(x.fee)),
    h('dt', {}, t('campaigns.commission')), h('dd', {}, x.commission_percent == null ? t('campaigns.storeRate')
      : format.percent(x.commission_percent / 100, 1)),
    x.products.length ? [h('dt', {}, t('campaigns.products')), h('dd', {}, h('ul', {},
      x.products.map((p) => h('li', {}, `${p.qty} × ${p.title || p.product}`))))] : null,
    x.deliverables.length ? [h('dt', {}, t('campaigns.deliverables')), h('dd', {}, h('ul', {},
      x.deliverables.map((d) => h('li', {}, t('campaigns.deliverable', { count: d.count, kind: d.kind, due: format.date(d.due) })))))] : null,
    x.codes.length ? [h('dt', {}, t('campaigns.codes')), h('dd', {}, x.codes.map((code) => h('code', {}, code, ' ')))] : null);
}

// What the creator may do now: accept/decline (invited), submit (after acceptance or a rejection).
function actions(c, reload) {
  const status = h('p', { role: 'status', class: 'status' });
  const move = async (path, body) => {
    try {
      await api(`/v1/portal/campaigns/${encodeURIComponent(c.id)}/${path}`, { method: 'POST', body });
      announce(t(`campaigns.done.${path}`));
      reload();
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  };
  const out = [];
  if (c.actions.includes('accept')) {
    const agree = h('input', { type: 'checkbox', id: `agree-${c.id}` });
    out.push(h('p', { class: 'check' }, agree, h('label', { for: `agree-${c.id}` }, t('campaigns.agree'))),
      h('p', { class: 'actions' },
        h('button', { type: 'button', onclick: () => (agree.checked ? move('accept', {}) : status.replaceChildren(
          h('span', { class: 'error' }, t('campaigns.tickFirst')))) }, t('campaigns.accept')),
        h('button', { type: 'button', class: 'secondary', onclick: () => move('decline', {}) }, t('campaigns.decline'))));
  }
  if (c.actions.includes('submit')) {
    const count = Math.max(1, c.terms.deliverables.reduce((n, d) => n + d.count, 0));
    const inputs = Array.from({ length: Math.min(count, 10) }, (_, i) => h('input', {
      type: 'url', id: `url-${c.id}-${i}`, inputmode: 'url', spellcheck: 'false', placeholder: 'https://' }));
    out.push(h('form', { class: 'submit', novalidate: true, onsubmit: (event) => {
      event.preventDefault();
      const urls = inputs.map((i) => i.value.trim()).filter(Boolean);
      const bad = inputs.find((i) => i.value.trim() && !/^https?:\/\//i.test(i.value.trim()) || (i.value.trim() && !isLinkUrl(i.value.trim())));
      if (!urls.length || bad) {
        status.replaceChildren(h('span', { class: 'error' }, t('campaigns.badUrls')));
        (bad || inputs[0]).focus();
        return;
      }
      move('submit', { urls });
    } }, h('fieldset', {}, h('legend', {}, t('campaigns.submitLinks')),
      inputs.map((input, i) => [h('label', { for: input.id }, t('campaigns.link', { n: i + 1 })), input])),
    h('button', { type: 'submit' }, t('campaigns.submit'))));
  }
  return [...out, status];
}

function history(c, { format }) {
  return h('ol', { class: 'history' }, c.history.map((s) => h('li', { 'data-stage': s.stage },
    h('strong', {}, t(`stage.${s.stage}`)), ' ', h('span', { class: 'muted' }, format.date(s.at)),
    s.reason ? h('p', { class: s.stage === 'rejected' ? 'notice warn' : 'hint' }, t('campaigns.reason', { reason: s.reason })) : null,
    (s.urls || (s.url ? [s.url] : [])).length ? h('ul', {}, (s.urls || [s.url]).map((u) => h('li', {}, h('a', { href: u, rel: 'noopener noreferrer' }, u)))) : null)));
}

export async function render(container, ctx) {
  const list = h('div', { class: 'campaigns' });
  const load = async () => {
    try {
      const { campaigns } = await api('/v1/portal/campaigns');
      list.replaceChildren(...(campaigns.length ? campaigns.map((c) => h('article', { class: 'panel campaign', 'data-campaign': c.id },
        h('h2', {}, c.name, ' ', h('span', { class: `state ${c.stage}` }, t(`stage.${c.stage}`))),
        terms(c, ctx), actions(c, load), h('h3', {}, t('campaigns.history')), history(c, ctx)))
        : [h('p', { class: 'empty' }, t('campaigns.none'))]));
    } catch (error) {
      // A server without campaigns (they come with the campaigns module) has no such route.
      list.replaceChildren(error.status === 404 ? h('p', { class: 'empty' }, t('campaigns.none')) : errorBox(error));
    }
  };
  container.append(list);
  await load();
}
