// The checks shared by all targets, and the feed and JSON input targets.
#include "properties.hpp"

#include <cmath>

#include "checks.hpp"
#include "input/json_input.hpp"
#include "common/text.hpp"
#include "feed/generate.hpp"

namespace vouch::fuzz {

using nlohmann::json;

std::string check_error(const Error& e) {
  if (e.code.empty()) return "an error has an empty code (message: " + e.message + ")";
  if (e.message.empty()) return "error " + e.code + " has an empty message";
  // What leaves the program must be valid UTF-8 (a parse error once quoted
  // half of a multi-byte character, and dumping it threw).
  if (!is_valid_utf8(e.code) || !is_valid_utf8(e.path) || !is_valid_utf8(e.message))
    return "error " + valid_utf8(e.code) + " is not valid UTF-8: " + valid_utf8(e.message);
  if (!e.path.empty() && e.path.front() != '/')
    return "error " + e.code + " has a path that is not a JSON Pointer: \"" + e.path + "\"";
  return "";
}

std::optional<std::string> find_non_finite(const json& value, const std::string& at) {
  if (value.is_number_float() && !std::isfinite(value.get<double>())) return at.empty() ? "/" : at;
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it)
      if (auto bad = find_non_finite(it.value(), at + "/" + it.key())) return bad;
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i)
      if (auto bad = find_non_finite(value[i], at + "/" + std::to_string(i))) return bad;
  }
  return std::nullopt;
}

const Feed& fixture_feed() {
  static const Feed feed = [] {
    GenerateOptions options;
    options.seed = 7;
    options.products = 3;
    options.influencers = 12;
    options.ugc = 60;
    std::string text;
    generate_feed(options, [&](std::string_view chunk) { text.append(chunk); });
    return *load_feed(text).feed;
  }();
  return feed;
}

std::optional<json> parse_input(std::string_view input, const char* kind, std::string& violation) {
  try {
    return parse_json_input(input, kind);
  } catch (const VouchException& e) {
    violation = check_error(e.error());
    return std::nullopt;
  }
}

namespace {

std::string errors_text(const std::vector<Error>& errors) {
  std::string text;
  for (const Error& e : errors) text += e.code + " " + e.path + " " + e.message + "\n";
  return text;
}

std::size_t nesting(const json& value) {
  std::size_t deepest = 0;
  if (value.is_structured())
    for (const auto& child : value) deepest = std::max(deepest, nesting(child));
  return value.is_structured() ? deepest + 1 : 0;
}

}  // namespace

std::string check_load_feed(std::string_view input) {
  FeedLoadResult first = load_feed(input);
  FeedLoadResult second = load_feed(input);
  if (first.ok() != second.ok() || first.errors != second.errors)
    return "load_feed: two runs differ:\n" + errors_text(first.errors) + "\n" + errors_text(second.errors);
  if (first.ok() == !first.errors.empty()) return "load_feed: a feed and errors, or neither";
  if (first.errors.size() > FeedLimits{}.max_errors) return "load_feed: more errors than max_errors";
  for (const Error& e : first.errors)
    if (auto bad = check_error(e); !bad.empty()) return "load_feed: " + bad;
  if (!first.ok()) return "";
  // Any feed the loader accepts, however odd, must hold up in every engine.
  if (auto bad = check_social_proof_on(*first.feed); !bad.empty()) return bad;
  if (auto bad = check_match_on(*first.feed); !bad.empty()) return bad;
  return check_attribution_on(*first.feed);
}

std::string check_json_input(std::string_view input) {
  JsonInputLimits limits;
  limits.max_bytes = 4096;
  limits.max_depth = 8;
  auto parse = [&] { return parse_json_input(input, "brief", limits); };
  Outcome first = run_once("parse_json_input", parse);
  if (!first.violation.empty()) return first.violation;
  Outcome second = run_once("parse_json_input", parse);
  if (first.text != second.text) return "parse_json_input: two runs differ";
  if (first.text.rfind("error ", 0) == 0) {
    if (first.text.rfind("error brief.", 0) != 0) return "parse_json_input: a code without the prefix: " + first.text;
    return "";
  }
  if (input.size() > limits.max_bytes) return "parse_json_input: accepted more than max_bytes";
  if (nesting(json::parse(first.text)) > limits.max_depth)
    return "parse_json_input: accepted a document deeper than max_depth";
  return "";
}

}  // namespace vouch::fuzz
