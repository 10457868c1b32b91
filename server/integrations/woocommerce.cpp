#include "integrations/woocommerce.hpp"

#include <cmath>

namespace vouch::server {

namespace {

using nlohmann::json;

[[noreturn]] void invalid(const std::string& path, const std::string& message) {
  invalid_payload("woocommerce", path, message);
}

// WooCommerce writes GMT times without a zone: "2026-10-02T17:00:00".
std::string gmt_time(const json& order, const char* key) {
  std::string text = member_text(order, key);
  return text.empty() ? text : text + "Z";
}

const json& list(const json& order, const char* key) {
  static const json kEmpty = json::array();
  const json& v = member(order, key);
  return v.is_array() ? v : kEmpty;
}

PlatformOrderFields order_fields(const json& o, const std::string& id) {
  PlatformOrderFields f;
  f.order_id = id;
  f.at = gmt_time(o, "date_paid_gmt");
  if (f.at.empty()) f.at = gmt_time(o, "date_created_gmt");
  // Revenue after discounts, before shipping and taxes, as on Shopify: the
  // lines' totals (WooCommerce's "total" also holds shipping, fees and tax).
  double lines_total = 0;
  for (const auto& line : list(o, "line_items")) {
    lines_total += platform_amount(member(line, "total")).value_or(0);
    f.lines.push_back({member_text(line, "sku"), platform_id(member(line, "product_id")), member(line, "quantity"),
                       member(line, "price")});
  }
  f.value = lines_total;
  f.currency = member_text(o, "currency");
  for (const auto& coupon : list(o, "coupon_lines"))
    if (std::string code = member_text(coupon, "code"); !code.empty()) f.codes.push_back(code);
  f.email = member_text(member(o, "billing"), "email");
  for (const auto& meta : list(o, "meta_data")) {
    std::string key = member_text(meta, "key");
    if (key == kVisitorAttribute) f.visitor = member_text(meta, "value");
    if (key == kReferralAttribute) f.referral = member_text(meta, "value");
  }
  return f;
}

}  // namespace

std::optional<Timestamp> woocommerce_modified_at(const json& order) {
  std::string text = gmt_time(order, "date_modified_gmt");
  return text.empty() ? std::nullopt : parse_rfc3339(text);
}

PlatformRequest read_woocommerce_webhook(const std::string& topic, const json& payload, const FeedLookup& feed,
                                         const IngestRules& rules) {
  PlatformRequest request;
  if (topic != "order.created" && topic != "order.updated") {
    request.reason = "Vouch does not act on " + topic;
    return request;
  }
  if (!payload.is_object()) invalid("", "the payload must be a JSON object");
  std::string id = platform_id(member(payload, "id"));
  if (id.empty()) invalid("/id", "id must be the order's id");
  std::string status = member_text(payload, "status");
  request.kind = PlatformRequest::Kind::Changes;
  PlatformChanges& changes = request.changes;
  if (status == "processing" || status == "completed") changes = platform_order(order_fields(payload, id), feed, rules);
  // WooCommerce lists an order's refunds with negative totals.
  for (const auto& refund : list(payload, "refunds")) {
    std::string refund_id = platform_id(member(refund, "id"));
    auto total = platform_amount(member(refund, "total"));
    if (refund_id.empty() || !total || *total == 0) continue;
    changes.refunds.push_back(platform_refund("wc-" + refund_id, id, "", std::fabs(*total), rules));
  }
  if (status == "refunded" || status == "cancelled")
    changes.refunds.push_back(platform_refund("wc-cancel-" + id, id, gmt_time(payload, "date_modified_gmt"),
                                              std::nullopt, rules));
  if (changes.empty()) request = {PlatformRequest::Kind::Ignored, {}, {}, "an order with status " + status + " is not paid"};
  return request;
}

}  // namespace vouch::server
