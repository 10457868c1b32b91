#include "matching/matching.hpp"

namespace vouch {

nlohmann::json match_json(const Feed&, const nlohmann::json&, Timestamp) {
  throw VouchException({"engine.not_built", "", "the matching engine is not built yet"});
}

}  // namespace vouch
