#pragma once
// Influencer matching and budget planning (engine 1). Filled in by issue 4.
#include <nlohmann/json.hpp>

#include "common/time.hpp"
#include "feed/feed.hpp"

namespace vouch {

// The JSON entry point shared by the CLI, the server and the wasm boundary.
// brief: the brief of PRODUCT.md. Returns {"ranked": [...], "plan": {...}}.
// Throws VouchException (codes "brief.*") for a bad brief.
nlohmann::json match_json(const Feed& feed, const nlohmann::json& brief, Timestamp now);

}  // namespace vouch
