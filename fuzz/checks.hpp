#pragma once
// What the property checks of properties.hpp share. Each engine's checks
// live in their own file because the engine headers cannot all be included
// in one translation unit (matching.hpp and social_proof.hpp both define
// vouch::kMaxLimit).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "common/time.hpp"
#include "feed/feed.hpp"

namespace vouch::fuzz {

// 2026-11-01T00:00:00Z, the generator's default "now".
inline constexpr Timestamp kNow = 1793491200;

// "" when the error has a non-empty code and message, a path that is "" or
// starts with "/", and valid UTF-8 throughout; otherwise what is wrong.
std::string check_error(const Error& e);
// The JSON Pointer of the first non-finite number in value, if any.
std::optional<std::string> find_non_finite(const nlohmann::json& value, const std::string& at = "");
// The fixed feed of the engine targets (kFixtureFeedCommand).
const Feed& fixture_feed();
// Parses the input as the engine boundary does. A refused input ends the
// case: nullopt, with violation set when the refusal itself is malformed.
std::optional<nlohmann::json> parse_input(std::string_view input, const char* kind, std::string& violation);

// What one call produced: its output bytes or its error, and the first
// broken property ("" when none).
struct Outcome {
  std::string text;
  std::string violation;
};

template <typename Call>
Outcome run_once(const char* what, Call call) {
  try {
    nlohmann::json out = call();
    if (auto bad = find_non_finite(out)) return {"", std::string(what) + ": non-finite number at " + *bad};
    return {out.dump(), ""};
  } catch (const VouchException& e) {
    std::string bad = check_error(e.error());
    if (!bad.empty()) return {"", std::string(what) + ": " + bad};
    return {"error " + e.error().code + " at " + e.error().path + ": " + e.error().message, ""};
  }
}

// Runs call twice; both must keep the properties and give the same bytes.
// The first outcome, with the violation if any.
template <typename Call>
Outcome run_twice_outcome(const char* what, Call call) {
  Outcome first = run_once(what, call);
  if (!first.violation.empty()) return first;
  Outcome second = run_once(what, call);
  if (!second.violation.empty()) return second;
  if (first.text != second.text)
    return {"", std::string(what) + ": two runs differ:\n" + first.text + "\n" + second.text};
  return first;
}

template <typename Call>
std::string run_twice(const char* what, Call call) {
  return run_twice_outcome(what, call).violation;
}

// Each engine on a feed that loaded, with fixed plausible inputs.
std::string check_social_proof_on(const Feed& feed);
std::string check_match_on(const Feed& feed);
std::string check_attribution_on(const Feed& feed);

}  // namespace vouch::fuzz
