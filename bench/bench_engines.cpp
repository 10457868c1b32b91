// Native side of bench/run.sh: each engine workload on the files that run.sh
// generated, timed as the median of several runs after one warm-up. Prints one
// JSON line per workload: {"workload", "engine_ms", "boundary_ms", "runs"}.
//   engine_ms:   the engine on parsed input (load_feed on the text for the feed)
//   boundary_ms: JSON text -> nlohmann::json for the input, and dump() of the output
// It is a benchmark: it prints figures and asserts nothing.
//   build/release/bench/bench_engines DATA_DIR [RUNS=5]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "attribution/attribution.hpp"
#include "input/json_input.hpp"
#include "common/time.hpp"
#include "feed/feed.hpp"
#include "workloads.hpp"

namespace vouch::bench {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "bench_engines: cannot read %s\n", path.c_str());
    std::exit(1);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Feed load(const std::string& path) {
  FeedLoadResult loaded = load_feed(read_file(path));
  if (!loaded.ok()) {
    std::fprintf(stderr, "bench_engines: %s did not load: %s\n", path.c_str(), loaded.errors[0].message.c_str());
    std::exit(1);
  }
  return std::move(*loaded.feed);
}

// JSON lines -> one array, as a caller holding the events as text would.
json parse_lines(const std::string& text, const char* kind) {
  json array = json::array();
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) array.push_back(parse_json_input(std::string_view(text).substr(start, end - start), kind));
    start = end + 1;
  }
  return array;
}

struct Timing {
  std::vector<double> engine, boundary;
};

// One warm-up, then runs measured; step returns {engine_ms, boundary_ms}.
void report(const char* workload, int runs, const std::function<std::pair<double, double>()>& step) {
  step();
  Timing t;
  for (int i = 0; i < runs; ++i) {
    auto [engine, boundary] = step();
    t.engine.push_back(engine);
    t.boundary.push_back(boundary);
  }
  std::printf("{\"workload\": \"%s\", \"engine_ms\": %.3f, \"boundary_ms\": %.3f, \"runs\": %d}\n", workload,
              median(t.engine), median(t.boundary), runs);
  std::fflush(stdout);
}

// A JSON entry point called with text in and text out.
std::pair<double, double> call(const std::string& input, const char* kind,
                               const std::function<json(const json&)>& engine) {
  auto s = Clock::now();
  json parsed = parse_json_input(input, kind);
  double boundary = ms_since(s);
  s = Clock::now();
  json out = engine(parsed);
  double engine_ms = ms_since(s);
  s = Clock::now();
  std::string text = out.dump();
  boundary += ms_since(s);
  if (text.empty()) std::abort();
  return {engine_ms, boundary};
}

}  // namespace
}  // namespace vouch::bench

// Kept in separate translation units: matching.hpp and social_proof.hpp
// cannot be included together.
namespace vouch {
class SocialProofIndex;
}
std::shared_ptr<vouch::SocialProofIndex> bench_social_proof_index(const vouch::Feed& feed, const std::string& product);
nlohmann::json bench_social_proof(vouch::SocialProofIndex& index, const nlohmann::json& query);
nlohmann::json bench_match(const vouch::Feed& feed, const nlohmann::json& brief, vouch::Timestamp now);
namespace vouch::bench {
void bench_readers(const std::string& dir, int runs, const std::function<std::string(const std::string&)>& read_file,
                   const std::function<Feed(const std::string&)>& load);
}

int main(int argc, char** argv) {
  using namespace vouch;
  using namespace vouch::bench;
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_engines DATA_DIR [RUNS=5]\n");
    return 2;
  }
  const std::string dir = argv[1];
  const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  const Timestamp now = *parse_rfc3339(kNow);
  const std::string only = std::getenv("VOUCH_BENCH_ONLY") ? std::getenv("VOUCH_BENCH_ONLY") : "";
  auto wanted = [&](const char* w) { return only.empty() || only.find(w) != std::string::npos; };

  if (wanted("readers")) bench_readers(dir, runs, read_file, load);
  if (wanted("feed_load")) {
    std::string text = read_file(dir + "/load.json");
    report("feed_load", runs, [&] {
      auto s = Clock::now();
      FeedLoadResult loaded = load_feed(text);
      if (!loaded.ok()) std::abort();
      return std::pair{ms_since(s), 0.0};
    });
  }
  if (wanted("social_proof")) {
    Feed feed = load(dir + "/ugc.json");
    // Moderation, shingles and summary of the product, once per feed.
    report("social_proof_index_build", runs, [&] {
      auto s = Clock::now();
      auto index = bench_social_proof_index(feed, "sku-1");
      return std::pair{ms_since(s), 0.0};
    });
    // Queries on a kept index, as the wasm engine and a server answer them.
    auto index = bench_social_proof_index(feed, "sku-1");
    auto sp = [&](const json& q) { return bench_social_proof(*index, q); };
    report("social_proof_top6", runs, [&] { return call(kTopSixQuery, "query", sp); });
    report("social_proof_top6_widget", runs, [&] { return call(kTopSixWidgetQuery, "query", sp); });
    report("social_proof_newest_page5", runs, [&] { return call(kNewestPageFiveQuery, "query", sp); });
  }
  if (wanted("match")) {
    Feed feed = load(dir + "/roster.json");
    report("match_plan", runs, [&] { return call(kBrief, "brief", [&](const json& b) { return bench_match(feed, b, now); }); });
  }
  if (wanted("attribute")) {
    Feed feed = load(dir + "/journeys.json");
    std::string touches_text = read_file(dir + "/touches.jsonl"), orders_text = read_file(dir + "/orders.jsonl");
    json config = json::parse(kAttributionConfig);
    report("attribute", std::max(1, runs / 2), [&] {
      auto s = Clock::now();
      json touches = parse_lines(touches_text, "touch"), orders = parse_lines(orders_text, "order");
      double boundary = ms_since(s);
      s = Clock::now();
      json out = attribute_json(feed, touches, orders, config, now);
      double engine = ms_since(s);
      s = Clock::now();
      std::string text = out.dump();
      boundary += ms_since(s);
      if (text.empty()) std::abort();
      return std::pair{engine, boundary};
    });
  }
  return 0;
}
