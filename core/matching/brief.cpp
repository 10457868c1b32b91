// Reading a campaign brief by the input layer's rules (input/fields.hpp):
// every field is optional (null is absent), and the first fault is a
// VouchException naming the field by its JSON Pointer.
#include <string>

#include "common/error.hpp"
#include "common/money.hpp"
#include "common/text.hpp"
#include "input/fields.hpp"
#include "input/json_tape.hpp"
#include "matching/matching.hpp"

namespace vouch {

namespace {

// brief.*: a required field and a time are invalid values.
const Vocabulary kBriefVocabulary = {
    "brief", {"invalid_value", "invalid_type", "invalid_value", "out_of_range", "invalid_value", "invalid_value", "invalid_value"}};

constexpr std::int64_t kMaxCount = 1'000'000'000'000;  // followers, clicks, orders

// The member when it is an object, described as `what` in a type fault.
template <typename What>
std::optional<JsonValue> object_member(FieldReader& r, const JsonValue& v, std::string_view key, What what) {
  std::optional<JsonValue> m = r.member(v, "", key, false);
  if (!m || m->is_object()) return m;
  r.wrong_type(child_path("", key), *m, what());
  return std::nullopt;
}

auto words(const char* text) {
  return [text] { return std::string(text); };
}

// An object of weights or shares, each a number from 0 to 1.
std::map<std::string, double> weights(FieldReader& r, const JsonValue& brief, std::string_view key, const char* what,
                                      bool lower) {
  std::map<std::string, double> out;
  auto v = object_member(r, brief, key, [what] { return std::string("an object of ") + what + " -> number from 0 to 1"; });
  if (!v) return out;
  for (auto [name, weight] : v->members())
    out[lower ? ascii_lower(name) : std::string(name)] = r.number(weight, child_path(child_path("", key), name), 0, 1).value_or(0);
  return out;
}

std::optional<Brief::Budget> budget(FieldReader& r, const JsonValue& brief) {
  auto v = object_member(r, brief, "budget", words("an object {\"amount\": number, \"currency\": \"USD\"}"));
  if (!v) return std::nullopt;
  Brief::Budget out;
  if (!r.member(*v, "/budget", "amount", false)) {
    r.faults().add("invalid_value", "/budget", "budget needs an amount");
    return out;
  }
  out.amount = r.optional_number(*v, "/budget", "amount", true, 0, 1e12).value_or(0);
  out.currency = r.currency(*v, "/budget", "currency", false, out.currency);
  return out;
}

void followers(FieldReader& r, const JsonValue& brief, Brief& out) {
  auto v = object_member(r, brief, "followers", words("an object {\"min\": integer, \"max\": integer}"));
  if (!v) return;
  out.followers_min = r.optional_integer(*v, "/followers", "min", false, 0, kMaxCount);
  out.followers_max = r.optional_integer(*v, "/followers", "max", false, 0, kMaxCount);
  if (out.followers_min && out.followers_max && *out.followers_min > *out.followers_max)
    r.faults().add("invalid_value", "/followers",
                   "followers.min (" + std::to_string(*out.followers_min) + ") is greater than followers.max (" +
                       std::to_string(*out.followers_max) + ")");
}

void exclude(FieldReader& r, const JsonValue& brief, Brief& out) {
  std::optional<JsonValue> v = r.member(brief, "", "exclude", false);
  if (!v) return;
  if (!v->is_array()) {
    r.wrong_type("/exclude", *v, "an array of influencer ids");
    return;
  }
  std::size_t i = 0;
  for (JsonValue id : v->elements()) {
    std::string path = child_path("/exclude", i++);
    if (id.is_string()) out.exclude.emplace(id.string());
    else r.wrong_type(path, id, "an influencer id (a string)");
  }
}

void history(FieldReader& r, const JsonValue& brief, Brief& out) {
  auto v = object_member(r, brief, "history", words("an object of influencer id -> {\"orders\", \"clicks\"}"));
  if (!v) return;
  for (auto [id, h] : v->members()) {
    std::string path = child_path("/history", id);
    if (!h.is_object()) {
      r.wrong_type(path, h, "an object {\"orders\": integer, \"clicks\": integer}");
      continue;
    }
    ConversionHistory record;
    record.orders = r.integer(h, path, "orders", false, 0, kMaxCount);
    record.clicks = r.integer(h, path, "clicks", false, 0, kMaxCount);
    if (record.orders > record.clicks)
      r.faults().add("invalid_value", path,
                     readable_path(path) + " has more orders (" + std::to_string(record.orders) + ") than clicks (" +
                         std::to_string(record.clicks) + "); count every visit the influencer sent, coupon uses included");
    out.history[std::string(id)] = record;
  }
}

}  // namespace

std::string_view to_string(Goal goal) {
  switch (goal) {
    case Goal::Conversions: return "conversions";
    case Goal::Reach: return "reach";
    case Goal::Engagement: return "engagement";
  }
  return "engagement";
}

Brief parse_brief(const JsonValue& v) {
  Faults faults(kBriefVocabulary, FaultPolicy::First);
  FieldReader r(faults);
  Brief brief;
  if (!r.expect_object(v, "")) faults.throw_first();
  brief.niches = weights(r, v, "niches", "niche", true);
  brief.countries = weights(r, v, "countries", "country", false);
  brief.ages = weights(r, v, "ages", "age band", false);
  brief.genders = weights(r, v, "genders", "gender", false);
  brief.budget = budget(r, v);
  if (auto goal = r.choice(v, "", "goal", false, {"conversions", "reach", "engagement"}))
    brief.goal = static_cast<Goal>(*goal);
  followers(r, v, brief);
  brief.limit = static_cast<std::size_t>(
      r.integer(v, "", "limit", false, 1, static_cast<std::int64_t>(kMaxShortlist), static_cast<std::int64_t>(brief.limit)));
  exclude(r, v, brief);
  brief.allow_flagged = r.boolean(v, "", "allow_flagged", brief.allow_flagged);
  if (auto fit = r.member(v, "", "min_niche_fit", false)) brief.min_niche_fit = r.number(*fit, "/min_niche_fit", 0, 1).value_or(0);
  history(r, v, brief);
  faults.throw_first();
  return brief;
}

Brief parse_brief(const nlohmann::json& v) {
  JsonTape tape;
  record_json(v, tape);
  return parse_brief(tape.root());
}

nlohmann::json match_json(const Feed& feed, const nlohmann::json& brief, Timestamp now) {
  JsonTape tape;
  record_json(brief, tape);
  return match_json(feed, tape.root(), now);
}

nlohmann::json match_json(const Feed& feed, const JsonValue& brief, Timestamp now) {
  Brief parsed = parse_brief(brief);
  return to_json(match(feed, parsed, now), parsed);
}

}  // namespace vouch
