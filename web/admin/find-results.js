// Find influencers, the results: the plan within the budget, the ranking with
// each score explained, a side-by-side comparison of two, and the shortlist
// as CSV. The last ranking is kept between visits of the page.
import { announce, download, h, safeUrl } from './dom.js';
import { compact, decimal, integer, money, toCsv } from './format.js';

const COMPONENTS = [
  ['niche', 'Niche fit'], ['audience', 'Audience fit'], ['engagement', 'Engagement'],
  ['authenticity', 'Authenticity'], ['cost', 'Cost-effectiveness'], ['proven', 'Proven results'],
];

// What each authenticity flag means, for someone who has never read the docs.
export const FLAG_WORDS = {
  follower_spike: 'Follower spike: followers jumped far beyond the account’s usual growth, typical of bought followers.',
  engagement_too_low: 'Engagement far below what accounts of this size get: many followers may not be real.',
  engagement_too_high: 'Engagement far above what accounts of this size get: possibly engagement pods or bought likes.',
  low_comment_ratio: 'Very few comments for the likes: likes may be bought.',
  following_ratio: 'Follows a very large number of accounts: growth through follow-for-follow.',
  mostly_sponsored: 'Most recent posts are sponsored: the audience may tune the ads out.',
};

// Why a ranked influencer is not in the plan, in a few words (the engine's
// message follows).
const LEFT_OUT_WORDS = {
  flagged: 'Flagged',
  below_niche_floor: 'Off-niche',
  no_rate: 'No rate',
  no_value: 'No value for this brief',
  does_not_fit: 'Does not fit what is left',
  not_chosen: 'Not chosen',
  beyond_candidates: 'Beyond the planner’s candidates',
};

let last = null;     // {brief, result} of the last ranking
let compared = [];   // the influencers ticked for comparison (two at most)

/**
 * view: {byId: Map of the roster's influencers, results: element, compareBox: element}.
 * A new ranking: shown, with nothing compared yet.
 */
export function showRanking(view, ranking) {
  last = ranking;
  compared = [];
  drawResults(view);
}

/** The last ranking again (a new visit of the page), if there is one. */
export function showLastRanking(view) {
  if (last) drawResults(view);
}

const leftOutOf = (id) => ((last.result.plan || {}).left_out || []).find((l) => l.influencer === id);

function drawResults(view) {
  const { brief, result } = last;
  const filtered = result.filtered_total ? h('details', { class: 'filtered' },
    h('summary', {}, `${integer(result.filtered_total)} influencers left out by the brief`),
    h('ul', {}, (result.filtered || []).slice(0, 100).map((f) => h('li', {}, `@${(view.byId.get(f.influencer) || {}).handle || f.influencer}: ${f.message}`)))) : null;
  // replaceChildren would print a null as the text "null".
  view.results.replaceChildren(...[
    drawPlan(view, result.plan),
    h('div', { class: 'results-head' },
      h('h2', {}, `Ranking (${integer(result.ranked.length)} of ${integer(result.considered)} considered)`),
      h('button', { type: 'button', id: 'export-shortlist', onclick: exportShortlist }, 'Export shortlist CSV')),
    filtered,
    h('ol', { class: 'ranking', id: 'ranking' }, result.ranked.map((entry, index) => drawEntry(view, entry, index))),
    h('details', { class: 'brief-json' }, h('summary', {}, 'This brief as JSON (for vouch match)'),
      h('pre', { id: 'brief-json' }, JSON.stringify(brief, null, 2))),
  ].filter(Boolean));
  drawCompare(view);
}

