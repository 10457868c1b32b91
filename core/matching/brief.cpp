// Reading a campaign brief: every field is optional, every fault is a
// VouchException naming the field by its JSON Pointer.
#include <cmath>
#include <string>

#include "common/error.hpp"
#include "common/money.hpp"
#include "common/text.hpp"
#include "matching/matching.hpp"

namespace vouch {

namespace {

using json = nlohmann::json;

std::string child(const std::string& path, const std::string& key) { return path + "/" + json_pointer_token(key); }

[[noreturn]] void fail(const char* code, const std::string& path, const std::string& message) {
  throw_error({code, path, message});
}

const json& object_at(const json& v, const std::string& path, const std::string& what) {
  if (!v.is_object()) fail("brief.invalid_type", path, readable_path(path) + " must be " + what + ", got " + describe_json_value(v));
  return v;
}

// A weight or share: a number from 0 to 1.
double unit_number(const json& v, const std::string& path) {
  std::string msg = readable_path(path) + " must be a number from 0 to 1, got " + describe_json_value(v);
  if (!v.is_number()) fail("brief.invalid_type", path, msg);
  double d = v.get<double>();
  if (!std::isfinite(d) || d < 0 || d > 1) fail("brief.out_of_range", path, msg);
  return d;
}

std::map<std::string, double> weights(const json& v, const std::string& path, const char* what, bool lower) {
  object_at(v, path, std::string("an object of ") + what + " -> number from 0 to 1");
  std::map<std::string, double> out;
  for (auto it = v.begin(); it != v.end(); ++it) {
    std::string key = lower ? ascii_lower(it.key()) : it.key();
    out[key] = unit_number(it.value(), child(path, it.key()));
  }
  return out;
}

std::int64_t whole_number(const json& v, const std::string& path, std::int64_t min, std::int64_t max) {
  std::string msg = readable_path(path) + " must be an integer from " + std::to_string(min) + " to " +
                    std::to_string(max) + ", got " + describe_json_value(v);
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max))
      fail("brief.out_of_range", path, msg);
    auto n = v.get<std::int64_t>();
    if (n < min || n > max) fail("brief.out_of_range", path, msg);
    return n;
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::isfinite(d) && d == std::floor(d)) {
      if (d < static_cast<double>(min) || d > static_cast<double>(max)) fail("brief.out_of_range", path, msg);
      return static_cast<std::int64_t>(d);
    }
  }
  fail("brief.invalid_type", path, msg);
}

constexpr std::int64_t kMaxCount = 1'000'000'000'000;  // followers, clicks, orders

}  // namespace

std::string_view to_string(Goal goal) {
  switch (goal) {
    case Goal::Conversions: return "conversions";
    case Goal::Reach: return "reach";
    case Goal::Engagement: return "engagement";
  }
  return "engagement";
}

