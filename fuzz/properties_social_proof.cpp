// Social-proof checks: a fuzzed query on the fixed feed, fixed queries on a fuzzed feed.
#include "checks.hpp"
#include "properties.hpp"
#include "social_proof/social_proof.hpp"

namespace vouch::fuzz {

std::string check_social_proof(std::string_view input) {
  std::string violation;
  auto query = parse_input(input, "query", violation);
  if (!query) return violation;
  return run_twice("social_proof_json", [&] { return social_proof_json(fixture_feed(), *query); });
}

std::string check_social_proof_on(const Feed& feed) {
  for (std::size_t i = 0; i < feed.products.size() && i < 2; ++i) {
    for (const char* sort : {"relevant", "newest", "lowest"}) {
      nlohmann::json query = {{"product", feed.products[i].id}, {"sort", sort},
                              {"now", "2026-11-01T00:00:00Z"}, {"limit", 20}};
      if (!feed.influencers.empty()) query["via"] = feed.influencers.front().id;
      if (auto bad = run_twice("social_proof_json", [&] { return social_proof_json(feed, query); });
          !bad.empty())
        return bad;
    }
  }
  return "";
}

}  // namespace vouch::fuzz