function drawPlan({ byId }, plan) {
  if (!plan || plan.budget == null) return h('section', { class: 'plan', 'aria-labelledby': 'plan-title' }, h('h2', { id: 'plan-title' }, 'Plan'), h('p', {}, 'Give a budget to get a plan.'));
  const people = plan.influencers.map((id) => byId.get(id)).filter(Boolean);
  const leftOut = plan.left_out || [];
  const handleOf = (id) => '@' + ((byId.get(id) || {}).handle || id);
  return h('section', { class: 'plan', id: 'plan', 'aria-labelledby': 'plan-title' },
    h('h2', { id: 'plan-title' }, `Plan within ${money(plan.budget)}`),
    people.length ? h('ol', { class: 'plan-list' }, people.map((p) => h('li', { 'data-influencer': p.id }, '@' + p.handle, h('span', { class: 'muted' }, ` ${money(p.rate && p.rate.amount)}`))))
      : h('p', {}, 'No influencer above the floor fits this budget.'),
    h('dl', { class: 'totals' },
      h('div', {}, h('dt', {}, 'Cost'), h('dd', { id: 'plan-cost' }, `${money(plan.cost)} of ${money(plan.budget)}`)),
      h('div', {}, h('dt', {}, 'Expected reach'), h('dd', {}, integer(plan.expected_reach))),
      h('div', {}, h('dt', {}, 'Expected engagements'), h('dd', {}, integer(plan.expected_engagements))),
      h('div', {}, h('dt', {}, 'Influencers'), h('dd', {}, integer(plan.influencers.length)))),
    plan.unspent_reason ? h('p', { class: 'notice unspent', id: 'plan-unspent' }, `${money(plan.unspent)} left: ${plan.unspent_reason.replace(/^[^:]*: /, '')}.`) : null,
    leftOut.length ? h('details', { class: 'left-out', id: 'plan-left-out', open: leftOut.length <= 6 },
      h('summary', {}, `Left out of the plan (${integer(leftOut.length)} of those ranked)`),
      h('ul', {}, leftOut.map((l) => h('li', { 'data-influencer': l.influencer, 'data-reason': l.reason },
        h('strong', {}, handleOf(l.influencer)), ` — ${LEFT_OUT_WORDS[l.reason] || l.reason}: `, l.message)))) : null,
    h('p', { class: 'hint' }, `Buys only what the brief wants: expected results weighed by niche fit, audience in your target and authenticity. Never buys flagged accounts${plan.floor && plan.floor.allow_flagged ? ' (allowed in this brief)' : ''}${plan.floor && plan.floor.min_niche_fit != null ? ` or creators with a niche fit under ${decimal(plan.floor.min_niche_fit, 2)}` : ''}; money may stay unspent. Avoids audiences that overlap; guaranteed at least 31.6% of the best possible plan. Sums are per post, before overlap.`));
}

function flagList(entry) {
  if (!entry.flags.length) return null;
  const discounts = entry.discounts || [];
  return h('ul', { class: 'flags' }, entry.flags.map((flag) => {
    const detail = entry.reasons.find((r) => r.startsWith(flag + ':'));
    return h('li', { class: 'flag', 'data-flag': flag }, h('strong', {}, flag.replace(/_/g, ' ')), ' — ', FLAG_WORDS[flag] || flag,
      detail ? h('span', { class: 'muted' }, ` (${detail.slice(flag.length + 1).trim()})`) : null);
  }), discounts.map((d) => h('li', { class: 'discount' }, h('strong', {}, 'Discounted'), ' — ', d.charAt(0).toUpperCase() + d.slice(1), '.')));
}

function leftOutNote(entry) {
  const left = !entry.in_plan && leftOutOf(entry.influencer);
  return left ? h('p', { class: 'not-planned', 'data-reason': left.reason }, h('strong', {}, 'Not in the plan: '), left.message) : null;
}

function bar(value, label) {
  const fill = h('span', { class: 'fill' });
  fill.style.width = `${Math.round(Math.max(0, Math.min(1, value)) * 100)}%`;   // through the CSSOM: the CSP refuses style attributes
  return h('span', { class: 'bar', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '1', 'aria-valuenow': String(value), 'aria-label': label }, fill);
}

// Ticking a box compares that influencer (the last two ticked).
function compareBox(view, entry) {
  return h('input', { type: 'checkbox', class: 'compare-box', 'aria-label': `Compare @${entry.handle || entry.influencer}`, checked: compared.includes(entry.influencer),
    onchange: (e) => {
      if (e.target.checked) compared = compared.concat(entry.influencer).slice(-2);
      else compared = compared.filter((id) => id !== entry.influencer);
      drawCompare(view);
      for (const other of view.results.querySelectorAll('.compare-box')) other.checked = compared.includes(other.closest('li').dataset.influencer);
    } });
}

