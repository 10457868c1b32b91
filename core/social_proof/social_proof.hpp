#pragma once
// Social-proof selection (engine 2): what UGC and endorsements a shopper sees
// on a product page, in which order, and why. Filled in by issue 3.
#include <nlohmann/json.hpp>

#include "feed/feed.hpp"

namespace vouch {

// The JSON entry point shared by the CLI, the server and the wasm boundary.
// query: {"product": ID, "locale"?, "via"?, "limit"?, "offset"?, "sort"?,
//         "min_rating"?, "verified_only"?, "with_media"?, "now": RFC3339}
// Returns the social-proof output shape of PRODUCT.md. Throws VouchException
// (codes "query.*") for a bad query.
nlohmann::json social_proof_json(const Feed& feed, const nlohmann::json& query);

}  // namespace vouch
