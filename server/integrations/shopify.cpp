#include "integrations/shopify.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

[[noreturn]] void invalid(const std::string& path, const std::string& message) {
  invalid_payload("shopify", path, message);
}

std::string order_id_of(const json& payload, const char* key) {
  std::string id = platform_id(member(payload, key));
  if (id.empty()) invalid("/" + std::string(key), std::string(key) + " must be the order's numeric id");
  return id;
}

// An order payload (orders/paid, orders/create): the cart attributes come
// back as note_attributes [{"name", "value"}].
PlatformOrderFields order_fields(const json& o) {
  PlatformOrderFields f;
  f.order_id = order_id_of(o, "id");
  f.at = member_text(o, "processed_at");
  if (f.at.empty()) f.at = member_text(o, "created_at");
  // Revenue as creators' programmes count it: after discounts, before
  // shipping, duties, taxes and tips (Shopify's subtotal_price).
  f.value = platform_amount(member(o, "subtotal_price"));
  f.currency = member_text(o, "currency");
  for (const auto& line : member(o, "line_items").is_array() ? member(o, "line_items") : json::array())
    f.lines.push_back({member_text(line, "sku"), platform_id(member(line, "product_id")), member(line, "quantity"),
                       member(line, "price")});
  for (const auto& code : member(o, "discount_codes").is_array() ? member(o, "discount_codes") : json::array())
    if (std::string text = member_text(code, "code"); !text.empty()) f.codes.push_back(text);
  f.email = member_text(o, "email");
  if (f.email.empty()) f.email = member_text(member(o, "customer"), "email");
  for (const auto& attribute : member(o, "note_attributes").is_array() ? member(o, "note_attributes") : json::array()) {
    std::string name = member_text(attribute, "name");
    if (name == kVisitorAttribute) f.visitor = member_text(attribute, "value");
    if (name == kReferralAttribute) f.referral = member_text(attribute, "value");
  }
  return f;
}

// refunds/create: the merchandise refunded (refund_line_items[].subtotal, the
// basis the order's value has), else the money returned by successful refund
// transactions (a refund of an amount without lines).
std::optional<double> refunded_amount(const json& refund) {
  double lines = 0, money = 0;
  for (const auto& line : member(refund, "refund_line_items").is_array() ? member(refund, "refund_line_items") : json::array())
    lines += platform_amount(member(line, "subtotal")).value_or(0);
  for (const auto& t : member(refund, "transactions").is_array() ? member(refund, "transactions") : json::array())
    if (member_text(t, "kind") == "refund" && member_text(t, "status") == "success")
      money += platform_amount(member(t, "amount")).value_or(0);
  double amount = lines > 0 ? lines : money;
  return amount > 0 ? std::optional<double>(amount) : std::nullopt;
}

std::vector<std::string> ids_of(const json& list) {
  std::vector<std::string> ids;
  if (list.is_array())
    for (const auto& id : list)
      if (std::string text = platform_id(id); !text.empty()) ids.push_back(text);
  return ids;
}

PlatformRequest privacy_request(PrivacyRequest::Kind kind, const std::string& topic, const json& payload,
                                const char* orders_key) {
  PlatformRequest request;
  request.kind = PlatformRequest::Kind::Privacy;
  request.privacy.kind = kind;
  request.privacy.platform = "shopify";
  request.privacy.topic = topic;
  request.privacy.shop = member_text(payload, "shop_domain");
  if (orders_key) {
    request.privacy.customer_hash = customer_hash(member_text(member(payload, "customer"), "email"));
    request.privacy.order_ids = ids_of(member(payload, orders_key));
  }
  return request;
}

PlatformRequest ignored(std::string reason) {
  PlatformRequest request;
  request.reason = std::move(reason);
  return request;
}

}  // namespace

PlatformRequest read_shopify_webhook(const std::string& topic, const json& payload, const ShopifyOptions& options,
                                     const FeedLookup& feed, const IngestRules& rules) {
  if (!payload.is_object()) invalid("", "the payload must be a JSON object");
  PlatformRequest request;
  request.kind = PlatformRequest::Kind::Changes;
  if (topic == options.order_topic) {
    request.changes = platform_order(order_fields(payload), feed, rules);
  } else if (topic == "orders/paid" || topic == "orders/create") {
    return ignored("orders become verified on " + options.order_topic);
  } else if (topic == "refunds/create") {
    auto amount = refunded_amount(payload);
    if (!amount) return ignored("nothing was refunded");
    std::string at = member_text(payload, "created_at");
    request.changes.refunds.push_back(platform_refund("shopify-" + order_id_of(payload, "id"),
                                                      order_id_of(payload, "order_id"), at, amount, rules));
  } else if (topic == "orders/cancelled") {
    std::string id = order_id_of(payload, "id");
    request.changes.refunds.push_back(
        platform_refund("shopify-cancel-" + id, id, member_text(payload, "cancelled_at"), std::nullopt, rules));
  } else if (topic == "app/uninstalled") {
    request.kind = PlatformRequest::Kind::Uninstalled;
  } else if (topic == "customers/data_request") {
    return privacy_request(PrivacyRequest::Kind::DataRequest, topic, payload, "orders_requested");
  } else if (topic == "customers/redact") {
    return privacy_request(PrivacyRequest::Kind::RedactCustomer, topic, payload, "orders_to_redact");
  } else if (topic == "shop/redact") {
    return privacy_request(PrivacyRequest::Kind::EraseShop, topic, payload, nullptr);
  } else {
    return ignored("Vouch does not act on " + topic);
  }
  return request;
}

}  // namespace vouch::server
