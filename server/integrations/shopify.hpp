#pragma once
// Shopify's webhooks (docs/shopify.md): the topics Vouch acts on, read from
// the payloads as Shopify documents them (Admin REST webhook payloads:
// orders/paid, orders/create, orders/cancelled, refunds/create,
// app/uninstalled, customers/data_request, customers/redact, shop/redact).
//
// Order ids: a Shopify order is Vouch order "<id>", its numeric id as decimal
// text (820982911946154508), the id the web pixel's checkout_completed event
// carries as checkout.order.id. So the verified order replaces the pixel's
// browser-reported conversion of the same order and the two count once.
#include <string>

#include <nlohmann/json.hpp>

#include "integrations/platform_orders.hpp"

namespace vouch::server {

// The order topic that makes a verified order: orders/paid (the default) or
// orders/create (--shopify-order-topic).
struct ShopifyOptions {
  std::string order_topic = "orders/paid";
};

// What a delivery of `topic` asks. A topic Vouch does not act on (another
// subscription, a topic added later) is Ignored, never an error. Throws
// VouchException (order.*, refund.*, shopify.invalid_payload) for a payload
// of a known topic that cannot be read.
PlatformRequest read_shopify_webhook(const std::string& topic, const nlohmann::json& payload,
                                     const ShopifyOptions& options, const FeedLookup& feed,
                                     const IngestRules& rules);

}  // namespace vouch::server
