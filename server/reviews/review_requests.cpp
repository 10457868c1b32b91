#include "review_requests.hpp"

#include <algorithm>

#include "crypto.hpp"
#include "csv.hpp"
#include "feed/review_submission.hpp"

namespace vouch::server {

using nlohmann::json;

std::string review_token(std::string_view secret, std::string_view order_id, const std::vector<std::string>& products) {
  return format_review_token(order_id, hmac_sha256_hex(secret, review_token_message(order_id, products)).substr(0, 32));
}

json review_requests(EventStore& store, const ProductsFeed& feed_of, const std::string& token_secret, Timestamp now,
                     const ReviewRequestOptions& options) {
  Timestamp placed_by = now - static_cast<Timestamp>(options.delay_days) * kSecondsPerDay;
  std::vector<OrderForRequest> orders = store.orders_placed_by(placed_by, options.limit);
  std::vector<std::string> ids;
  for (const auto& order : orders) ids.insert(ids.end(), order.products.begin(), order.products.end());
  const Feed feed = feed_of(ids);
  json requests = json::array();
  for (const auto& order : orders) {
    std::string token = review_token(token_secret, order.order_id, order.products);
    json products = json::array();
    for (const auto& id : order.products) {
      if (std::binary_search(order.reviewed.begin(), order.reviewed.end(), id)) continue;
      const Product* product = feed.find_product(id);
      json link = product && !product->url.empty() ? json(product->url + "#vouch-review=" + token) : json(nullptr);
      products.push_back({{"id", id}, {"title", product ? product->title : id}, {"link", link}});
    }
    if (products.empty()) continue;  // every product reviewed already
    requests.push_back({{"order_id", order.order_id},
                        {"at", format_rfc3339(order.at)},
                        {"due_at", format_rfc3339(order.at + static_cast<Timestamp>(options.delay_days) * kSecondsPerDay)},
                        {"verified", order.signed_order},
                        {"token", token},
                        {"products", products}});
  }
  return {{"store", {{"id", feed.store.id}, {"name", feed.store.name}, {"locale", feed.store.locale}}},
          {"generated_at", format_rfc3339(now)},
          {"delay_days", options.delay_days},
          {"requests", requests}};
}

std::string review_requests_csv(const json& requests) {
  std::string out = "order_id,ordered_at,due_at,verified,product,title,link\r\n";
  for (const auto& r : requests["requests"])
    for (const auto& p : r["products"]) {
      out += csv_field(r["order_id"].get<std::string>()) + "," + csv_field(r["at"].get<std::string>()) + "," +
             csv_field(r["due_at"].get<std::string>()) + "," + (r["verified"].get<bool>() ? "true" : "false") + "," +
             csv_field(p["id"].get<std::string>()) + "," + csv_field(p["title"].get<std::string>()) + "," +
             csv_field(p["link"].is_string() ? p["link"].get<std::string>() : std::string()) + "\r\n";
    }
  return out;
}

}  // namespace vouch::server
