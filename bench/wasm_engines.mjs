// Wasm side of bench/run.sh: the same workloads as bench_engines.cpp, through
// the engine's public JS API (web/dist/engine.js + vouch-engine.wasm) under
// node, on the same files. Prints one JSON line per workload:
//   {"workload", "total_ms", "boundary_ms", "runs"}
//   total_ms:    the API call as a page makes it (JS value in, JS value out)
//   boundary_ms: the JS side of the boundary: JSON.stringify of the input and
//                JSON.parse of an output of the same size (the wasm side's
//                own parse/dump is inside total_ms)
// Without a wasm build it prints {"workload", "unavailable": "wasm not built"}.
//   node bench/wasm_engines.mjs DATA_DIR [RUNS=5]
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'web/dist');
const [dir, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 5);
const only = process.env.VOUCH_BENCH_ONLY || '';
const wanted = (w) => !only || only.includes(w);
const WORKLOADS = ['feed_load', 'feed_load_merchant', 'social_proof_index_build', 'social_proof_top6', 'social_proof_top6_widget', 'social_proof_newest_page5', 'match_plan', 'attribute'];

const NOW = '2026-11-01T00:00:00Z';
const TOP_SIX = { product: 'sku-1', sort: 'relevant', limit: 6, now: NOW };
const TOP_SIX_WIDGET = { ...TOP_SIX, moderation_lists: false };
const NEWEST_PAGE_FIVE = { product: 'sku-1', sort: 'newest', limit: 6, offset: 24, now: NOW };
const BRIEF = { niches: { hiking: 1, camping: 0.5 }, countries: { US: 0.7, CA: 0.3 }, goal: 'conversions',
  budget: { amount: 5000, currency: 'USD' }, limit: 20 };
const CONFIG = { model: 'last_click' };

function print(line) { process.stdout.write(JSON.stringify(line) + '\n'); }

const BUILT = ['engine.js', 'vouch-engine.wasm', 'storefront-engine.js', 'vouch-storefront.wasm'];
if (!BUILT.every((f) => existsSync(join(DIST, f)))) {
  for (const w of WORKLOADS) if (wanted(w)) print({ workload: w, unavailable: 'wasm not built' });
  process.exit(0);
}

// The engine fetches its .wasm (and any glue) by URL as in a page; under node
// those URLs are answered from web/dist.
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = String(input && input.url ? input.url : input);
  const name = basename(new URL(url, 'http://localhost/').pathname);
  if (existsSync(join(DIST, name))) {
    const type = name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
    return new Response(readFileSync(join(DIST, name)), { headers: { 'content-type': type } });
  }
  return realFetch(input, init);
};

// What runs where: the shopper's page has the storefront module (feed load,
// social proof), the dashboard the module with every engine (match,
// attribution; it loads feeds too).
const storefront = await import(pathToFileURL(join(DIST, 'storefront-engine.js')).href);
const merchant = await import(pathToFileURL(join(DIST, 'engine.js')).href);

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

// One warm-up, then runs; step returns {total, boundary} in ms.
async function report(workload, n, step) {
  try {
    await step();
    const totals = [], boundaries = [];
    for (let i = 0; i < n; i++) {
      const { total, boundary } = await step();
      totals.push(total);
      boundaries.push(boundary);
    }
    print({ workload, total_ms: median(totals), boundary_ms: median(boundaries), runs: n });
  } catch (error) {
    print({ workload, unavailable: `${error.code || error.name}: ${String(error.message).slice(0, 120)}` });
  }
}

// The JS share of the boundary for an input and the output it produced.
function jsBoundary(input, output) {
  const s = performance.now();
  JSON.stringify(input);
  JSON.parse(JSON.stringify(output));
  return performance.now() - s;
}

async function timed(input, call) {
  const s = performance.now();
  const output = await call();
  const total = performance.now() - s;
  return { total, boundary: jsBoundary(input, output) };
}

const read = (name) => readFileSync(join(dir, name), 'utf8');

for (const [workload, module] of [['feed_load', storefront], ['feed_load_merchant', merchant]]) {
  if (!wanted(workload)) continue;
  const text = read('load.json');
  await report(workload, runs, async () => {
    const s = performance.now();
    const engine = await module.createEngine(text);
    const total = performance.now() - s;
    engine.dispose();
    return { total, boundary: 0 };
  });
}
if (wanted('social_proof')) {
  const engine = await storefront.createEngine(read('ugc.json'));
  // The first call prepares the product (moderation, shingles, summary) and
  // answers; the engine keeps what it prepared. Once: a run means a new engine.
  const first = await timed(TOP_SIX, () => engine.socialProof(TOP_SIX));
  print({ workload: 'social_proof_index_build', total_ms: first.total, boundary_ms: first.boundary, runs: 1 });
  await report('social_proof_top6', runs, () => timed(TOP_SIX, () => engine.socialProof(TOP_SIX)));
  await report('social_proof_top6_widget', runs, () => timed(TOP_SIX_WIDGET, () => engine.socialProof(TOP_SIX_WIDGET)));
  await report('social_proof_newest_page5', runs, () => timed(NEWEST_PAGE_FIVE, () => engine.socialProof(NEWEST_PAGE_FIVE)));
  engine.dispose();
}
if (wanted('match')) {
  try {
    const engine = await merchant.createEngine(read('roster.json'));
    await report('match_plan', runs, () => timed(BRIEF, () => engine.match(BRIEF, { now: NOW })));
    engine.dispose();
  } catch (error) {
    print({ workload: 'match_plan', unavailable: `${error.code || error.name}: ${String(error.message).slice(0, 120)}` });
  }
}
if (wanted('attribute')) {
  try {
    const engine = await merchant.createEngine(read('journeys.json'));
    // A million touches (~150 MB of JSON) exceed one call's 64 MB input
    // limit: an attribution session takes them as JSON lines, 100,000 lines
    // a chunk, as a dashboard streams an export.
    const chunks = (name) => {
      const all = read(name).split('\n');
      const out = [];
      for (let i = 0; i < all.length; i += 100000) out.push(all.slice(i, i + 100000).join('\n'));
      return out;
    };
    const touches = chunks('touches.jsonl'), orders = chunks('orders.jsonl');
    await report('attribute', Math.max(1, Math.floor(runs / 2)), () => {
      const s = performance.now();
      const session = engine.attribution();
      for (const chunk of touches) session.addTouches(chunk);
      for (const chunk of orders) session.addOrders(chunk);
      const output = session.attribute(CONFIG, { now: NOW });
      const total = performance.now() - s;
      const b = performance.now();
      JSON.parse(JSON.stringify(output));
      return { total, boundary: performance.now() - b };
    });
    engine.dispose();
  } catch (error) {
    print({ workload: 'attribute', unavailable: `${error.code || error.name}: ${String(error.message).slice(0, 120)}` });
  }
}
