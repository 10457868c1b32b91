// Find influencers, the brief: a form built from what the roster holds
// (niches, countries, age bands), read into the brief of `vouch match`
// (docs/matching.md). What was typed is kept between visits of the page.
import { h } from './dom.js';

const form = { niches: {}, countries: [], ages: [], gender: 'any', budget: '3000', goal: 'conversions', min: '', max: '', limit: '20', now: '', allowFlagged: false, minNicheFit: '' };

/** The niches, countries and age bands present in the roster, most common first. */
export function rosterOptions(influencers) {
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

const field = (id, label, input, hint) => h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null);
const checkList = (name, values, chosen, label = (v) => v) => values.map((v) => h('label', { class: 'chip' },
  h('input', { type: 'checkbox', name, value: v, checked: chosen.includes(v) }), ' ', label(v)));
const regionName = (code) => { try { return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) || code; } catch (_) { return code; } };
const choices = (id, pairs, chosen) => h('select', { id, name: id }, pairs.map(([v, l]) => h('option', { value: v, selected: v === chosen }, l)));

function nicheRows(niches) {
  return niches.map((n) => {
    const box = h('input', { type: 'checkbox', id: `niche-${n}`, name: 'niche', value: n, checked: n in form.niches });
    const weight = h('input', { type: 'number', min: '0.1', max: '1', step: '0.1', value: String(form.niches[n] ?? 1), 'aria-label': `weight of ${n}`, class: 'weight', disabled: !(n in form.niches) });
    box.addEventListener('change', () => { weight.disabled = !box.checked; });
    return h('div', { class: 'niche' }, box, h('label', { for: `niche-${n}` }, n), weight);
  });
}

// The inputs of the Campaign fieldset, by name.
function campaignInputs() {
  return {
    budget: h('input', { id: 'budget', name: 'budget', type: 'number', min: '0', step: '50', inputmode: 'decimal', value: form.budget }),
    goal: choices('goal', [['conversions', 'Sales (conversions)'], ['engagement', 'Engagement'], ['reach', 'Reach']], form.goal),
    min: h('input', { id: 'followers-min', name: 'min', type: 'number', min: '0', step: '1000', value: form.min, placeholder: 'any' }),
    max: h('input', { id: 'followers-max', name: 'max', type: 'number', min: '0', step: '1000', value: form.max, placeholder: 'any' }),
    limit: h('input', { id: 'limit', name: 'limit', type: 'number', min: '1', max: '1000', value: form.limit }),
    gender: choices('gender', [['any', 'Any'], ['female', 'Mostly women'], ['male', 'Mostly men']], form.gender),
    now: h('input', { id: 'as-of', name: 'now', type: 'text', value: form.now, placeholder: 'now', spellcheck: 'false', 'aria-describedby': 'as-of-hint' }),
    allowFlagged: h('input', { id: 'allow-flagged', name: 'allow_flagged', type: 'checkbox', checked: form.allowFlagged, 'aria-describedby': 'allow-flagged-hint' }),
    minNicheFit: h('input', { id: 'min-niche-fit', name: 'min_niche_fit', type: 'number', min: '0', max: '1', step: '0.05', value: form.minNicheFit, placeholder: '0.2', 'aria-describedby': 'min-niche-fit-hint' }),
  };
}

/**
 * The brief form for a roster's options, in the store's currency.
 * @returns {{element: HTMLFormElement, read: () => object, now: () => string}}
 *   read(): the brief as typed (and kept for the next visit); now(): the "as of" time or ''.
 */
export function briefForm(options, currency) {
  const inputs = campaignInputs();
  const element = h('form', { class: 'brief', id: 'brief-form', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Niches'), h('div', { class: 'niches' }, nicheRows(options.niches)),
      h('p', { class: 'hint' }, 'Weights from 0.1 to 1: how much each niche matters.')),
    h('fieldset', {}, h('legend', {}, 'Audience'),
      h('div', { class: 'group', role: 'group', 'aria-label': 'Countries' }, h('span', { class: 'group-label' }, 'Countries'), checkList('country', options.countries.slice(0, 12), form.countries, (c) => `${regionName(c)} (${c})`)),
      h('div', { class: 'group', role: 'group', 'aria-label': 'Ages' }, h('span', { class: 'group-label' }, 'Ages'), checkList('age', options.ages, form.ages)),
      field('gender', 'Gender', inputs.gender)),
    h('fieldset', {}, h('legend', {}, 'Campaign'),
      h('div', { class: 'row' },
        field('budget', `Budget (${currency})`, inputs.budget),
        field('goal', 'Goal', inputs.goal),
        field('followers-min', 'Followers from', inputs.min),
        field('followers-max', 'to', inputs.max),
        field('limit', 'Show', inputs.limit)),
      h('details', { class: 'advanced' }, h('summary', {}, 'Advanced'),
        field('min-niche-fit', 'Plan: minimum niche fit', inputs.minNicheFit, 'From 0 to 1. The plan never buys a creator whose niche fit is lower. Empty: 0.2.'),
        h('div', { class: 'field' }, h('label', { class: 'check' }, inputs.allowFlagged, ' Plan: allow flagged accounts'),
          h('span', { class: 'hint', id: 'allow-flagged-hint' }, 'Off: accounts with signs of bought followers, pods or follow-for-follow are ranked but never bought.')),
        field('as-of', 'Evaluate as of', inputs.now, 'An RFC 3339 time such as 2026-11-01T00:00:00Z, to reproduce a ranking with `vouch match --now`. Empty: now.'))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Rank influencers'),
      h('p', { class: 'error', id: 'brief-error', role: 'alert' })));
  return { element, read: () => readBrief(element, inputs, currency), now: () => form.now };
}

function readBrief(element, inputs, currency) {
  const brief = {};
  const niches = {};
  for (const row of element.querySelectorAll('.niche')) {
    const [box, , weight] = [row.children[0], row.children[1], row.children[2]];
    if (box.checked) niches[box.value] = Math.min(1, Math.max(0.1, Number(weight.value) || 1));
  }
  form.niches = niches;
  if (Object.keys(niches).length) brief.niches = niches;
  const picked = (name) => [...element.querySelectorAll(`input[name=${name}]:checked`)].map((i) => i.value);
  form.countries = picked('country');
  form.ages = picked('age');
  if (form.countries.length) brief.countries = Object.fromEntries(form.countries.map((c) => [c, 1]));
  if (form.ages.length) brief.ages = Object.fromEntries(form.ages.map((a) => [a, 1]));
  Object.assign(brief, readCampaign(inputs, currency));
  return brief;
}

// Gender, budget, goal, followers, limit and the plan's floor; `form` keeps what was typed.
function readCampaign({ gender, budget, goal, min, max, limit, allowFlagged, minNicheFit, now }, currency) {
  const brief = {};
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
