#pragma once
// The typed feed back to feed.json's shape (PRODUCT.md): what load_feed reads
// in, these write out, field for field. The server writes the roster and the
// moderation queue with them, and the storefront documents build on them.
#include <nlohmann/json.hpp>

#include "feed/feed.hpp"

namespace vouch {

nlohmann::json to_json(const Store& store);
nlohmann::json to_json(const Product& product);
// Every field, the private ones (rate, audience, posts, follower history,
// customer hashes) included: for the admin token only.
nlohmann::json to_json(const Influencer& influencer);
// What a shopper may see of an influencer: id, handle, name, platform,
// avatar, profile_url, followers and the referral codes they publish.
nlohmann::json public_card_json(const Influencer& influencer);
nlohmann::json to_json(const Endorsement& endorsement);
nlohmann::json to_json(const Ugc& ugc);

}  // namespace vouch
