#pragma once
// A deterministic generator of realistic demo stores: same options, same
// bytes. The demo, the tests at scale and the benchmarks all use it.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/time.hpp"

namespace vouch {

struct GenerateOptions {
  std::uint64_t seed = 1;
  std::size_t products = 24;
  std::size_t influencers = 60;
  std::size_t ugc = 600;
  // Every generated time lies before this instant (default 2026-11-01T00:00:00Z),
  // so output never depends on the wall clock.
  Timestamp now = 1793491200;
};

// Writes a feed.json document, piece by piece, to sink (so that a million
// UGC items never sit in memory as one JSON tree). truth_sink, when set,
// receives the truth file: what was planted in that feed (bought followers,
// pods, follow-for-follow, mostly sponsored feeds, each influencer's real
// audience and true results per post, spam and near-duplicates), for
// evaluating the engines (docs/feed.md#the-truth-file). The feed's bytes are
// the same with or without it.
void generate_feed(const GenerateOptions& options, const std::function<void(std::string_view)>& sink,
                   const std::function<void(std::string_view)>& truth_sink = {});

// splitmix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number
// generators", OOPSLA 2014): tiny, fast, and identical on every platform,
// unlike std::uniform_*_distribution whose output is implementation-defined.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  double uniform();                                      // [0, 1)
  std::size_t below(std::size_t n);                      // [0, n)
  double range(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  bool chance(double p) { return uniform() < p; }
  double normal();                                       // mean 0, sd 1 (Box–Muller)

 private:
  std::uint64_t state_;
};

// n random lower-case hex digits (stand-ins for SHA-256 customer hashes).
std::string random_hex(SplitMix64& rng, std::size_t n);

}  // namespace vouch
