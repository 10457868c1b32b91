// The database as the store of record, measured (issue 28; docs/benchmarks.md,
// "Store of record"). For one feed file and one database (SQLite file or
// postgres:// URL, emptied first):
//   import       `vouch import FEED`: seconds, peak RSS (GNU time), rows written
//   re-import    the same file again: seconds, rows written (target ~0)
//   first serve  `vouch serve` on the imported database: seconds until every
//                product's documents are built (a full build: what a new
//                day's as_of costs too), peak RSS, then steady RSS
//   restart      stop, start: ms from spawn to the first product document
//                answered 200, and how many products were due then (0: served
//                from the stored documents)
//   changes      on the product with the most items: a shopper's review
//                auto-published, a helpful vote, a moderation decision:
//                ms until its document shows each, rows written
//                (GET /v1/admin/store rows_written), RSS growth
// Prints one JSON line per step, then a summary line.
//
//   node bench/store_db.mjs VOUCH_BIN FEED [DB]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as netServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [binArg, feedArg, dbArg] = process.argv.slice(2);
const bin = binArg && resolve(binArg);
const feed = feedArg && resolve(feedArg);
if (!bin || !feed) {
  console.error('usage: node bench/store_db.mjs VOUCH_BIN FEED [DB]');
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'vouch-store-db-'));
const postgres = /^postgres(ql)?:\/\//.test(dbArg ?? '');
const db = dbArg ?? join(work, 'vouch.db');
const ADMIN = 'bench-admin-token-0123456789';
const SECRET = 'bench-webhook-secret-0123456789abcdef';
const admin = { authorization: `Bearer ${ADMIN}` };
const out = (line) => console.log(JSON.stringify(line));

const sql = (query) => postgres
  ? execFileSync('psql', [db, '-Atqc', query], { encoding: 'utf8' }).trim()
  : execFileSync('sqlite3', [db, query], { encoding: 'utf8' }).trim();
