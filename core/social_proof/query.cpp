// Parsing and validating the social-proof query (JSON in, typed out).
#include <optional>
#include <string>

#include "common/error.hpp"
#include "common/time.hpp"
#include "social_proof/social_proof.hpp"

namespace vouch {

namespace {

std::string type_name(const nlohmann::json& v) { return v.type_name(); }

// Reads the query's fields; the first fault is kept (errors are values: the
// storefront wasm module has no exceptions), and later reads cannot replace it.
struct QueryReader {
  const nlohmann::json& query;
  std::optional<Error> fault;

  void fail(const std::string& code, const std::string& path, const std::string& message) {
    if (!fault) fault = Error{code, path, message};
  }

  const nlohmann::json* optional_field(const char* key) const {
    auto it = query.find(key);
    if (it == query.end() || it->is_null()) return nullptr;
    return &*it;
  }

  std::string string_field(const char* key, bool required) {
    const nlohmann::json* v = optional_field(key);
    std::string path = std::string("/") + key;
    if (!v) {
      if (required) fail("query.missing_field", path, std::string(key) + " is required");
      return {};
    }
    if (!v->is_string()) {
      fail("query.invalid_type", path, std::string(key) + " must be a string, got " + type_name(*v));
      return {};
    }
    return v->get<std::string>();
  }

  // An integer in [min, max]; JSON numbers with a fraction are refused.
  std::optional<long long> integer_field(const char* key, long long min, long long max) {
    const nlohmann::json* v = optional_field(key);
    if (!v) return std::nullopt;
    std::string path = std::string("/") + key;
    std::string expectation = std::string(key) + " must be an integer from " + std::to_string(min) +
                              " to " + std::to_string(max);
    if (!v->is_number()) {
      fail("query.invalid_type", path, expectation + ", got " + type_name(*v));
      return std::nullopt;
    }
    bool in_range = false;
    long long n = 0;
    if (v->is_number_unsigned()) {
      auto u = v->get<unsigned long long>();
      in_range = u <= static_cast<unsigned long long>(max);
      n = static_cast<long long>(u);
    } else if (v->is_number_integer()) {
      n = v->get<long long>();
      in_range = true;
    }
    if (!in_range || n < min || n > max) {
      fail("query.invalid_value", path, expectation + ", got " + v->dump());
      return std::nullopt;
    }
    return n;
  }

  bool bool_field(const char* key, bool absent = false) {
    const nlohmann::json* v = optional_field(key);
    if (!v) return absent;
    if (!v->is_boolean()) {
      fail("query.invalid_type", std::string("/") + key,
           std::string(key) + " must be true or false, got " + type_name(*v));
      return absent;
    }
    return v->get<bool>();
  }
};

// BCP 47-ish: letters, digits, '-' or '_', 1 to 35 characters.
bool is_locale_tag(const std::string& tag) {
  if (tag.empty() || tag.size() > 35) return false;
  for (char c : tag) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::optional<SocialProofSort> parse_sort(const std::string& s) {
  for (auto sort : {SocialProofSort::Relevant, SocialProofSort::Newest, SocialProofSort::Highest,
                    SocialProofSort::Lowest, SocialProofSort::Helpful, SocialProofSort::Media})
    if (to_string(sort) == s) return sort;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(SocialProofSort sort) {
  switch (sort) {
    case SocialProofSort::Relevant: return "relevant";
    case SocialProofSort::Newest: return "newest";
    case SocialProofSort::Highest: return "highest";
    case SocialProofSort::Lowest: return "lowest";
    case SocialProofSort::Helpful: return "helpful";
    case SocialProofSort::Media: return "media";
  }
  return "relevant";
}

std::optional<SocialProofQuery> parse_social_proof_query(const Feed& feed, const nlohmann::json& query,
                                                         Error& error) {
  if (!query.is_object()) {
    error = {"query.invalid_type", "", "the query must be a JSON object, got " + type_name(query)};
    return std::nullopt;
  }
  QueryReader r{query, std::nullopt};
  SocialProofQuery q;

  q.product = r.string_field("product", true);
  if (!r.fault && !feed.find_product(q.product))
    r.fail("query.unknown_product", "/product", "no product with id " + quote_for_message(q.product) + " in the feed");

  std::string now = r.string_field("now", true);
  auto t = parse_rfc3339(now);
  if (!t)
    r.fail("query.invalid_value", "/now",
           "now must be an RFC 3339 time such as 2026-11-01T00:00:00Z, got " + quote_for_message(now));
  q.now = t.value_or(0);

  q.locale = r.string_field("locale", false);
  if (!q.locale.empty() && !is_locale_tag(q.locale))
    r.fail("query.invalid_value", "/locale",
           "locale must be a language tag such as \"en\" or \"fr-CA\", got " + quote_for_message(q.locale));
  if (q.locale.empty()) q.locale = feed.store.locale;

  // An influencer id, or one of its referral codes; unknown values are ignored.
  q.via_requested = r.string_field("via", false);
  if (!q.via_requested.empty()) {
    if (const Influencer* inf = feed.find_influencer(q.via_requested)) q.via = inf->id;
    else if (const Influencer* by_code = feed.find_influencer_by_code(q.via_requested)) q.via = by_code->id;
  }

  q.limit = static_cast<std::size_t>(r.integer_field("limit", 1, kMaxPageSize).value_or(kDefaultLimit));
  q.offset = static_cast<std::size_t>(r.integer_field("offset", 0, kMaxOffset).value_or(0));

  std::string sort = r.string_field("sort", false);
  if (!sort.empty()) {
    auto s = parse_sort(sort);
    if (!s)
      r.fail("query.invalid_value", "/sort",
             "sort must be one of relevant, newest, highest, lowest, helpful, media, got " + quote_for_message(sort));
    q.sort = s.value_or(SocialProofSort::Relevant);
  }

  if (auto rating = r.integer_field("min_rating", 1, 5)) q.min_rating = static_cast<int>(*rating);
  q.verified_only = r.bool_field("verified_only");
  q.with_media = r.bool_field("with_media");
  q.moderation_lists = r.bool_field("moderation_lists", true);
  if (r.fault) {
    error = std::move(*r.fault);
    return std::nullopt;
  }
  return q;
}

}  // namespace vouch
