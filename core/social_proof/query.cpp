// Reading the social-proof query (JSON in, typed out) by the input layer's
// rules (input/fields.hpp); the first fault is kept, as a value: the
// storefront wasm module has no exceptions.
#include <optional>
#include <string>

#include "common/error.hpp"
#include "common/time.hpp"
#include "input/fields.hpp"
#include "input/json_tape.hpp"
#include "social_proof/social_proof.hpp"

namespace vouch {

namespace {

// query.*: a range fault, a time or a language is an invalid value.
const Vocabulary kQueryVocabulary = {
    "query", {"missing_field", "invalid_type", "invalid_value", "invalid_value", "invalid_value", "invalid_value", "invalid_value"}};

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

std::optional<SocialProofQuery> parse_social_proof_query(const Feed& feed, const JsonValue& query, Error& error,
                                                         std::optional<Timestamp> default_now) {
  Faults faults(kQueryVocabulary, FaultPolicy::First);
  FieldReader r(faults);
  SocialProofQuery q;
  if (r.expect_object(query, "")) {
    q.product = r.string(query, "", "product", true);
    if (!q.product.empty() && !feed.find_product(q.product))
      faults.add("unknown_product", "/product", "no product with id " + quote_for_message(q.product) + " in the feed");
    std::optional<JsonValue> now = query.find("now");
    q.now = default_now && (!now || now->is_null()) ? *default_now : r.time(query, "", "now", true);
    q.locale = r.language(query, "", "locale", feed.store.locale);
    if (q.locale.empty()) q.locale = feed.store.locale;
    // An influencer id, or one of its referral codes; unknown values are ignored.
    q.via_requested = r.string(query, "", "via", false);
    if (!q.via_requested.empty()) {
      if (const Influencer* inf = feed.find_influencer(q.via_requested)) q.via = inf->id;
      else if (const Influencer* by_code = feed.find_influencer_by_code(q.via_requested)) q.via = by_code->id;
    }
    q.limit = static_cast<std::size_t>(r.integer(query, "", "limit", false, 1, kMaxPageSize, kDefaultLimit));
    q.offset = static_cast<std::size_t>(r.integer(query, "", "offset", false, 0, kMaxOffset, 0));
    if (auto sort = r.choice(query, "", "sort", false, {"relevant", "newest", "highest", "lowest", "helpful", "media"}))
      q.sort = static_cast<SocialProofSort>(*sort);
    if (auto rating = r.optional_integer(query, "", "min_rating", false, 1, 5)) q.min_rating = static_cast<int>(*rating);
    q.verified_only = r.boolean(query, "", "verified_only", false);
    q.with_media = r.boolean(query, "", "with_media", false);
    q.moderation_lists = r.boolean(query, "", "moderation_lists", true);
  }
  if (faults.any()) {
    error = faults.errors().front();
    return std::nullopt;
  }
  return q;
}

std::optional<SocialProofQuery> parse_social_proof_query(const Feed& feed, const nlohmann::json& query,
                                                         Error& error) {
  JsonTape tape;
  record_json(query, tape);
  return parse_social_proof_query(feed, tape.root(), error);
}

}  // namespace vouch
