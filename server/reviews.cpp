#include "reviews.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>

#include "common/json_input.hpp"
#include "admin_views.hpp"
#include "crypto.hpp"
#include "feed/feed_write.hpp"
#include "feed/review_submission.hpp"
#include "http_responses.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

// A review is at most 5,000 + 150 + 80 characters of text, 4 bytes each in
// UTF-8 at worst: 32 KiB leaves room for JSON escapes and the other fields.
constexpr std::size_t kMaxReviewBytes = 32u << 10;

Timestamp unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string review_token(std::string_view secret, std::string_view order_id, const std::vector<std::string>& products) {
  return format_review_token(order_id, hmac_sha256_hex(secret, review_token_message(order_id, products)).substr(0, 32));
}

ReviewRoutes::ReviewRoutes(FeedSource& feed, Store& store, StorefrontDocuments& documents, std::string token_secret,
                           TokenBuckets& buckets, double reviews_per_minute, Check allow_origin, Address address,
                           PhotoLimits photo_limits)
    : feed_(feed),
      store_(store),
      documents_(documents),
      token_secret_(std::move(token_secret)),
      buckets_(buckets),
      per_minute_(reviews_per_minute),
      allow_origin_(std::move(allow_origin)),
      address_(std::move(address)),
      photo_limits_(photo_limits) {}

bool ReviewRoutes::charge(httplib::Response& res, const std::vector<Charge>& charges, const char* code) {
  if (per_minute_ <= 0) return true;
  double precise = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  Wait wait = buckets_.take(charges, precise);
  if (wait.seconds == 0) return true;
  res.set_header("Retry-After", std::to_string(wait.seconds));
  send_error(res, 429, code,
             "too many from this address or visitor; retry after " + std::to_string(wait.seconds) + " seconds");
  return false;
}

// A review token for the review's product: the order it names is stored, the
// MAC is this store's, the order holds the product. Marks the review as a
// verified buyer's; false after answering 400.
bool ReviewRoutes::verify_token(const std::string& token, SubmittedReview& review, httplib::Response& res) {
  auto parsed = parse_review_token(token);
  std::optional<std::vector<std::string>> products;
  if (parsed) products = store_.order_products(parsed->order_id);
  bool valid = products && constant_time_equal(review_token(token_secret_, parsed->order_id, *products), token);
  if (!valid) {
    send_error(res, 400, "review.invalid_token", "the review token is not one this store issued", "/token");
    return false;
  }
  if (!std::binary_search(products->begin(), products->end(), review.item.product)) {
    send_error(res, 400, "review.token_not_for_product",
               "the review token is for an order without the product " + quote_for_message(review.item.product),
               "/token");
    return false;
  }
  review.order_id = parsed->order_id;
  review.item.author.verified_buyer = true;
  return true;
}

