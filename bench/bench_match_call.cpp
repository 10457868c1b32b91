// The matching call of bench_engines.cpp (see bench_social_proof_call.cpp).
#include "matching/matching.hpp"

nlohmann::json bench_match(const vouch::Feed& feed, const nlohmann::json& brief, vouch::Timestamp now) {
  return vouch::match_json(feed, brief, now);
}
