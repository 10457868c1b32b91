#pragma once
// Referral attribution and reports (engine 3). Filled in by issue 5.
#include <nlohmann/json.hpp>

#include "common/time.hpp"
#include "feed/feed.hpp"

namespace vouch {

// The JSON entry points shared by the CLI, the server and the wasm boundary.
// touches, orders: JSON arrays of the Touch and Order shapes of PRODUCT.md;
// config: the attribution config (may be null or {}).
// attribute_json returns a JSON array, one result per order, in order.
// report_json returns the per-influencer report with totals.
// Both throw VouchException ("touch.*", "order.*", "config.*") for bad input.
nlohmann::json attribute_json(const Feed& feed, const nlohmann::json& touches,
                              const nlohmann::json& orders, const nlohmann::json& config,
                              Timestamp now);
nlohmann::json report_json(const Feed& feed, const nlohmann::json& touches,
                           const nlohmann::json& orders, const nlohmann::json& config);

}  // namespace vouch
