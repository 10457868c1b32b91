#!/usr/bin/env bash
# The Vouch benchmark: one command, one table (docs/benchmarks.md).
#   bash bench/run.sh [RUNS=5]
# Builds the native release and web/dist, generates the data once into
# build/bench-data/ (`vouch generate`), then measures, in one run on the same
# files: each engine workload natively and as wasm under node, the sizes of
# web/dist, the page cost of the widget in headless Chromium, a product page
# on three store sizes (the demo, 2,000 products / 200,000 UGC, 20,000
# products / 2,000,000 UGC: bytes, time to filled, blocking, CLS, document
# build time, server memory), the store of record on the two big stores
# (bench/store_db.mjs: import, full build, restart, a change to visible), how
# right the engines' decisions are on planted ground truth
# (bench/bench_decisions.cpp) and the server's event ingest
# (bench/serve_load.sh). Figures, not tests: nothing fails on a missed target.
# VOUCH_BENCH_ONLY=social_proof,match limits the engine part;
# VOUCH_BENCH_STORES=demo,s200k the stores (the 2,000,000-UGC one takes ~10
# minutes and ~8 GB of memory while its feed's JSON is parsed).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
bash scripts/setup.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
bash scripts/build-wasm.sh >/dev/null
bash scripts/build-web.sh >/dev/null
vouch=./build/release/cli/vouch

# The data, regenerated when the generator's output changed: a small probe of
# each generator mode, hashed (the binary itself changes with every server fix).
data=build/bench-data
probe=$(mktemp -d)
"$vouch" generate --seed 1 --products 3 --influencers 20 --ugc 60 --out "$probe/feed.json"
"$vouch" generate --seed 2 --journeys 50 --out "$probe/journeys.json" \
  --touches-out "$probe/touches.jsonl" --orders-out "$probe/orders.jsonl"
stamp="$data/.generated-by-$(cat "$probe"/* | sha256sum | cut -c1-16)"
rm -rf "$probe"
if [ ! -f "$stamp" ]; then
  echo "bench: generating data into $data (once)" >&2
  rm -rf "$data"
  mkdir -p "$data"
  "$vouch" generate --seed 1 --products 50 --influencers 1500 --ugc 16000 --out "$data/load.json"      # ~10 MB
  "$vouch" generate --seed 1 --products 1 --ugc 100000 --out "$data/ugc.json"                          # one product, 100,000 UGC
  "$vouch" generate --seed 1 --influencers 100000 --ugc 10 --out "$data/roster.json"                   # 100,000 influencers
  # 600,000 journeys give ~1,012,000 touches and ~217,000 orders: keep the first 1,000,000 and 100,000.
  "$vouch" generate --seed 2 --journeys 600000 --out "$data/journeys.json" \
    --touches-out "$data/touches-all.jsonl" --orders-out "$data/orders-all.jsonl"
  head -n 1000000 "$data/touches-all.jsonl" >"$data/touches.jsonl"
  head -n 100000 "$data/orders-all.jsonl" >"$data/orders.jsonl"
  rm "$data/touches-all.jsonl" "$data/orders-all.jsonl"
  touch "$stamp"
fi
# The stores of the product-page benchmark (each generated once).
[ -f "$data/store-demo.json" ] || "$vouch" generate --seed 1 --out "$data/store-demo.json"
[ -f "$data/store-200k.json" ] ||   # 91 MB
  "$vouch" generate --seed 7 --products 2000 --influencers 5000 --ugc 200000 --out "$data/store-200k.json"
case ",${VOUCH_BENCH_STORES:-demo,s200k,s2m}," in *,s2m,*)
  [ -f "$data/store-2m.json" ] ||   # 0.9 GB
    "$vouch" generate --seed 7 --products 20000 --influencers 50000 --ugc 2000000 --out "$data/store-2m.json" ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "bench: native engines" >&2
./build/release/bench/bench_engines "$data" "$runs" >"$work/native.jsonl"
echo "bench: wasm engines under node" >&2
node --max-old-space-size=8192 bench/wasm_engines.mjs "$data" "$runs" >"$work/wasm.jsonl"
echo "bench: page cost in headless Chromium" >&2
VOUCH_BIN="$vouch" node bench/page_cost.mjs "$runs" >"$work/page.jsonl" 2>/dev/null || echo "bench: page cost failed" >&2
echo "bench: a product page by store size" >&2
stores=()
IFS=, read -ra wanted <<<"${VOUCH_BENCH_STORES:-demo,s200k,s2m}"
for store in "${wanted[@]}"; do
  case "$store" in
    demo) stores+=("demo=$data/store-demo.json:sku-1,sku-12") ;;
    s200k) stores+=("s200k=$data/store-200k.json:sku-1,sku-500") ;;
    s2m) stores+=("s2m=$data/store-2m.json:sku-1,sku-500") ;;
  esac
done
node bench/store_pages.mjs "$vouch" "$runs" "${stores[@]}" >"$work/stores.jsonl" || echo "bench: store pages failed" >&2

echo "== machine"
lscpu | grep -E '^(Model name|CPU\(s\)|Thread|Core|Socket|L2|L3)' | sed 's/  */ /g'
echo "nproc: $(nproc), memory: $(free -g | awk '/^Mem/ {print $2}') GB, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "node $(node --version), $(c++ --version | head -1), $(chromium --version 2>/dev/null | head -1)"
echo
node bench/table.mjs "$work/native.jsonl" "$work/wasm.jsonl" "$work/page.jsonl" "$work/stores.jsonl"

echo "bench: memory of a product page in headless Chromium" >&2
echo "== memory of a product page (bench/page_memory.mjs: the demo product page, See all open, three badges)"
VOUCH_BIN="$vouch" node bench/page_memory.mjs "$runs" 2>/dev/null || echo "bench: page memory failed" >&2
echo

echo "bench: decisions on planted truth" >&2
echo "== decisions on planted truth (bench/bench_decisions.cpp: 20 seeds, vouch generate --truth-out)"
./build/release/bench/bench_decisions 20 300
echo

echo "bench: the store of record (import, full build, restart, a change to visible)" >&2
echo "== the store of record (bench/store_db.mjs, SQLite; the summary line per store)"
for store in "${wanted[@]}"; do
  case "$store" in
    s200k | s2m) node bench/store_db.mjs "$vouch" "$data/store-${store#s}.json" | tail -1 || echo "bench: store_db $store failed" >&2 ;;
  esac
done
echo

echo "== server: event ingest on loopback (bench/serve_load.sh 10s)"
bash bench/serve_load.sh 10s 2>/dev/null | grep -E 'accepted events/s|latency p50|latency p99|batches acknowledged'