function drawEntry(view, entry, index) {
  const person = view.byId.get(entry.influencer) || {};
  const handle = '@' + (entry.handle || entry.influencer);
  return h('li', { class: 'candidate' + (entry.in_plan ? ' in-plan' : ''), 'data-influencer': entry.influencer, 'data-score': String(entry.score) },
    h('div', { class: 'who' },
      h('span', { class: 'rank' }, String(index + 1)),
      person.avatar ? h('img', { src: person.avatar, alt: '', width: 40, height: 40, loading: 'lazy' }) : null,
      h('div', {}, (safeUrl(person.profile_url) ? h('a', { href: person.profile_url, class: 'handle', rel: 'noopener noreferrer', target: '_blank' }, handle) : h('span', { class: 'handle' }, handle)),
        h('span', { class: 'muted' }, ` ${entry.name || ''} · ${compact(entry.followers)} followers · ${entry.tier || ''}`),
        entry.in_plan ? h('span', { class: 'tag' }, 'In plan') : null)),
    h('div', { class: 'score' }, h('span', { class: 'score-value' }, decimal(entry.score, 2)), bar(entry.score, `score ${decimal(entry.score, 2)} of 1`)),
    h('dl', { class: 'components' }, COMPONENTS.filter(([k]) => k in entry.components).map(([k, label]) =>
      h('div', {}, h('dt', {}, label), h('dd', {}, bar(entry.components[k], `${label} ${decimal(entry.components[k], 2)}`), ' ', decimal(entry.components[k], 2))))),
    h('dl', { class: 'expected' },
      h('div', {}, h('dt', {}, 'Reach / post'), h('dd', {}, integer(entry.expected.reach))),
      h('div', {}, h('dt', {}, 'Engagements / post'), h('dd', {}, integer(entry.expected.engagements))),
      h('div', {}, h('dt', {}, 'Cost / engagement'), h('dd', {}, entry.expected.cost_per_engagement == null ? '—' : money(entry.expected.cost_per_engagement))),
      h('div', {}, h('dt', {}, 'Rate'), h('dd', {}, entry.rate ? `${money(entry.rate.amount)} / ${entry.rate.per || 'post'}` : 'unknown'))),
    flagList(entry),
    leftOutNote(entry),
    h('details', { class: 'why' }, h('summary', {}, 'Why this score'), h('ul', {}, entry.reasons.map((r) => h('li', {}, r)))),
    h('label', { class: 'check' }, compareBox(view, entry), ' Compare'));
}

function drawCompare(view) {
  const box = view.compareBox;
  const entries = compared.map((id) => last.result.ranked.find((e) => e.influencer === id)).filter(Boolean);
  box.hidden = entries.length === 0;
  if (!entries.length) return box.replaceChildren();
  if (entries.length === 1) {
    return box.replaceChildren(h('p', { class: 'notice' }, `Comparing @${entries[0].handle}: tick a second influencer to see them side by side.`));
  }
  box.replaceChildren(h('h2', {}, 'Side by side'), h('div', { class: 'table-wrap', tabindex: '0' }, h('table', { class: 'data compare-table' },
    h('thead', {}, h('tr', {}, h('td', {}), entries.map((e) => h('th', { scope: 'col' }, '@' + e.handle)))),
    h('tbody', {}, compareRows(entries)))),
  h('button', { type: 'button', class: 'link', onclick: () => { compared = []; drawResults(view); } }, 'Clear comparison'));
}

function compareRows(entries) {
  const row = (label, pick) => h('tr', {}, h('th', { scope: 'row' }, label), entries.map((e) => h('td', {}, pick(e))));
  const costPerEngagement = (e) => (e.expected.cost_per_engagement == null ? '—' : money(e.expected.cost_per_engagement));
  return [
    row('Score', (e) => decimal(e.score, 2)),
    COMPONENTS.map(([k, label]) => row(label, (e) => decimal(e.components[k], 2))),
    row('Followers', (e) => `${integer(e.followers)} (${e.tier})`),
    row('Rate', (e) => (e.rate ? money(e.rate.amount) : 'unknown')),
    row('Reach / post', (e) => integer(e.expected.reach)),
    row('Engagements / post', (e) => integer(e.expected.engagements)),
    row('Cost / engagement', costPerEngagement),
    row('In plan', (e) => (e.in_plan ? 'yes' : (leftOutOf(e.influencer) || { message: 'no' }).message)),
    row('Discounted', (e) => ((e.discounts || []).length ? e.discounts.join('; ') : 'nothing')),
    row('Flags', (e) => (e.flags.length ? e.flags.map((f) => FLAG_WORDS[f] || f).join(' ') : 'none')),
    row('Reasons', (e) => h('ul', {}, e.reasons.map((r) => h('li', {}, r)))),
  ];
}

function exportShortlist() {
  const header = ['rank', 'influencer', 'handle', 'name', 'followers', 'tier', 'score', ...COMPONENTS.map(([k]) => k),
    'flags', 'expected_reach', 'expected_engagements', 'cost_per_engagement', 'rate', 'currency', 'in_plan', 'left_out_reason'];
  const rows = last.result.ranked.map((e, i) => [i + 1, e.influencer, e.handle, e.name, e.followers, e.tier, e.score,
    ...COMPONENTS.map(([k]) => e.components[k]), e.flags.join(' '), e.expected.reach, e.expected.engagements,
    e.expected.cost_per_engagement, e.rate ? e.rate.amount : null, e.rate ? e.rate.currency : null, e.in_plan ? 'yes' : 'no',
    leftOutOf(e.influencer)?.reason ?? '']);
  download('vouch-shortlist.csv', toCsv(header, rows));
  announce('Shortlist CSV downloaded');
}
