// Prints the tables of bench/run.sh from the JSON lines the benchmarks wrote:
//   node bench/table.mjs NATIVE.jsonl WASM.jsonl PAGE.jsonl [STORES.jsonl]
// plus the sizes of web/dist (raw and gzip -9), with the targets beside them.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { kb, sizes } from '../scripts/sizes.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [nativeFile, wasmFile, pageFile, storesFile] = process.argv.slice(2);
const lines = (file) => (file && existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
const byWorkload = (rows) => new Map(rows.map((r) => [r.workload, r]));
const native = byWorkload(lines(nativeFile));
const wasm = byWorkload(lines(wasmFile));

const ms = (v) => (v === undefined || v === null ? 'n/a' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
  console.log();
}

// [wasm workload, native workload, label, target]. The wasm figures come from
// the module that runs the workload in production: storefront (size first,
// -Oz) on the shopper's page, merchant (speed first, -O2) on the dashboard.
const WORKLOADS = [
  ['feed_load', 'feed_load', 'feed load (10 MB feed), storefront module', ''],
  ['feed_load_merchant', 'feed_load', 'feed load (10 MB feed), merchant module', ''],
  ['social_proof_index_build', 'social_proof_index_build', 'social proof index build (100,000 UGC; wasm: first call, once), storefront', ''],
  ['social_proof_top6', 'social_proof_top6', 'social proof, 100,000 UGC: top 6 relevant, storefront', 'wasm <= 5 ms'],
  ['social_proof_top6_widget', 'social_proof_top6_widget', 'social proof, 100,000 UGC: top 6 as the widget asks (no moderation lists), storefront', 'wasm <= 5 ms'],
  ['social_proof_newest_page5', 'social_proof_newest_page5', 'social proof, 100,000 UGC: "newest" page 5, storefront', 'wasm <= 5 ms'],
  ['match_plan', 'match_plan', 'match 100,000 influencers + plan, merchant', ''],
  ['attribute', 'attribute', 'attribution, 1,000,000 touches + 100,000 orders, merchant (wasm: a session, 10 chunks)', ''],
];
console.log('== engines (ms, median after a warm-up; native total = engine + boundary)\n');
table(['workload', 'native engine', 'native boundary', 'native total', 'wasm total', 'wasm JS boundary', 'wasm/native', 'targets'],
  WORKLOADS.map(([key, nativeKey, label, target]) => {
    const n = native.get(nativeKey) || {};
    const w = wasm.get(key) || {};
    const nativeTotal = n.engine_ms === undefined ? undefined : n.engine_ms + n.boundary_ms;
    const wasmTotal = w.unavailable ? `n/a (${w.unavailable})` : ms(w.total_ms);
    const ratio = w.total_ms !== undefined && nativeTotal ? (w.total_ms / nativeTotal).toFixed(2) : 'n/a';
    return [label, ms(n.engine_ms), nativeKey === 'feed_load' ? '-' : ms(n.boundary_ms), ms(nativeTotal), wasmTotal,
      w.boundary_ms === undefined ? 'n/a' : ms(w.boundary_ms), ratio, ['ratio <= 1.3', target].filter(Boolean).join('; ')];
  }));

console.log('== sizes of web/dist (gzip -9; scripts/sizes.mjs)\n');
try {
  const { files, budgets } = sizes();
  const names = new Set(budgets.flatMap((b) => b.files));
  table(['file', 'raw (B)', 'gzip (B)'], files.filter((f) => names.has(f.file)).map((f) => [f.file, f.raw, f.gzip]));
  table(['ships together', 'gzip', 'limit', 'target'], budgets.map((b) => [b.name,
    b.missing.length ? `n/a (${b.missing.join(', ')} not built)` : kb(b.gzip),
    b.limit === undefined ? '-' : kb(b.limit), b.target === undefined ? '-' : kb(b.target)]));
} catch (e) {
  console.log(`n/a: ${e.message}\n`);
}

const pages = lines(pageFile);
if (pages.length) {
  console.log(`== page cost (headless Chromium, demo product page, median of ${pages[0].runs} cold loads; engine: ${pages[0].engine})\n`);
  table(['page', 'blocking time (ms)', 'CLS', 'social proof filled (ms)', 'targets'],
    pages.map((p) => [p.page, ms(p.blocking_ms), p.cls.toFixed(3), p.filled_ms === null ? '-' : ms(p.filled_ms),
      p.filled_ms === null ? '' : 'widget adds 0 CLS and <= 50 ms blocking']));
}

const stores = lines(storesFile);
if (stores.length) {
  console.log('== a product page by store size (bench/store_pages.mjs: a plain page on another origin, median of cold loads)\n');
  table(['store', 'product (its document)', 'cold', 'warm', 'filled', 'blocking', 'CLS', 'documents built', 'server RSS (peak)'],
    stores.map((r) => [`${r.store}: ${r.products.toLocaleString('en-US')} products, feed ${r.feed_mb} MB`,
      `${r.product} (${r.document_items} items, ${r.document_kb} KB)`, `${r.cold_kb} KB`, `${r.warm_kb} KB`,
      `${r.filled_ms} ms`, `${r.blocking_ms} ms`, r.cls, `${r.build_s} s`, `${r.rss_mb} MB (${r.peak_rss_mb} MB)`]));
  console.log('targets: cold <= 250 KB, warm <= 30 KB, filled <= 1 s, the stores within 10 % of each other; RSS < 1 GB at 200,000 UGC\n');
}