void ReviewRoutes::post_review(const httplib::Request& req, httplib::Response& res) {
  if (!allow_origin_(req, res)) return;
  std::string type = req.get_header_value("Content-Type");
  if (!type.empty() && type.rfind("application/json", 0) != 0 && type.rfind("text/plain", 0) != 0) {
    send_error(res, 415, "request.unsupported_media_type", "send the review as application/json");
    return;
  }
  if (req.body.size() > kMaxReviewBytes) {
    send_error(res, 413, "review.too_large",
               "a review may be at most " + std::to_string(kMaxReviewBytes) + " bytes of JSON");
    return;
  }
  Error fault;
  auto body = parse_json_input(req.body, "review", {kMaxReviewBytes, 8}, fault);
  if (!body) {
    send_error(res, 400, fault);
    return;
  }
  Timestamp now = unix_now();
  auto snapshot = feed_.current();
  ReviewSubmissionResult read = read_review_submission(*body, snapshot->feed, now);
  if (!read.review) {
    json errors = read.errors;
    send_json(res, 400, {{"error", errors[0]}, {"errors", errors}});
    return;
  }
  SubmittedReview review;
  review.client_id = read.review->client_id;
  review.visitor = read.review->visitor;
  review.address = address_(req);
  review.item = std::move(read.review->item);
  review.received_at = now;
  // Per address and per visitor, both or neither (a visitor id alone is the
  // client's to change; an address alone is shared behind a NAT).
  std::vector<Charge> charges{{"review-address:" + review.address, 1, per_minute_}};
  if (!review.visitor.empty()) charges.push_back({"review-visitor:" + review.visitor, 1, per_minute_});
  if (!charge(res, charges, "review.rate_limited")) return;
  review.photos = read.review->photos;
  if (auto unknown = store_.unknown_photos(review.photos); !unknown.empty()) {
    std::size_t i = std::find(review.photos.begin(), review.photos.end(), unknown[0]) - review.photos.begin();
    send_error(res, 400, "review.unknown_photo",
               "no uploaded photo is named " + quote_for_message(unknown[0]) + "; upload it to /v1/reviews/photos first",
               "/photos/" + std::to_string(i));
    return;
  }
  for (const auto& hash : review.photos)
    review.item.media.push_back({"image", photo_url(hash), "Photo by " + review.item.author.name});
  if (!read.review->token.empty() && !verify_token(read.review->token, review, res)) return;
  review.item.id = "rv-" + random_hex(8);
  // The owner may publish clean reviews of verified buyers at once: a valid
  // token of an order that proves the purchase, and not one spam signal.
  if (review.item.author.verified_buyer && store_.reviews_auto_publish() &&
      store_.order_proves_purchase(review.order_id) &&
      moderation_verdict(to_json(review.item)).value("points", 1) == 0)
    review.item.status = UgcStatus::Published;
  switch (store_.insert_review(review)) {
    case ReviewOutcome::TokenUsed:
      send_error(res, 409, "review.token_used",
                 "this order's review token was already used for a review of this product", "/token");
      return;
    case ReviewOutcome::Created:
      documents_.poke();  // the moderation queue (and, once approved, the documents) follow
      res.status = 201;
      break;
    case ReviewOutcome::Retried:
      res.status = 200;
      break;
  }
  send_json(res, res.status, {{"id", review.item.id},
                              {"status", std::string(to_string(review.item.status))},
                              {"verified_buyer", review.item.author.verified_buyer}});
}

}  // namespace vouch::server

namespace vouch::server {

void ReviewRoutes::post_photo(const httplib::Request& req, httplib::Response& res) {
  if (!allow_origin_(req, res)) return;
  // Three photos a review: three times the review rate, per address.
  if (!charge(res, {{"photo-address:" + address_(req), 1, per_minute_ * 3}}, "photo.rate_limited")) return;
  Error fault;
  auto photo = process_photo(req.body, photo_limits_, fault);
  if (!photo) {
    send_error(res, fault.code == "photo.too_large" ? 413 : fault.code == "photo.unsupported_type" ? 415 : 422, fault);
    return;
  }
  store_.insert_photo({photo->hash, photo->width, photo->height, photo->large, photo->thumb, address_(req),
                       std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch()).count()});
  send_json(res, 201, {{"photo", photo->hash},
                       {"url", photo_url(photo->hash)},
                       {"thumb", "/v1/photos/" + photo->hash + "-thumb.webp"},
                       {"width", photo->width},
                       {"height", photo->height}});
}

void ReviewRoutes::get_photo(const httplib::Request& req, httplib::Response& res) {
  std::string name = req.matches.size() > 1 ? std::string(req.matches[1]) : std::string();
  std::optional<std::string> bytes;
  if (is_photo_file_name(name)) bytes = store_.photo_file(name);
  if (!bytes) {
    send_error(res, 404, "http.not_found", "no photo is named " + quote_for_message(name));
    return;
  }
  // Content-addressed: a name's bytes never change.
  std::string etag = "\"";
  etag += name.substr(0, name.size() - 5);  // the name without ".webp"
  etag += '"';
  res.set_header("ETag", etag);
  res.set_header("Cache-Control", "public, max-age=31536000, immutable");
  res.set_header("Access-Control-Allow-Origin", "*");
  if (etag_matches(req.get_header_value("If-None-Match"), etag)) {
    res.status = 304;
    return;
  }
  res.status = 200;
  res.set_content(*bytes, "image/webp");
}

}  // namespace vouch::server
