// The engine calls of bench_engines.cpp, one engine header per translation
// unit (matching.hpp and social_proof.hpp both define vouch::kMaxLimit).
#include "social_proof/social_proof.hpp"

nlohmann::json bench_social_proof(const vouch::Feed& feed, const nlohmann::json& query) {
  return vouch::social_proof_json(feed, query);
}
