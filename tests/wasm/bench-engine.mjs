#!/usr/bin/env node
// Rough speed of the wasm engine under node (a program printing figures, not
// a test). Usage: node tests/wasm/bench-engine.mjs FEED.json [DIST_DIR]
// e.g. build/release/cli/vouch generate --seed 42 --out /tmp/demo.json first.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [feedPath, distDir = 'web/dist'] = process.argv.slice(2);
if (!feedPath) {
  console.error('usage: node tests/wasm/bench-engine.mjs FEED.json [DIST_DIR]');
  process.exit(2);
}
const { createEngine, validateFeed, VouchError } = await import(pathToFileURL(resolve(distDir, 'engine.js')).href);
const feed = readFileSync(feedPath);

function timeIt(label, runs, fn) {
  fn(); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / runs;
  console.log(`${label.padEnd(36)} ${ms.toFixed(3).padStart(9)} ms/call  (${runs} runs)`);
}

const startLoad = process.hrtime.bigint();
await validateFeed('{}');
console.log(`module instantiation + first call       ${(Number(process.hrtime.bigint() - startLoad) / 1e6).toFixed(1)} ms`);
const engine = await createEngine(feed);
console.log(`feed: ${feedPath} (${(feed.length / 1024).toFixed(0)} KB, ${JSON.stringify(engine.counts)})`);
// The Embind functions directly, to time the synchronous work of createEngine.
const { loadEngineModule } = await import(pathToFileURL(resolve(distDir, 'engine.js')).href);
const module = await loadEngineModule();
timeIt('load feed (loadEngine + freeEngine)', 20, () => {
  const envelope = module.loadEngine(feed);
  module.freeEngine(JSON.parse(envelope).result.handle);
});
timeIt('validate feed', 20, () => module.validateFeed(feed));
const optional = (label, runs, fn) => {
  try {
    timeIt(label, runs, fn);
  } catch (e) {
    if (e instanceof VouchError && e.code === 'engine.not_built') console.log(`${label.padEnd(36)} (engine not built yet)`);
    else throw e;
  }
};
const now = { now: '2026-11-01T00:00:00Z' };
optional('social proof (sku-1, relevant)', 200, () => engine.raw.socialProof({ product: 'sku-1', locale: 'en' }, now));
optional('match (hiking brief)', 50, () => engine.raw.match({ niches: { hiking: 1 }, budget: { amount: 5000, currency: 'USD' }, goal: 'conversions' }, now));
engine.dispose();
