// Find influencers: a campaign brief in a form, ranked IN THIS BROWSER by the
// matching engine compiled to WebAssembly (engine.js, e.match). The roster
// comes from the served feed; the brief and the ranking never leave the page.
import { feed } from './api.js';
import { announce, download, errorBox, h, safeUrl } from './dom.js';
import { compact, decimal, integer, money, storeCurrency, toCsv } from './format.js';

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

let enginePromise = null;
let engineFeedText = null;

async function engineFor(feedText) {
  if (!enginePromise || engineFeedText !== feedText) {
    engineFeedText = feedText;
    enginePromise = (async () => {
      let module;
      try {
        module = await import('/engine.js');
      } catch (_) {
        throw new Error('The matching engine (engine.js and vouch-engine.wasm) is not on this server. Build it with scripts/build-wasm.sh, then reload this page.');
      }
      return module.createEngine(feedText);
    })();
    enginePromise.catch(() => { enginePromise = null; });
  }
  return enginePromise;
}

// The niches, countries and age bands present in the roster, most common first.
function rosterOptions(influencers) {
  const count = (pick) => {
    const seen = new Map();
    for (const i of influencers) for (const key of Object.keys(pick(i) || {})) seen.set(key, (seen.get(key) || 0) + 1);
    return [...seen.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
  };
  return {
    niches: count((i) => i.niches),
    countries: count((i) => i.audience && i.audience.countries),
    ages: count((i) => i.audience && i.audience.ages).sort(),
  };
}

// Kept between visits of the page (not between page loads).
let compared = [];
let last = null;
const form = { niches: {}, countries: [], ages: [], gender: 'any', budget: '3000', goal: 'conversions', min: '', max: '', limit: '20', now: '', allowFlagged: false, minNicheFit: '' };

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

export async function render(container) {
  const { text: feedText, json: feedJson } = await feed();
  const influencers = feedJson.influencers || [];
  const byId = new Map(influencers.map((i) => [i.id, i]));
  const options = rosterOptions(influencers);
  const currency = storeCurrency();

  const intro = h('p', { class: 'lede' }, `Describe the campaign; the ${integer(influencers.length)} influencers of your roster are ranked here in your browser by the Vouch engine. Nothing you type is sent anywhere.`);

  const nicheRows = options.niches.map((n) => {
    const box = h('input', { type: 'checkbox', id: `niche-${n}`, name: 'niche', value: n, checked: n in form.niches });
    const weight = h('input', { type: 'number', min: '0.1', max: '1', step: '0.1', value: String(form.niches[n] ?? 1), 'aria-label': `weight of ${n}`, class: 'weight', disabled: !(n in form.niches) });
    box.addEventListener('change', () => { weight.disabled = !box.checked; });
    return h('div', { class: 'niche' }, box, h('label', { for: `niche-${n}` }, n), weight);
  });
  const checkList = (name, values, chosen, label = (v) => v) => values.map((v) => h('label', { class: 'chip' },
    h('input', { type: 'checkbox', name, value: v, checked: chosen.includes(v) }), ' ', label(v)));
  const regionName = (code) => { try { return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) || code; } catch (_) { return code; } };

  const field = (id, label, input, hint) => h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null);
  const budget = h('input', { id: 'budget', name: 'budget', type: 'number', min: '0', step: '50', inputmode: 'decimal', value: form.budget });
  const goal = h('select', { id: 'goal', name: 'goal' }, [['conversions', 'Sales (conversions)'], ['engagement', 'Engagement'], ['reach', 'Reach']]
    .map(([v, l]) => h('option', { value: v, selected: v === form.goal }, l)));
  const min = h('input', { id: 'followers-min', name: 'min', type: 'number', min: '0', step: '1000', value: form.min, placeholder: 'any' });
  const max = h('input', { id: 'followers-max', name: 'max', type: 'number', min: '0', step: '1000', value: form.max, placeholder: 'any' });
  const limit = h('input', { id: 'limit', name: 'limit', type: 'number', min: '1', max: '1000', value: form.limit });
  const gender = h('select', { id: 'gender', name: 'gender' }, [['any', 'Any'], ['female', 'Mostly women'], ['male', 'Mostly men']]
    .map(([v, l]) => h('option', { value: v, selected: v === form.gender }, l)));
  const now = h('input', { id: 'as-of', name: 'now', type: 'text', value: form.now, placeholder: 'now', spellcheck: 'false', 'aria-describedby': 'as-of-hint' });
  const allowFlagged = h('input', { id: 'allow-flagged', name: 'allow_flagged', type: 'checkbox', checked: form.allowFlagged, 'aria-describedby': 'allow-flagged-hint' });
  const minNicheFit = h('input', { id: 'min-niche-fit', name: 'min_niche_fit', type: 'number', min: '0', max: '1', step: '0.05', value: form.minNicheFit, placeholder: '0.2', 'aria-describedby': 'min-niche-fit-hint' });

  const briefForm = h('form', { class: 'brief', id: 'brief-form', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Niches'), h('div', { class: 'niches' }, nicheRows),
      h('p', { class: 'hint' }, 'Weights from 0.1 to 1: how much each niche matters.')),
    h('fieldset', {}, h('legend', {}, 'Audience'),
      h('div', { class: 'group', role: 'group', 'aria-label': 'Countries' }, h('span', { class: 'group-label' }, 'Countries'), checkList('country', options.countries.slice(0, 12), form.countries, (c) => `${regionName(c)} (${c})`)),
      h('div', { class: 'group', role: 'group', 'aria-label': 'Ages' }, h('span', { class: 'group-label' }, 'Ages'), checkList('age', options.ages, form.ages)),
      field('gender', 'Gender', gender)),
    h('fieldset', {}, h('legend', {}, 'Campaign'),
      h('div', { class: 'row' },
        field('budget', `Budget (${currency})`, budget),
        field('goal', 'Goal', goal),
        field('followers-min', 'Followers from', min),
        field('followers-max', 'to', max),
        field('limit', 'Show', limit)),
      h('details', { class: 'advanced' }, h('summary', {}, 'Advanced'),
        field('min-niche-fit', 'Plan: minimum niche fit', minNicheFit, 'From 0 to 1. The plan never buys a creator whose niche fit is lower. Empty: 0.2.'),
        h('div', { class: 'field' }, h('label', { class: 'check' }, allowFlagged, ' Plan: allow flagged accounts'),
          h('span', { class: 'hint', id: 'allow-flagged-hint' }, 'Off: accounts with signs of bought followers, pods or follow-for-follow are ranked but never bought.')),
        field('as-of', 'Evaluate as of', now, 'An RFC 3339 time such as 2026-11-01T00:00:00Z, to reproduce a ranking with `vouch match --now`. Empty: now.'))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Rank influencers'),
      h('p', { class: 'error', id: 'brief-error', role: 'alert' })));

  const results = h('div', { id: 'results', class: 'results', 'aria-live': 'polite' });
  const compareBox = h('section', { id: 'compare', class: 'compare', 'aria-label': 'Comparison', hidden: true });
  container.append(intro, briefForm, results, compareBox);

  function readBrief() {
    const brief = {};
    const niches = {};
    for (const row of briefForm.querySelectorAll('.niche')) {
      const [box, , weight] = [row.children[0], row.children[1], row.children[2]];
      if (box.checked) niches[box.value] = Math.min(1, Math.max(0.1, Number(weight.value) || 1));
    }
    form.niches = niches;
    if (Object.keys(niches).length) brief.niches = niches;
    const picked = (name) => [...briefForm.querySelectorAll(`input[name=${name}]:checked`)].map((i) => i.value);
    form.countries = picked('country');
    form.ages = picked('age');
    if (form.countries.length) brief.countries = Object.fromEntries(form.countries.map((c) => [c, 1]));
    if (form.ages.length) brief.ages = Object.fromEntries(form.ages.map((a) => [a, 1]));
    form.gender = gender.value;
    if (gender.value === 'female') brief.genders = { female: 0.8, male: 0.2 };
    if (gender.value === 'male') brief.genders = { female: 0.2, male: 0.8 };
    form.budget = budget.value;
    if (budget.value !== '') brief.budget = { amount: Number(budget.value), currency };
    form.goal = goal.value;
    brief.goal = goal.value;
    form.min = min.value;
    form.max = max.value;
    if (min.value !== '' || max.value !== '') {
      brief.followers = {};
      if (min.value !== '') brief.followers.min = Math.round(Number(min.value));
      if (max.value !== '') brief.followers.max = Math.round(Number(max.value));
    }
    form.limit = limit.value;
    if (limit.value !== '') brief.limit = Math.round(Number(limit.value));
    form.allowFlagged = allowFlagged.checked;
    if (allowFlagged.checked) brief.allow_flagged = true;
    form.minNicheFit = minNicheFit.value;
    if (minNicheFit.value !== '') brief.min_niche_fit = Math.min(1, Math.max(0, Number(minNicheFit.value) || 0));
    form.now = now.value.trim();
    return brief;
  }

  async function rank(event) {
    if (event) event.preventDefault();
    const error = briefForm.querySelector('#brief-error');
    error.textContent = '';
    const brief = readBrief();
    results.replaceChildren(h('p', { class: 'loading' }, 'Ranking in your browser…'));
    let result;
    try {
      const engine = await engineFor(feedText);
      result = engine.match(brief, form.now ? { now: form.now } : {});
    } catch (e) {
      results.replaceChildren();
      if (e && e.code && e.path !== undefined) {
        error.textContent = `${e.message}${e.path ? ` (at ${e.path})` : ''}`;
      } else {
        results.append(errorBox(e, 'rank the influencers'));
      }
      return;
    }
    last = { brief, result };
    compared = [];
    drawResults();
    announce(`${result.ranked.length} influencers ranked; the plan has ${result.plan ? result.plan.influencers.length : 0}`);
  }

  const handleOf = (id) => '@' + ((byId.get(id) || {}).handle || id);

  function drawPlan(plan) {
    if (!plan || plan.budget == null) return h('section', { class: 'plan', 'aria-labelledby': 'plan-title' }, h('h2', { id: 'plan-title' }, 'Plan'), h('p', {}, 'Give a budget to get a plan.'));
    const people = plan.influencers.map((id) => byId.get(id)).filter(Boolean);
    const leftOut = plan.left_out || [];
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
    const plan = last.result.plan;
    const left = !entry.in_plan && plan && (plan.left_out || []).find((l) => l.influencer === entry.influencer);
    return left ? h('p', { class: 'not-planned', 'data-reason': left.reason }, h('strong', {}, 'Not in the plan: '), left.message) : null;
  }

  function bar(value, label) {
    return h('span', { class: 'bar', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '1', 'aria-valuenow': String(value), 'aria-label': label },
      h('span', { class: 'fill', style: `width:${Math.round(Math.max(0, Math.min(1, value)) * 100)}%` }));
  }

  function drawEntry(entry, index) {
    const person = byId.get(entry.influencer) || {};
    const box = h('input', { type: 'checkbox', class: 'compare-box', 'aria-label': `Compare @${entry.handle || entry.influencer}`, checked: compared.includes(entry.influencer),
      onchange: (e) => {
        if (e.target.checked) compared = compared.concat(entry.influencer).slice(-2);
        else compared = compared.filter((id) => id !== entry.influencer);
        drawCompare();
        for (const other of results.querySelectorAll('.compare-box')) other.checked = compared.includes(other.closest('li').dataset.influencer);
      } });
    return h('li', { class: 'candidate' + (entry.in_plan ? ' in-plan' : ''), 'data-influencer': entry.influencer, 'data-score': String(entry.score) },
      h('div', { class: 'who' },
        h('span', { class: 'rank' }, String(index + 1)),
        person.avatar ? h('img', { src: person.avatar, alt: '', width: 40, height: 40, loading: 'lazy' }) : null,
        h('div', {}, (safeUrl(person.profile_url) ? h('a', { href: safeUrl(person.profile_url), class: 'handle', rel: 'noopener noreferrer', target: '_blank' }, '@' + (entry.handle || entry.influencer)) : h('span', { class: 'handle' }, '@' + (entry.handle || entry.influencer))),
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
      h('label', { class: 'check' }, box, ' Compare'));
  }

  function drawResults() {
    const { brief, result } = last;
    const filtered = result.filtered_total ? h('details', { class: 'filtered' },
      h('summary', {}, `${integer(result.filtered_total)} influencers left out by the brief`),
      h('ul', {}, (result.filtered || []).slice(0, 100).map((f) => h('li', {}, `@${(byId.get(f.influencer) || {}).handle || f.influencer}: ${f.message}`)))) : null;
    // replaceChildren would print a null as the text "null".
    results.replaceChildren(...[
      drawPlan(result.plan),
      h('div', { class: 'results-head' },
        h('h2', {}, `Ranking (${integer(result.ranked.length)} of ${integer(result.considered)} considered)`),
        h('button', { type: 'button', id: 'export-shortlist', onclick: exportCsv }, 'Export shortlist CSV')),
      filtered,
      h('ol', { class: 'ranking', id: 'ranking' }, result.ranked.map(drawEntry)),
      h('details', { class: 'brief-json' }, h('summary', {}, 'This brief as JSON (for vouch match)'),
        h('pre', { id: 'brief-json' }, JSON.stringify(brief, null, 2))),
    ].filter(Boolean));
    drawCompare();
  }

  function drawCompare() {
    const entries = compared.map((id) => last.result.ranked.find((e) => e.influencer === id)).filter(Boolean);
    compareBox.hidden = entries.length === 0;
    if (!entries.length) return compareBox.replaceChildren();
    if (entries.length === 1) {
      return compareBox.replaceChildren(h('p', { class: 'notice' }, `Comparing @${entries[0].handle}: tick a second influencer to see them side by side.`));
    }
    const row = (label, pick) => h('tr', {}, h('th', { scope: 'row' }, label), entries.map((e) => h('td', {}, pick(e))));
    compareBox.replaceChildren(h('h2', {}, 'Side by side'), h('div', { class: 'table-wrap', tabindex: '0' }, h('table', { class: 'data compare-table' },
      h('thead', {}, h('tr', {}, h('td', {}), entries.map((e) => h('th', { scope: 'col' }, '@' + e.handle)))),
      h('tbody', {},
        row('Score', (e) => decimal(e.score, 2)),
        COMPONENTS.map(([k, label]) => row(label, (e) => decimal(e.components[k], 2))),
        row('Followers', (e) => `${integer(e.followers)} (${e.tier})`),
        row('Rate', (e) => (e.rate ? money(e.rate.amount) : 'unknown')),
        row('Reach / post', (e) => integer(e.expected.reach)),
        row('Engagements / post', (e) => integer(e.expected.engagements)),
        row('Cost / engagement', (e) => (e.expected.cost_per_engagement == null ? '—' : money(e.expected.cost_per_engagement))),
        row('In plan', (e) => (e.in_plan ? 'yes' : (((last.result.plan || {}).left_out || []).find((l) => l.influencer === e.influencer) || { message: 'no' }).message)),
        row('Discounted', (e) => ((e.discounts || []).length ? e.discounts.join('; ') : 'nothing')),
        row('Flags', (e) => (e.flags.length ? e.flags.map((f) => FLAG_WORDS[f] || f).join(' ') : 'none')),
        row('Reasons', (e) => h('ul', {}, e.reasons.map((r) => h('li', {}, r))))))),
    h('button', { type: 'button', class: 'link', onclick: () => { compared = []; drawResults(); } }, 'Clear comparison'));
  }

  function exportCsv() {
    const header = ['rank', 'influencer', 'handle', 'name', 'followers', 'tier', 'score', ...COMPONENTS.map(([k]) => k),
      'flags', 'expected_reach', 'expected_engagements', 'cost_per_engagement', 'rate', 'currency', 'in_plan', 'left_out_reason'];
    const rows = last.result.ranked.map((e, i) => [i + 1, e.influencer, e.handle, e.name, e.followers, e.tier, e.score,
      ...COMPONENTS.map(([k]) => e.components[k]), e.flags.join(' '), e.expected.reach, e.expected.engagements,
      e.expected.cost_per_engagement, e.rate ? e.rate.amount : null, e.rate ? e.rate.currency : null, e.in_plan ? 'yes' : 'no',
      ((last.result.plan || {}).left_out || []).find((l) => l.influencer === e.influencer)?.reason ?? '']);
    download('vouch-shortlist.csv', toCsv(header, rows));
    announce('Shortlist CSV downloaded');
  }

  briefForm.addEventListener('submit', rank);
  if (last) drawResults();
}
