#include "integrations/platform_orders.hpp"

#include <charconv>

#include "attribution/attribution.hpp"
#include "common/decimal_conversion.hpp"
#include "common/text.hpp"
#include "crypto.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

std::string trimmed_lower(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return ascii_lower(std::string(text));
}

// The referral touch of a "CODE|unix seconds" value, for the order's visitor.
// A malformed value (hand-edited, truncated) is no touch: the order still counts.
std::optional<TouchRecord> referral_touch(const std::string& value, const std::string& visitor,
                                          const IngestRules& rules) {
  auto bar = value.find('|');
  if (visitor.empty() || bar == std::string::npos || bar == 0) return std::nullopt;
  Timestamp at = 0;
  const char* first = value.data() + bar + 1;
  const char* last = value.data() + value.size();
  auto [end, ec] = std::from_chars(first, last, at);
  if (ec != std::errc() || end != last) return std::nullopt;
  json touch = {{"visitor", visitor}, {"at", format_rfc3339(at)}, {"code", value.substr(0, bar)},
                {"source", "link"}};
  InputRules input;
  input.currency = rules.currency;
  input.latest = rules.now + rules.max_future_seconds;
  try {
    return read_touch(touch, "", input);
  } catch (const VouchException&) {
    return std::nullopt;
  }
}

json order_items(const std::vector<PlatformLine>& lines, const FeedLookup& feed) {
  json items = json::array();
  for (const auto& line : lines) {
    if (items.size() == kMaxOrderItems) break;
    std::string product = !line.sku.empty() && feed.is_product(line.sku)                ? line.sku
                          : !line.product_id.empty() && feed.is_product(line.product_id) ? line.product_id
                          : !line.sku.empty()                                           ? line.sku
                                                                                        : line.product_id;
    if (product.empty()) continue;  // a custom line with neither: nothing to credit a product with
    json price = line.price;
    if (auto amount = platform_amount(line.price)) price = *amount;
    items.push_back({{"product", product}, {"qty", line.qty}, {"price", price}});
  }
  return items;
}

}  // namespace

std::optional<double> platform_amount(const json& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) return std::nullopt;
  const auto& text = value.get_ref<const std::string&>();
  DecimalParse parsed = parse_decimal(text);
  if (text.empty() || parsed.length != text.size()) return std::nullopt;
  return parsed.value;
}

std::string platform_id(const json& value) {
  if (value.is_number_unsigned() || value.is_number_integer()) return value.dump();
  if (value.is_string()) return value.get<std::string>();
  return {};
}

void invalid_payload(const std::string& platform, const std::string& path, const std::string& message) {
  throw VouchException({platform + ".invalid_payload", path, message});
}

const json& member(const json& payload, const char* key) {
  static const json kNull;
  if (!payload.is_object()) return kNull;
  auto it = payload.find(key);
  return it == payload.end() ? kNull : *it;
}

std::string member_text(const json& payload, const char* key) {
  const json& v = member(payload, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

std::string customer_hash(std::string_view email) {
  std::string normalised = trimmed_lower(email);
  return normalised.empty() ? std::string() : sha256_hex(normalised);
}

PlatformChanges platform_order(const PlatformOrderFields& fields, const FeedLookup& feed, const IngestRules& rules) {
  json order = {{"order_id", fields.order_id}, {"items", order_items(fields.lines, feed)}};
  if (!fields.at.empty()) order["at"] = fields.at;  // else the time it arrives
  if (fields.value) order["value"] = *fields.value;
  if (!fields.currency.empty()) order["currency"] = fields.currency;
  if (!fields.visitor.empty()) order["visitor"] = fields.visitor;
  if (std::string hash = customer_hash(fields.email); !hash.empty()) order["customer"] = hash;
  for (const auto& code : fields.codes)
    if (feed.is_creator_code(code)) {
      order["coupon"] = code;
      break;
    }
  if (!order.contains("coupon") && !fields.codes.empty()) order["coupon"] = fields.codes.front();
  PlatformChanges changes;
  changes.order = validate_server_order(order, rules);
  if (auto touch = referral_touch(fields.referral, changes.order->order["visitor"].is_string() ? fields.visitor : "",
                                  rules))
    changes.touches.push_back(*touch);
  return changes;
}

RefundRecord platform_refund(const std::string& refund_id, const std::string& order_id, const std::string& at,
                             std::optional<double> amount, const IngestRules& rules) {
  json refund = {{"refund_id", refund_id}, {"order_id", order_id}};
  if (!at.empty()) refund["at"] = at;  // else the time it arrives
  if (amount) refund["amount"] = *amount;
  return validate_refund(refund, rules);
}

}  // namespace vouch::server
