// The engine calls of bench_engines.cpp, one engine header per translation
// unit (matching.hpp and social_proof.hpp both define vouch::kMaxLimit).
#include "input/json_tape.hpp"
#include "social_proof/social_proof.hpp"

// An index with `product` prepared, as the wasm engine holds after its first
// socialProof call.
std::shared_ptr<vouch::SocialProofIndex> bench_social_proof_index(const vouch::Feed& feed,
                                                                  const std::string& product) {
  auto index = std::make_shared<vouch::SocialProofIndex>(feed);
  index->product(product);
  return index;
}

nlohmann::json bench_social_proof(vouch::SocialProofIndex& index, const nlohmann::json& query) {
  return vouch::social_proof_json(index, query);
}

// The query's reader alone (bench_readers.cpp).
bool bench_read_query(const vouch::Feed& feed, const vouch::JsonValue& query) {
  vouch::Error error;
  return vouch::parse_social_proof_query(feed, query, error).has_value();
}