Brief parse_brief(const json& v) {
  if (!v.is_object()) fail("brief.invalid_type", "", "the brief must be a JSON object, got " + describe_json_value(v));
  Brief brief;
  if (auto it = v.find("niches"); it != v.end()) brief.niches = weights(*it, "/niches", "niche", true);
  if (auto it = v.find("countries"); it != v.end()) brief.countries = weights(*it, "/countries", "country", false);
  if (auto it = v.find("ages"); it != v.end()) brief.ages = weights(*it, "/ages", "age band", false);
  if (auto it = v.find("genders"); it != v.end()) brief.genders = weights(*it, "/genders", "gender", false);

  if (auto it = v.find("budget"); it != v.end()) {
    object_at(*it, "/budget", "an object {\"amount\": number, \"currency\": \"USD\"}");
    Brief::Budget budget;
    auto amount = it->find("amount");
    if (amount == it->end()) fail("brief.invalid_value", "/budget", "budget needs an amount");
    std::string msg = "budget.amount must be a number from 0 to 1000000000000, got " + describe_json_value(*amount);
    if (!amount->is_number()) fail("brief.invalid_type", "/budget/amount", msg);
    budget.amount = amount->get<double>();
    if (!std::isfinite(budget.amount) || budget.amount < 0 || budget.amount > 1e12)
      fail("brief.out_of_range", "/budget/amount", msg);
    if (auto cur = it->find("currency"); cur != it->end()) {
      std::string cmsg = "budget.currency must be a three-letter ISO 4217 code such as \"USD\", got " + describe_json_value(*cur);
      if (!cur->is_string()) fail("brief.invalid_type", "/budget/currency", cmsg);
      budget.currency = cur->get<std::string>();
      if (!is_currency_code(budget.currency)) fail("brief.invalid_value", "/budget/currency", cmsg);
    }
    brief.budget = budget;
  }

  if (auto it = v.find("goal"); it != v.end()) {
    std::string msg = "goal must be one of \"conversions\", \"reach\", \"engagement\", got " + describe_json_value(*it);
    if (!it->is_string()) fail("brief.invalid_type", "/goal", msg);
    const auto& g = it->get_ref<const std::string&>();
    if (g == "conversions") brief.goal = Goal::Conversions;
    else if (g == "reach") brief.goal = Goal::Reach;
    else if (g == "engagement") brief.goal = Goal::Engagement;
    else fail("brief.invalid_value", "/goal", msg);
  }

  if (auto it = v.find("followers"); it != v.end()) {
    object_at(*it, "/followers", "an object {\"min\": integer, \"max\": integer}");
    if (auto m = it->find("min"); m != it->end()) brief.followers_min = whole_number(*m, "/followers/min", 0, kMaxCount);
    if (auto m = it->find("max"); m != it->end()) brief.followers_max = whole_number(*m, "/followers/max", 0, kMaxCount);
    if (brief.followers_min && brief.followers_max && *brief.followers_min > *brief.followers_max)
      fail("brief.invalid_value", "/followers",
           "followers.min (" + std::to_string(*brief.followers_min) + ") is greater than followers.max (" +
               std::to_string(*brief.followers_max) + ")");
  }

  if (auto it = v.find("limit"); it != v.end())
    brief.limit = static_cast<std::size_t>(whole_number(*it, "/limit", 1, static_cast<std::int64_t>(kMaxShortlist)));

  if (auto it = v.find("exclude"); it != v.end()) {
    if (!it->is_array()) fail("brief.invalid_type", "/exclude", "exclude must be an array of influencer ids, got " + describe_json_value(*it));
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& id = (*it)[i];
      std::string path = "/exclude/" + std::to_string(i);
      if (!id.is_string()) fail("brief.invalid_type", path, readable_path(path) + " must be an influencer id (a string), got " + describe_json_value(id));
      brief.exclude.insert(id.get<std::string>());
    }
  }

  if (auto it = v.find("allow_flagged"); it != v.end()) {
    if (!it->is_boolean())
      fail("brief.invalid_type", "/allow_flagged", "allow_flagged must be true or false, got " + describe_json_value(*it));
    brief.allow_flagged = it->get<bool>();
  }
  if (auto it = v.find("min_niche_fit"); it != v.end()) brief.min_niche_fit = unit_number(*it, "/min_niche_fit");

  if (auto it = v.find("history"); it != v.end()) {
    object_at(*it, "/history", "an object of influencer id -> {\"orders\", \"clicks\"}");
    for (auto h = it->begin(); h != it->end(); ++h) {
      std::string path = child("/history", h.key());
      object_at(h.value(), path, "an object {\"orders\": integer, \"clicks\": integer}");
      ConversionHistory record;
      if (auto o = h->find("orders"); o != h->end()) record.orders = whole_number(*o, path + "/orders", 0, kMaxCount);
      if (auto c = h->find("clicks"); c != h->end()) record.clicks = whole_number(*c, path + "/clicks", 0, kMaxCount);
      if (record.orders > record.clicks)
        fail("brief.invalid_value", path,
             readable_path(path) + " has more orders (" + std::to_string(record.orders) + ") than clicks (" +
                 std::to_string(record.clicks) + "); count every visit the influencer sent, coupon uses included");
      brief.history[h.key()] = record;
    }
  }
  return brief;
}

}  // namespace vouch
