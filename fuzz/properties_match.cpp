// Matching checks: a fuzzed brief on the fixed feed, a fixed brief on a fuzzed feed.
#include "checks.hpp"
#include "matching/matching.hpp"
#include "properties.hpp"

namespace vouch::fuzz {

std::string check_match(std::string_view input) {
  std::string violation;
  auto brief = parse_input(input, "brief", violation);
  if (!brief) return violation;
  return run_twice("match_json", [&] { return match_json(fixture_feed(), *brief, kNow); });
}

std::string check_match_on(const Feed& feed) {
  nlohmann::json brief = {{"niches", {{"hiking", 1.0}, {"camping", 0.5}}},
                          {"countries", {{"US", 0.7}, {"CA", 0.3}}},
                          {"budget", {{"amount", 3000}, {"currency", "USD"}}},
                          {"goal", "conversions"}};
  return run_twice("match_json", [&] { return match_json(feed, brief, kNow); });
}

}  // namespace vouch::fuzz