function emptyDatabase() {
  if (!postgres) return rmSync(db, { force: true });
  sql('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
}

// `vouch import`: wall seconds and peak RSS from GNU time, the summary from stdout.
function timedImport() {
  const stdout = execFileSync('/usr/bin/time', ['-o', join(work, 'time.txt'), '-f', '%e %M', bin, 'import', feed, '--db', db],
    { encoding: 'utf8', maxBuffer: 1 << 26 });
  const [seconds, kb] = readFileSync(join(work, 'time.txt'), 'utf8').trim().split(/\s+/).map(Number);
  const summary = JSON.parse(stdout);
  return { seconds, peak_rss_mb: Math.round(kb / 1024), rows_written: summary.rows_written, summary };
}

const freePort = () => new Promise((done) => {
  const probe = netServer();
  probe.listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => done(port)); });
});
const memory = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)[1]);
  return { rss_mb: Math.round(kb('VmRSS') / 1024), peak_rss_mb: Math.round(kb('VmHWM') / 1024) };
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function serve() {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(bin, ['serve', '--db', db, '--port', String(port), '--admin-token', ADMIN, '--webhook-secret', SECRET,
    '--review-rate-limit', '0', '--vote-rate-limit', '0', '--rate-limit', '0', '--address-rate-limit', '0', '--no-access-log'],
  { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-20000); });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => new Promise((done) => { child.once('exit', done); child.kill('SIGTERM'); });
  return { child, base, started, stop, stderr: () => stderr };
}
async function until(what, check, limitMs = 3_600_000) {
  const t0 = performance.now();
  for (;;) {
    try { if (await check()) return performance.now() - t0; } catch { /* not up yet */ }
    if (performance.now() - t0 > limitMs) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}
const status = async (s) => (await fetch(`${s.base}/v1/admin/store`, { headers: admin })).json();
const getJson = async (s, path) => {
  const res = await fetch(`${s.base}/v1/${path}`);
  return res.status === 200 ? res.json() : null;
};
const post = (s, path, body, headers = {}) => fetch(`${s.base}${path}`, {
  method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
}).then(async (r) => ({ status: r.status, body: await r.json() }));

// ---- import, re-import ----
emptyDatabase();
const loaded = loadavg()[0].toFixed(1);
const first = timedImport();
out({ step: 'import', feed, db: postgres ? 'postgresql' : 'sqlite', seconds: first.seconds, peak_rss_mb: first.peak_rss_mb,
  rows_written: first.rows_written, load: loaded });
const again = timedImport();
out({ step: 're-import', seconds: again.seconds, peak_rss_mb: again.peak_rss_mb, rows_written: again.rows_written,
  load: loadavg()[0].toFixed(1) });

// ---- the first serve: a full build ----
let s = await serve();
let peak = 0;
const sampler = setInterval(() => { try { peak = Math.max(peak, memory(s.child.pid).peak_rss_mb); } catch { /* exited */ } }, 200);
await until('up', async () => (await fetch(`${s.base}/v1/health`)).status < 500);
const built = await until('every document built', async () => {
  const st = await status(s);
  return st.documents.day && st.documents.due === 0 && (await fetch(`${s.base}/v1/store.json`)).status === 200;
});
await sleep(5000);
const steady = memory(s.child.pid);
out({ step: 'first serve (full build)', seconds: Math.round((performance.now() - s.started) / 100) / 10,
  build_seconds: Math.round(built / 100) / 10, peak_rss_mb: steady.peak_rss_mb, steady_rss_mb: steady.rss_mb,
  load: loadavg()[0].toFixed(1) });

// ---- restart ----
const product = (sql("SELECT product FROM ugc WHERE retired = 0 GROUP BY product ORDER BY COUNT(*) DESC, product LIMIT 1"));
const items = Number(sql(`SELECT COUNT(*) FROM ugc WHERE product = '${product.replace(/'/g, "''")}' AND retired = 0`));
const name = encodeURIComponent(product);
await s.stop();
s = await serve();
const served = await until('a document after restart', async () => (await fetch(`${s.base}/v1/products/${name}.json`)).status === 200);
const due = (await status(s)).documents.due;
out({ step: 'restart', ms_to_first_document: Math.round(performance.now() - s.started), ms_polling: Math.round(served),
  due_at_start: due, load: loadavg()[0].toFixed(1) });
await until('settled', async () => (await status(s)).documents.due === 0);

// ---- changes on the largest product ----
const reviews = `products/${name}/reviews.json`;
async function change(what, act, visible) {
  const rows0 = (await status(s)).rows_written;
  const rss0 = memory(s.child.pid).rss_mb;
  const t0 = performance.now();
  await act();
  await until(what, visible, 120_000);
  const ms = Math.round(performance.now() - t0);
  await until('nothing due', async () => (await status(s)).documents.due === 0, 120_000);
  const rss = memory(s.child.pid);
  out({ step: what, product, items, ms_to_visible: ms, rows_written: (await status(s)).rows_written - rows0,
    rss_growth_mb: rss.rss_mb - rss0, peak_rss_mb: rss.peak_rss_mb, load: loadavg()[0].toFixed(1) });
  return ms;
}
const shop = JSON.parse(sql("SELECT body FROM catalogue WHERE section = 'store'"));
await post(s, '/v1/admin/review-settings', { auto_publish: true }, admin);
const conv = await post(s, '/v1/events', { events: [{ id: 'bench-conv', type: 'conversion', at: new Date().toISOString(), visitor: 'v-bench',
  order: { order_id: 'bench-order', value: 10, currency: shop.currency, items: [{ product, qty: 1, price: 10 }], coupon: null, customer: null } }] });
const token = conv.body.review_tokens?.[0]?.token;
let reviewId;
const reviewMs = await change('review auto-published', async () => {
  const r = await post(s, '/v1/reviews', { client_id: 'bench-review', product, rating: 4, title: 'Does the job',
    body: 'Bought it for daily use; it has held up well for a month.', author: { name: 'Bench' }, locale: 'en', token });
  if (r.status !== 201) throw new Error(`review: ${r.status} ${JSON.stringify(r.body)}`);
  if (r.body.status !== 'published') throw new Error(`review not published: ${JSON.stringify(r.body)} (conversion: ${JSON.stringify(conv.body)})`);
  reviewId = r.body.id;
}, async () => (await getJson(s, reviews))?.ugc.some((u) => u.id === reviewId));
const target = (await getJson(s, reviews)).ugc.find((u) => u.id !== reviewId);
const voteMs = await change('helpful vote', () => post(s, '/v1/events', { events: [{ id: 'bench-vote', type: 'helpful_vote',
  at: new Date().toISOString(), visitor: 'v-voter', ugc: target.id, product }] }),
async () => (await getJson(s, reviews))?.ugc.find((u) => u.id === target.id)?.helpful === target.helpful + 1);
const decisionMs = await change('moderation decision', () => post(s, '/v1/admin/moderation', { ugc: target.id, status: 'rejected' }, admin),
  async () => !(await getJson(s, reviews))?.ugc.some((u) => u.id === target.id));
const end = memory(s.child.pid);
clearInterval(sampler);
await s.stop();
out({ summary: true, feed, db: postgres ? 'postgresql' : 'sqlite', import_s: first.seconds, import_peak_mb: first.peak_rss_mb,
  reimport_s: again.seconds, reimport_rows: again.rows_written, build_s: Math.round(built / 100) / 10,
  serve_peak_mb: Math.max(peak, end.peak_rss_mb), serve_steady_mb: steady.rss_mb, restart_ms: Math.round(served),
  review_ms: reviewMs, vote_ms: voteMs, decision_ms: decisionMs, load: loadavg()[0].toFixed(1) });
if (!postgres) rmSync(work, { recursive: true, force: true });
