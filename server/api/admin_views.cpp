#include "admin_views.hpp"

#include <algorithm>
#include <map>

#include "common/money.hpp"
#include "social_proof/moderation.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

constexpr std::int64_t kMaxDays = 3660;

std::string string_field(const json& object, const char* name) {
  if (!object.is_object()) return {};
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// One sentence per spam signal, in the words a store owner would use.
std::string explain_signal(const std::string& signal) {
  static const std::map<std::string, std::string> kWords = {
      {"shouting", "written mostly in capital letters (+2)"},
      {"repeated_characters", "a character repeated five or more times in a row (+1)"},
      {"many_links", "two or more links (+2)"},
      {"link", "a link (+1)"},
      {"email", "an e-mail address (+1)"},
      {"phone", "a phone number (+1)"},
      {"markup", "HTML markup such as <b> or <iframe> (+2); shoppers would see it as text, a review never needs it"},
      {"script", "script-like text: a javascript: link, an event handler such as onerror=, or a call such as "
                 "alert( (+3, enough to exclude it on its own)"},
  };
  if (auto it = kWords.find(signal); it != kWords.end()) return it->second;
  constexpr std::string_view kPromo = "promo_phrase:";
  if (signal.rfind(kPromo, 0) == 0)
    return "the promotional phrase \"" + signal.substr(kPromo.size()) + "\" (+1, at most 3 in all)";
  return signal;
}

// "1 link", "2 links"
std::string count_of(int n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// "https://shop.example:8443/p/1?x" -> {"https://shop.example:8443", "/p/1"}
PageOfRequest split_url(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return {};
  std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return {};
  auto path_start = url.find_first_of("/?#", scheme_end + 3);
  PageOfRequest page;
  page.origin = url.substr(0, path_start);
  if (page.origin.size() == scheme_end + 3) return {};
  if (path_start != std::string::npos && url[path_start] == '/') {
    std::string_view rest = std::string_view(url).substr(path_start);
    page.path = std::string(rest.substr(0, rest.find_first_of("?#")));
  }
  if (page.path.empty()) page.path.push_back('/');
  constexpr std::size_t kMaxPath = 300;
  if (page.path.size() > kMaxPath) page.path.resize(kMaxPath);
  return page;
}

}  // namespace

json orders_per_day(const json& orders, Timestamp from, Timestamp to, const std::string& currency) {
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> by_day;  // day -> (orders, revenue minor)
  std::int64_t other_currency = 0;
  std::int64_t first = -1, last = -1;
  for (const auto& order : orders) {
    auto at = parse_rfc3339(string_field(order, "at"));
    if (!at) continue;
    std::int64_t day = *at / kSecondsPerDay;
    first = first < 0 ? day : std::min(first, day);
    last = std::max(last, day);
    auto& cell = by_day[day];
    ++cell.first;
    const json& value = order.contains("value") ? order["value"] : json();
    if (string_field(order, "currency") != currency || !value.is_number()) {
      ++other_currency;
      continue;
    }
    if (auto minor = to_minor_units(value.get<double>(), currency)) cell.second += *minor;
  }
  constexpr Timestamp kEndOfTime = 253402300799;
  std::int64_t start = from > 0 ? from / kSecondsPerDay : first;
  // [from, to): a range ending at midnight does not include the day it ends on.
  std::int64_t end = to < kEndOfTime ? (to - 1) / kSecondsPerDay : last;
  json days = json::array();
  if (start >= 0 && end >= start) {
    start = std::max(start, end - kMaxDays + 1);
    for (std::int64_t day = start; day <= end; ++day) {
      auto it = by_day.find(day);
      std::int64_t count = it != by_day.end() ? it->second.first : 0;
      std::int64_t revenue = it != by_day.end() ? it->second.second : 0;
      days.push_back({{"date", format_date(day * kSecondsPerDay)},
                      {"orders", count},
                      {"revenue", to_major_units(revenue, currency)}});
    }
  }
  return {{"currency", currency}, {"days", days}, {"other_currency_orders", other_currency}};
}

json moderation_verdict(const json& ugc_item) {
  std::string title = string_field(ugc_item, "title");
  std::string body = string_field(ugc_item, "body");
  SpamVerdict verdict = judge_spam(title, body);
  MaskedText shown_title = mask_contact_details(title);
  MaskedText shown_body = mask_contact_details(body);
  json reasons = json::array();
  for (const auto& signal : verdict.signals) reasons.push_back(explain_signal(signal));
  int links = shown_title.links + shown_body.links;
  int emails = shown_title.emails + shown_body.emails;
  int phones = shown_title.phones + shown_body.phones;
  if (links + emails + phones > 0)
    reasons.push_back("contact details are masked before shoppers see it (" + count_of(links, "link", "links") + ", " +
                      count_of(emails, "e-mail address", "e-mail addresses") + ", " +
                      count_of(phones, "phone number", "phone numbers") + ")");
  if (verdict.is_spam())
    reasons.push_back("excluded as spam even if approved: " + std::to_string(verdict.points) + " points, the limit is " +
                      std::to_string(kSpamThreshold));
  return {{"spam", verdict.is_spam()},
          {"points", verdict.points},
          {"threshold", kSpamThreshold},
          {"signals", verdict.signals},
          {"reasons", reasons},
          {"masked", {{"links", links}, {"emails", emails}, {"phones", phones}}},
          {"title", shown_title.text},
          {"body", shown_body.text}};
}

PageOfRequest page_of_request(const std::string& origin_header, const std::string& referer_header) {
  PageOfRequest referer = split_url(referer_header);
  if (!origin_header.empty() && origin_header != "null") {
    PageOfRequest page = split_url(origin_header);
    if (page.origin.empty()) return {};
    page.path = referer.origin == page.origin ? referer.path : std::string();
    return page;
  }
  return referer;
}

}  // namespace vouch::server
