// Payouts: every creator's approved, unpaid commissions (and whether they
// asked to be paid). Select lines, mark them paid as one run (each creator's
// approved clawbacks go with them), then download the run as PayPal's or
// Wise's bulk-payout file (docs/portal.md, "Payout files"). Server:
// GET /v1/admin/payouts/due, POST /v1/admin/payouts, GET /v1/admin/payouts/file.
import { api, getToken } from './api.js';
import { announce, download, errorBox, h } from './dom.js';
import { dateTime, money } from './format.js';

async function downloadFile(run, format, status) {
  const response = await fetch(`/v1/admin/payouts/file?run=${encodeURIComponent(run)}&format=${format}`,
    { headers: { authorization: `Bearer ${getToken()}` }, cache: 'no-store' });
  if (!response.ok) { status.textContent = `The ${format} file could not be made (HTTP ${response.status}).`; return; }
  download(`${run}-${format}.csv`, await response.text());
  const missing = response.headers.get('x-vouch-missing-email');
  if (missing) status.textContent = `Left out (no e-mail address; pay them by hand): ${missing}.`;
}

function creatorBlock(c) {
  const boxes = c.lines.filter((l) => l.kind === 'sale').map((l) => h('li', {}, h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'line', value: l.order_id, 'data-creator': c.influencer, checked: true }),
    `Order ${l.order_id} · ${money(l.amount)} · approved ${dateTime(l.approves_at)}`)));
  const clawbacks = c.lines.filter((l) => l.kind === 'clawback');
  return h('fieldset', { class: 'panel', 'data-creator': c.influencer },
    h('legend', {}, `${c.name} — approved ${money(c.approved)}`, c.requested ? h('span', { class: 'tag' }, 'requested') : null),
    h('p', { class: 'meta' }, c.payout_email || c.email || 'no e-mail address yet', ` · pending ${money(c.pending)}`),
    boxes.length ? h('ul', { class: 'plain' }, boxes) : h('p', { class: 'muted' }, 'Nothing approved yet.'),
    clawbacks.length ? h('p', { class: 'hint' }, `${clawbacks.length} clawback(s) come off this payout: `,
      clawbacks.map((l) => `${money(l.amount)} (refund of ${l.order_id})`).join(', ')) : null);
}

export async function render(container) {
  const body = h('div', {});
  const history = h('div', {});
  container.append(h('p', { class: 'lede' }, 'A commission is approved once its refund window ends. Select what to pay, mark it paid, then upload the file to PayPal Payouts or Wise batch payments.'), body,
    h('h2', {}, 'Payouts made'), history);
  const drawHistory = async () => {
    const { payouts } = await api('/v1/admin/payouts');
    const runs = [...new Set(payouts.map((p) => p.run))];
    const status = h('p', { role: 'status' });
    history.replaceChildren(payouts.length ? h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Payouts made' }, h('table', { class: 'data compact', id: 'payout-runs' },
      h('thead', {}, h('tr', {}, ['Paid', 'Creator', 'Amount', 'Method', 'Run'].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, payouts.map((p) => h('tr', {}, h('td', {}, dateTime(p.paid_at)), h('td', {}, p.influencer),
        h('td', { class: 'num' }, money(p.amount)), h('td', {}, p.method), h('td', {}, p.run)))))) : h('p', { class: 'muted' }, 'None yet.'),
    runs.length ? h('p', { class: 'actions' }, runs.slice(0, 5).map((run) => [
      h('button', { type: 'button', class: 'secondary', 'data-run': run, 'data-format': 'paypal', onclick: () => downloadFile(run, 'paypal', status) }, `${run}: PayPal CSV`),
      h('button', { type: 'button', class: 'secondary', 'data-run': run, 'data-format': 'wise', onclick: () => downloadFile(run, 'wise', status) }, `${run}: Wise CSV`)])) : '',
    status);
  };
  const draw = async () => {
    const due = await api('/v1/admin/payouts/due');
    const method = h('select', { id: 'payout-method' }, [['paypal', 'PayPal'], ['wise', 'Wise'], ['other', 'Other']].map(([v, l]) => h('option', { value: v }, l)));
    const reference = h('input', { id: 'payout-reference', type: 'text', maxlength: 200, placeholder: 'batch or transfer id' });
    const status = h('p', { role: 'status', id: 'payout-status' });
    const form = h('form', { id: 'payout-run', onsubmit: async (event) => {
      event.preventDefault();
      const byCreator = new Map();
      for (const box of form.querySelectorAll('input[name=line]:checked')) {
        if (!byCreator.has(box.dataset.creator)) byCreator.set(box.dataset.creator, []);
        byCreator.get(box.dataset.creator).push(box.value);
      }
      if (!byCreator.size) { status.textContent = 'Select at least one commission.'; return; }
      try {
        const run = await api('/v1/admin/payouts', { method: 'POST', body: { method: method.value, reference: reference.value,
          payouts: [...byCreator].map(([influencer, orders]) => ({ influencer, orders })) } });
        announce(`Marked ${run.payouts.length} payouts paid`);
        await draw();
        await drawHistory();
        const done = h('p', { class: 'notice ok', id: 'run-done' }, `Run ${run.run}: ${run.payouts.length} payout(s) marked paid. `,
          h('button', { type: 'button', class: 'secondary', onclick: () => downloadFile(run.run, 'paypal', done) }, 'PayPal CSV'), ' ',
          h('button', { type: 'button', class: 'secondary', onclick: () => downloadFile(run.run, 'wise', done) }, 'Wise CSV'));
        body.prepend(done);
      } catch (e) { status.replaceChildren(errorBox(e, 'mark the payouts paid')); }
    } },
    due.creators.length ? due.creators.map(creatorBlock) : h('p', { class: 'muted' }, 'No unpaid commission.'),
    h('div', { class: 'toolbar' }, h('label', { for: 'payout-method' }, 'Paid with'), method,
      h('label', { for: 'payout-reference' }, 'Reference'), reference,
      h('button', { type: 'submit', disabled: !due.creators.some((c) => c.lines.length) }, 'Mark selected paid')),
    status);
    body.replaceChildren(form);
  };
  try {
    await draw();
    await drawHistory();
  } catch (e) {
    body.replaceChildren(errorBox(e, 'load the payouts'));
  }
}
