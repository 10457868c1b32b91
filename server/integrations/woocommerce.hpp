#pragma once
// WooCommerce's order webhooks (docs/shopify.md, "WooCommerce"): order.created
// and order.updated carry the order as the WooCommerce REST API (v3) shows it.
//   status processing or completed -> a verified order "<id>"
//   refunds[] (partial or whole)   -> one refund each, "wc-<refund id>"
//   status refunded or cancelled   -> a cancellation "wc-cancel-<id>" (what is
//                                     left of the order comes back)
// Other statuses (pending, on-hold, failed, draft) are not paid yet: nothing.
#include <string>

#include <nlohmann/json.hpp>

#include "integrations/platform_orders.hpp"

namespace vouch::server {

// The time an order delivery describes: date_modified_gmt (UTC without a
// zone, "2026-10-02T17:00:00"), for the staleness check; nullopt when absent.
std::optional<Timestamp> woocommerce_modified_at(const nlohmann::json& order);

// What a delivery of `topic` asks; topics other than order.created and
// order.updated are Ignored. Throws VouchException (order.*, refund.*,
// woocommerce.invalid_payload).
PlatformRequest read_woocommerce_webhook(const std::string& topic, const nlohmann::json& payload,
                                         const FeedLookup& feed, const IngestRules& rules);

}  // namespace vouch::server
