// Creators: who is in the creator portal (docs/portal.md). Invite a creator
// of the roster (with an e-mail, so links can go through the store's
// mailer), make a sign-in link to copy or send, revoke access, see what
// happened in the portal, and the portal's settings: the refund window
// (how long a commission stays pending), the minimum payout and the
// mailer's URL. Server: /v1/admin/creators/*, /v1/admin/portal/*.
import { api, feed } from './api.js';
import { announce, errorBox, h } from './dom.js';
import { clip } from '../shared/dom.js';
import { dateTime, money } from './format.js';

function settingsForm(settings, reload) {
  const days = h('input', { id: 'refund-window', type: 'number', min: 0, max: 365, step: 1, value: settings.refund_window_days });
  const minimum = h('input', { id: 'payout-minimum', type: 'number', min: 0, step: 'any', value: settings.payout_minimum });
  const mailer = h('input', { id: 'mailer-url', type: 'url', value: settings.mailer_url, placeholder: 'https://mailer.example/vouch', size: 40 });
  const status = h('p', { role: 'status', id: 'settings-status' });
  return h('form', { class: 'panel', id: 'portal-settings', onsubmit: async (event) => {
    event.preventDefault();
    try {
      await api('/v1/admin/portal/settings', { method: 'POST', body: {
        refund_window_days: Number(days.value), payout_minimum: Number(minimum.value), mailer_url: mailer.value.trim() } });
      status.textContent = 'Saved.';
      reload();
    } catch (e) { status.replaceChildren(errorBox(e, 'save the settings')); }
  } },
  h('h2', {}, 'Portal settings'),
  h('div', { class: 'row' },
    h('p', { class: 'field' }, h('label', { for: 'refund-window' }, 'Refund window (days)'), days,
      h('span', { class: 'hint' }, 'A commission stays pending this long after its order, then it is approved.')),
    h('p', { class: 'field' }, h('label', { for: 'payout-minimum' }, 'Minimum payout'), minimum,
      h('span', { class: 'hint' }, 'Creators can request a payout once their approved balance reaches it.')),
    h('p', { class: 'field' }, h('label', { for: 'mailer-url' }, 'Mailer URL (sign-in links)'), mailer,
      h('span', { class: 'hint' }, 'Sign-in links are POSTed there, signed like review requests. Empty: copy links by hand.'))),
  h('button', { type: 'submit' }, 'Save settings'), status);
}

function linkBox(url) {
  const field = h('input', { type: 'text', readonly: true, value: url, class: 'link-field', 'aria-label': 'Sign-in link' });
  return h('div', { class: 'notice ok link-box' }, h('p', {}, 'Sign-in link (works once, for 15 minutes):'), field,
    h('button', { type: 'button', class: 'secondary', onclick: async () => {
      try { await navigator.clipboard.writeText(url); announce('Link copied'); } catch (_) { field.select(); }
    } }, 'Copy'));
}

function creatorRow(c, reload) {
  const out = h('div', { class: 'creator-out' });
  const act = async (path, body, done) => {
    try {
      const answer = await api(`/v1/admin/creators/${encodeURIComponent(c.id)}/${path}`, { method: 'POST', body });
      done(answer);
    } catch (e) { out.replaceChildren(errorBox(e, path.replace('-', ' '))); }
  };
  return h('li', { class: 'ugc creator', 'data-creator': c.id },
    h('h3', {}, c.name, ' ', h('span', { class: 'muted' }, c.handle ? `@${c.handle}` : ''),
      c.open_request ? h('span', { class: 'tag' }, `payout requested ${money(c.open_request.amount)}`) : null),
    h('p', { class: 'meta' }, c.invited ? `Invited ${dateTime(c.invited_at)}` : 'Not invited',
      c.email ? ` · ${c.email}` : '', ' · ',
      c.last_seen_at ? `last seen ${dateTime(c.last_seen_at)} (${c.active_sessions} signed in)` : 'never signed in'),
    h('p', { class: 'meta' }, `Pending ${money(c.balances.pending)} · approved ${money(c.balances.approved)} · paid ${money(c.balances.paid)}`),
    h('p', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', 'data-action': 'link',
        onclick: () => act('portal-link', {}, (a) => out.replaceChildren(linkBox(a.url))) }, 'Make a sign-in link'),
      c.email ? h('button', { type: 'button', class: 'secondary', 'data-action': 'send',
        onclick: () => act('portal-link', { send: true }, () => { out.replaceChildren(h('p', { class: 'notice ok' }, 'Sent to the mailer.')); }) }, 'Send a link') : null,
      h('button', { type: 'button', class: 'secondary', 'data-action': 'revoke',
        onclick: () => act('revoke', {}, (a) => { announce(`Signed out of ${a.ended} sessions`); reload(); }) }, 'Revoke access')),
    out);
}

function inviteForm(roster, reload) {
  const who = h('select', { id: 'invite-creator' }, roster.map((i) => h('option', { value: i.id }, `${i.name || i.handle} (@${i.handle})`)));
  const email = h('input', { id: 'invite-email', type: 'email', placeholder: 'creator@example.com' });
  const status = h('p', { role: 'status' });
  return h('form', { class: 'panel', id: 'invite', onsubmit: async (event) => {
    event.preventDefault();
    try {
      await api(`/v1/admin/creators/${encodeURIComponent(who.value)}/invite`, { method: 'POST', body: { email: email.value.trim() } });
      status.textContent = 'Invited.';
      reload();
    } catch (e) { status.replaceChildren(errorBox(e, 'invite')); }
  } }, h('h2', {}, 'Invite a creator'),
  h('div', { class: 'row' }, h('p', { class: 'field' }, h('label', { for: 'invite-creator' }, 'Creator'), who),
    h('p', { class: 'field' }, h('label', { for: 'invite-email' }, 'E-mail (optional)'), email)),
  h('button', { type: 'submit' }, 'Invite'), status);
}

export async function render(container) {
  const body = h('div', {});
  container.append(h('p', { class: 'lede' }, 'Creators sign in to their portal with a link that works once, for 15 minutes: copy it to them, or let your mailer send it. They see only their own links, results, commissions and payouts.'), body);
  const reload = async () => {
    try {
      const [data, roster, activity] = await Promise.all([api('/v1/admin/creators'), feed(),
        api('/v1/admin/portal/activity')]);
      const list = data.creators.map((c) => creatorRow(c, reload));
      body.replaceChildren(
        inviteForm(roster.json.influencers || [], reload),
        h('h2', {}, 'In the portal'),
        list.length ? h('ul', { class: 'queue', id: 'creators' }, list) : h('p', { class: 'muted' }, 'No creator yet.'),
        settingsForm(data.settings, reload),
        h('h2', {}, 'Portal activity'),
        h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Portal activity' }, h('table', { class: 'data compact', id: 'portal-activity' },
          h('caption', {}, 'The last 200 events'),
          h('thead', {}, h('tr', {}, ['When', 'Creator', 'What', 'Detail'].map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', {}, activity.activity.map((a) => h('tr', {}, h('td', {}, dateTime(a.at)), h('td', {}, a.influencer),
            h('td', {}, a.action.replace(/_/g, ' ')), h('td', { title: a.detail }, clip(a.detail, 40))))))));
    } catch (e) {
      body.replaceChildren(errorBox(e, 'load the creators'));
    }
  };
  await reload();
}
