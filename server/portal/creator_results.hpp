#pragma once
// A creator's results over a range (GET /v1/portal/performance, and the
// owner's view of one creator): clicks and visitors from their link touches,
// orders, revenue and commission from their ledger lines, in total and by
// UTC day, by source tag and by product (docs/portal.md, "Results").
//
//   clicks      link touches credited to the creator (their code, handle or id)
//   visitors    distinct visitors among those touches
//   orders      sale lines (orders credited to them); by product, an order
//               counts once for each product it holds
//   revenue     credited revenue, net of refunds
//   commission  commission, net of clawbacks
// A touch's product is the product whose page (path) it landed on, none when
// several products share that path; a line's
// revenue and commission are split across its order's products in
// proportion to their value (largest remainder), its source is the tag of
// the creator's last touch before the order.
#include <string>

#include <nlohmann/json.hpp>

#include "feed/feed.hpp"
#include "store.hpp"

namespace vouch::server {

// The longest range asked at once.
inline constexpr Timestamp kMaxResultsRange = 400 * kSecondsPerDay;

// {"from", "to", "currency", "totals", "by_day": [{"date", ...}], "by_source":
// [{"src"|null, ...}], "by_product": [{"product", "title", ...}]}, each row with
// clicks, visitors, orders, revenue, commission. [from, to) are UTC midnights.
nlohmann::json creator_results(Store& store, const Feed& feed, const std::string& influencer, Timestamp from,
                               Timestamp to);

}  // namespace vouch::server
