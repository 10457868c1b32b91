#pragma once
// Figures the store owner's dashboard (web/admin/, docs/dashboard.md) needs
// beyond the engines' own outputs: orders and revenue per day for the chart,
// the social-proof engine's moderation verdict on a pending item, and where
// the widget has been seen (the install check). Pure functions over JSON.
#include <string>

#include <nlohmann/json.hpp>

#include "common/time.hpp"

namespace vouch::server {

// Orders (the Order JSON of PRODUCT.md, each with "at", "value", "currency")
// counted per UTC day over [from, to): {"currency", "days": [{"date",
// "orders", "revenue"}]}, one entry for every day of the range, empty days
// included. Unbounded ends shrink to the first and last order. Revenue is
// summed in minor units of `currency`; orders in another currency are counted
// in "other_currency_orders" and left out of the revenue. At most 3,660 days
// (ten years) are listed: the latest ones.
nlohmann::json orders_per_day(const nlohmann::json& orders, Timestamp from, Timestamp to,
                              const std::string& currency);

// What the moderation rules of the social-proof engine say about a UGC item:
// {"spam", "points", "signals": [...], "reasons": [plain sentences],
//  "masked": {"links", "emails", "phones"}, "title", "body"} with title and
// body as a shopper would see them (contact details masked).
nlohmann::json moderation_verdict(const nlohmann::json& ugc_item);

// The origin ("https://shop.example") and path ("/p/sku-1", no query) of the
// page that sent a request, from its Origin and Referer headers. Empty origin
// when neither names one.
struct PageOfRequest {
  std::string origin;
  std::string path;
};
PageOfRequest page_of_request(const std::string& origin_header, const std::string& referer_header);

}  // namespace vouch::server
