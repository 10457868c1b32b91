#include "social_proof/social_proof.hpp"

namespace vouch {

nlohmann::json social_proof_json(const Feed&, const nlohmann::json&) {
  throw VouchException({"engine.not_built", "", "the social-proof engine is not built yet"});
}

}  // namespace vouch
