#include "attribution/attribution.hpp"

namespace vouch {

nlohmann::json attribute_json(const Feed&, const nlohmann::json&, const nlohmann::json&,
                              const nlohmann::json&, Timestamp) {
  throw VouchException({"engine.not_built", "", "the attribution engine is not built yet"});
}

nlohmann::json report_json(const Feed&, const nlohmann::json&, const nlohmann::json&,
                           const nlohmann::json&) {
  throw VouchException({"engine.not_built", "", "the attribution engine is not built yet"});
}

}  // namespace vouch
