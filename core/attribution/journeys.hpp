#pragma once
// Generated shopper journeys for the demo and the benchmarks: touches and
// orders consistent with a feed's influencers, codes and products, with the
// awkward cases attribution must handle. Same feed and seed, same bytes.
#include <cstdint>
#include <functional>
#include <string_view>

#include "common/time.hpp"
#include "feed/feed.hpp"

namespace vouch {

struct JourneyOptions {
  std::uint64_t seed = 1;
  std::size_t journeys = 1000;  // visitors arriving through an influencer
  Timestamp now = 1793491200;   // every event lies before this (2026-11-01T00:00:00Z)
};

// Writes one JSON line per touch to touch_sink and per order to order_sink
// (each line ends with '\n'), both sorted by time. Besides ordinary journeys
// (one to four touches, ~30% converting, some after the window, some with a
// coupon, some conflicting) it adds one each of: a duplicate order, a partial
// refund, a self-referral, a click injection, a click flood, an unknown
// referral code and an unknown coupon.
void generate_journeys(const Feed& feed, const JourneyOptions& options,
                       const std::function<void(std::string_view)>& touch_sink,
                       const std::function<void(std::string_view)>& order_sink);

}  // namespace vouch
