// Find influencers: a campaign brief in a form, ranked IN THIS BROWSER by the
// matching engine compiled to WebAssembly (engine.js, e.match). The roster
// comes from the served feed; the brief and the ranking never leave the page.
// The form is find-brief.js, the results find-results.js.
import { feed } from './api.js';
import { announce, errorBox, h } from './dom.js';
import { integer, storeCurrency } from './format.js';
import { briefForm, rosterOptions } from './find-brief.js';
import { showLastRanking, showRanking } from './find-results.js';
import { VouchError } from '../shared/error.js';

const loadEngineModule = () => import('/engine.js');

/**
 * The dashboard's one matching engine, on the roster text it was made for. A
 * new roster (after a moderation decision, say) replaces it: the old engine
 * is disposed first, so its feed is freed before the next one is loaded.
 * @param {() => Promise<{createEngine: Function}>} load the engine module
 */
export function matchingEngine(load) {
  let current = null;   // {text, engine: Promise}
  return async function engineFor(text) {
    if (current && current.text === text) return current.engine;
    const old = current;
    current = null;
    if (old) await old.engine.then((engine) => engine.dispose(), () => {});
    const engine = (async () => {
      let module;
      try {
        module = await load();
      } catch (_) {
        throw new Error('The matching engine (engine.js and vouch-engine.wasm) is not on this server. Build it with scripts/build-wasm.sh, then reload this page.');
      }
      return module.createEngine(text);
    })();
    const mine = { text, engine };
    current = mine;
    engine.catch(() => { if (current === mine) current = null; });
    return engine;
  };
}

const engineFor = matchingEngine(loadEngineModule);

export async function render(container) {
  const { text: feedText, json: feedJson } = await feed();
  const influencers = feedJson.influencers || [];
  const view = {
    byId: new Map(influencers.map((i) => [i.id, i])),
    results: h('div', { id: 'results', class: 'results', 'aria-live': 'polite' }),
    compareBox: h('section', { id: 'compare', class: 'compare', 'aria-label': 'Comparison', hidden: true }),
  };
  const brief = briefForm(rosterOptions(influencers), storeCurrency());
  const intro = h('p', { class: 'lede' }, `Describe the campaign; the ${integer(influencers.length)} influencers of your roster are ranked here in your browser by the Vouch engine. Nothing you type is sent anywhere.`);
  container.append(intro, brief.element, view.results, view.compareBox);

  async function rank(event) {
    if (event) event.preventDefault();
    const error = brief.element.querySelector('#brief-error');
    error.textContent = '';
    const wanted = brief.read();
    view.results.replaceChildren(h('p', { class: 'loading' }, 'Ranking in your browser…'));
    let result;
    try {
      const engine = await engineFor(feedText);
      result = engine.match(wanted, brief.now() ? { now: brief.now() } : {});
    } catch (e) {
      view.results.replaceChildren();
      // The engine's faults name the field of the brief; anything else is shown as an error.
      if (e instanceof VouchError) error.textContent = `${e.message}${e.path ? ` (at ${e.path})` : ''}`;
      else view.results.append(errorBox(e, 'rank the influencers'));
      return;
    }
    showRanking(view, { brief: wanted, result });
    announce(`${result.ranked.length} influencers ranked; the plan has ${result.plan ? result.plan.influencers.length : 0}`);
  }

  brief.element.addEventListener('submit', rank);
  showLastRanking(view);
}
