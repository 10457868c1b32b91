// Benchmark: one brief against a generated roster (default 100,000
// influencers). Prints figures; it is not a test and asserts nothing.
//   build/release/bench/bench_matching [influencers]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "feed/generate.hpp"
#include "matching/matching.hpp"

int main(int argc, char** argv) {
  using namespace vouch;
  using clock = std::chrono::steady_clock;
  GenerateOptions options;
  options.influencers = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100'000;
  options.ugc = 10;
  std::string text;
  generate_feed(options, [&](std::string_view s) { text.append(s); });
  auto t0 = clock::now();
  FeedLoadResult loaded = load_feed(text);
  auto t1 = clock::now();
  if (!loaded.ok()) {
    std::fprintf(stderr, "generated feed did not load\n");
    return 1;
  }
  std::printf("influencers %zu, feed %.1f MB, load %.0f ms\n", options.influencers, text.size() / 1e6,
              std::chrono::duration<double, std::milli>(t1 - t0).count());
  const char* briefs[] = {
      R"({"niches": {"hiking": 1, "camping": 0.5}, "countries": {"US": 0.7, "CA": 0.3},
          "goal": "conversions", "budget": {"amount": 3000, "currency": "USD"}, "limit": 20})",
      R"({"niches": {"yoga": 1}, "genders": {"female": 1}, "goal": "engagement",
          "budget": {"amount": 50000, "currency": "USD"}, "followers": {"min": 1000, "max": 500000}})",
      R"({"goal": "reach", "budget": {"amount": 1000000, "currency": "USD"}, "limit": 100})"};
  for (const char* b : briefs) {
    nlohmann::json brief = nlohmann::json::parse(b);
    auto s = clock::now();
    nlohmann::json out = match_json(*loaded.feed, brief, options.now);
    auto e = clock::now();
    std::printf("goal %-12s considered %6zu  plan %3zu of %3zu candidates  %.0f ms\n",
                out["goal"].get<std::string>().c_str(), out["considered"].get<std::size_t>(),
                out["plan"]["influencers"].size(), out["plan"]["candidates"].get<std::size_t>(),
                std::chrono::duration<double, std::milli>(e - s).count());
  }
  return 0;
}
