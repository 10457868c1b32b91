#pragma once
// Review requests (docs/dashboard.md, "Review requests"): the orders whose
// request is due (placed at least `delay_days` ago) that still have a product
// without a review, each with its review token and a ready link per product
// (the product's URL + "#vouch-review=TOKEN", which opens the storefront's
// form with the token). The dashboard lists them with a plain-text e-mail per
// locale; they export as CSV, or go to the store's mailer as a signed JSON
// webhook. Vouch sends no e-mail itself.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "feed/feed.hpp"
#include "store.hpp"

namespace vouch::server {

// The review token of an order (feed/review_submission.hpp): base64url(order
// id) "." the first 128 bits of HMAC-SHA256(secret, the signed text) in hex.
std::string review_token(std::string_view secret, std::string_view order_id, const std::vector<std::string>& products);

struct ReviewRequestOptions {
  int delay_days = 14;  // 0..365
  int limit = 200;      // orders looked at, newest first
};

// {"store", "generated_at", "delay_days", "requests": [{"order_id", "at",
// "due_at", "verified", "token", "products": [{"id", "title", "link"}]}]}
// (the products not reviewed yet; "link" null when the feed has no URL for it).
// `feed_of(ids)`: the store and those of the products it has, as a feed.
using ProductsFeed = std::function<Feed(const std::vector<std::string>& product_ids)>;
nlohmann::json review_requests(EventStore& store, const ProductsFeed& feed_of, const std::string& token_secret,
                               Timestamp now, const ReviewRequestOptions& options);

// One line per product: order_id,ordered_at,due_at,verified,product,title,link
// (RFC 4180 quoting; a leading = + - @ is prefixed with ' so that a
// spreadsheet never runs a product title as a formula).
std::string review_requests_csv(const nlohmann::json& requests);

}  // namespace vouch::server
