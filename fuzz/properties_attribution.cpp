// Attribution checks: fuzzed touches, orders and config on the fixed feed;
// fixed journeys on a fuzzed feed.
#include "attribution/attribution.hpp"
#include "checks.hpp"
#include "properties.hpp"

namespace vouch::fuzz {

using nlohmann::json;

namespace {

std::string attribute_and_report(const Feed& feed, const json& touches, const json& orders,
                                 const json& config) {
  if (auto bad = run_twice("attribute_json", [&] { return attribute_json(feed, touches, orders, config, kNow); });
      !bad.empty())
    return bad;
  return run_twice("report_json", [&] { return report_json(feed, touches, orders, config); });
}

}  // namespace

std::string check_attribution(std::string_view input) {
  std::string violation;
  auto doc = parse_input(input, "attribution", violation);
  if (!doc) return violation;
  if (!doc->is_object()) return "";
  // Whatever the input holds under each key goes in as it is (wrong types included).
  const json no_events = json::array(), no_config = nullptr;
  auto part = [&](const char* key, const json& otherwise) -> const json& {
    auto it = doc->find(key);
    return it == doc->end() ? otherwise : *it;
  };
  return attribute_and_report(fixture_feed(), part("touches", no_events), part("orders", no_events),
                              part("config", no_config));
}

std::string check_attribution_on(const Feed& feed) {
  json touches = json::array(), orders = json::array();
  for (std::size_t i = 0; i < feed.influencers.size() && i < 3; ++i) {
    const Influencer& influencer = feed.influencers[i];
    std::string visitor = "v-" + std::to_string(i);
    touches.push_back({{"visitor", visitor}, {"at", "2026-10-20T10:00:00Z"}, {"influencer", influencer.id},
                       {"code", nullptr}, {"source", "link"}, {"landing", "/"}});
    json coupon = influencer.codes.empty() ? json(nullptr) : json(influencer.codes.front());
    orders.push_back({{"order_id", "o-" + std::to_string(i)}, {"visitor", visitor},
                      {"at", "2026-10-21T10:00:00Z"}, {"value", 100.0}, {"currency", feed.store.currency},
                      {"items", json::array()}, {"coupon", coupon}, {"customer", nullptr}});
  }
  return attribute_and_report(feed, touches, orders, json::object());
}

}  // namespace vouch::fuzz
