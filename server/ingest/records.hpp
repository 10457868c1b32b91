#pragma once
// What the server stores, as validated at ingest (events.hpp) and read by
// the store (store.hpp). Touches and orders are the attribution engine's own
// checked types, so the report reads back exactly what was accepted.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "attribution/attribution.hpp"
#include "common/time.hpp"

namespace vouch::server {

// A referral touch (the Touch shape of PRODUCT.md). Absent influencer, code
// and landing are empty strings, so that the UNIQUE key that dedupes touches
// sees them as equal.
using TouchRecord = TouchInput;

// An order: its id and time, and the Order JSON (to_json(OrderInput)) handed
// to the attribution engine.
struct OrderRecord {
  std::string order_id;
  Timestamp at = 0;
  nlohmann::json order;
};

// A refund or cancellation: the refund order the engine takes (read_refund).
struct RefundRecord {
  std::string refund_id;
  std::string order_id;  // the order it refunds
  Timestamp at = 0;
  nlohmann::json order;
};

// What one delivery of a platform's webhook (Shopify, WooCommerce) changes:
// its order, the referral touches the order carries, its refunds and
// cancellations. Empty when the delivery asks nothing of Vouch.
struct PlatformChanges {
  std::optional<OrderRecord> order;
  std::vector<TouchRecord> touches;
  std::vector<RefundRecord> refunds;
  bool empty() const { return !order && touches.empty() && refunds.empty(); }
};

// A privacy webhook: customers/data_request, customers/redact, shop/redact.
struct PrivacyRequest {
  enum class Kind { DataRequest, RedactCustomer, EraseShop };
  Kind kind = Kind::DataRequest;
  std::string platform, topic, shop;
  std::string customer_hash;           // SHA-256 of the normalised e-mail; "" when none was given
  std::vector<std::string> order_ids;  // the orders the platform names
};

// One validated event of a batch, ready to store.
struct EventRecord {
  std::string id;
  std::string type;
  Timestamp at = 0;
  std::string visitor;
  std::string body;                    // the event JSON as received (compact dump), without "credits"
  std::vector<TouchRecord> touches;    // a touch event, or the touches of a conversion
  std::optional<OrderRecord> order;    // conversions only
};

}  // namespace vouch::server
