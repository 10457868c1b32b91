#pragma once
// What the platforms' order webhooks (shopify.hpp, woocommerce.hpp) have in
// common: the cart attributes / order meta Vouch writes at checkout, money
// written as text, the customer hash, and the one way an order becomes
// Vouch's: the Order JSON of PRODUCT.md checked by the core's one order
// validator (read_order, through validate_server_order).
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "events.hpp"
#include "records.hpp"

namespace vouch::server {

// The names under which the visitor id and the latest referral ride along
// with an order: Shopify cart attributes (the app embed writes them with
// /cart/update.js; the leading underscore keeps them out of the checkout's
// view) and WooCommerce order meta (integrations/woocommerce/). The referral
// is the vouch_ref cookie's value as the loader writes it: "CODE|unix seconds".
inline constexpr std::string_view kVisitorAttribute = "_vouch_vid";
inline constexpr std::string_view kReferralAttribute = "_vouch_ref";

// What the feed knows, for choosing among an order's codes and its lines' ids.
struct FeedLookup {
  std::function<bool(const std::string&)> is_creator_code;  // a code in some influencer's "codes"
  std::function<bool(const std::string&)> is_product;       // a product id of the feed
};

// What one delivery of a platform's webhook asks of Vouch.
struct PlatformRequest {
  enum class Kind { Changes, Privacy, Uninstalled, Ignored };
  Kind kind = Kind::Ignored;
  PlatformChanges changes;  // Changes (may be empty: nothing to do)
  PrivacyRequest privacy;   // Privacy
  std::string reason;       // Ignored: why, in a few words
};

// An amount as the platforms write it: "388.00", or a JSON number.
std::optional<double> platform_amount(const nlohmann::json& value);

// A platform's id (a JSON integer or a non-empty string) as text; "" otherwise.
std::string platform_id(const nlohmann::json& value);

// Throws VouchException {"<platform>.invalid_payload", path, message}.
[[noreturn]] void invalid_payload(const std::string& platform, const std::string& path, const std::string& message);

// payload[key] when payload is an object that has it, else null.
const nlohmann::json& member(const nlohmann::json& payload, const char* key);
// The string at payload[key]; "" when absent or not a string.
std::string member_text(const nlohmann::json& payload, const char* key);

// SHA-256 (hex) of the trimmed, lower-cased e-mail, as the widget hashes it
// (web/src/widget/conversion.js); "" for no e-mail.
std::string customer_hash(std::string_view email);

// One order line before validation.
struct PlatformLine {
  std::string sku, product_id;
  nlohmann::json qty, price;
};

// The parts of a platform's order Vouch keeps, before validation.
struct PlatformOrderFields {
  std::string order_id;
  std::string at;  // RFC 3339
  std::optional<double> value;
  std::string currency;
  std::vector<PlatformLine> lines;
  std::vector<std::string> codes;  // discount / coupon codes, as applied
  std::string email;
  std::string visitor;   // kVisitorAttribute
  std::string referral;  // kReferralAttribute
};

// The verified order (validate_server_order: read_order's rules and codes,
// paths into the Order JSON built here) and the touch its referral carries.
// A line's product is its SKU when the feed knows it, else the platform's
// product id when the feed knows that, else the SKU (or id); at most 100
// lines are kept (the order contract's limit); the coupon is the first code
// that is a creator's, else the first code. Throws VouchException (order.*).
PlatformChanges platform_order(const PlatformOrderFields& fields, const FeedLookup& feed, const IngestRules& rules);

// A refund (amount > 0) or a cancellation (no amount) through read_refund.
// Throws VouchException (refund.*).
RefundRecord platform_refund(const std::string& refund_id, const std::string& order_id, const std::string& at,
                             std::optional<double> amount, const IngestRules& rules);

}  // namespace vouch::server
