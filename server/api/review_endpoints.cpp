// Reviews shoppers write on the storefront, and their photos
// (docs/server.md, "POST /v1/reviews"). A review is read by the core's one
// reader (feed/review_submission.hpp: the feed's UGC rules, review.* codes),
// rate-limited per address and per visitor, stored in the database as a
// pending UGC item (never in the feed file), verified when it carries a
// review token for its product, idempotent by client id.
#include <algorithm>
#include <chrono>

#include "admin_views.hpp"
#include "backend.hpp"
#include "clock.hpp"
#include "input/json_input.hpp"
#include "crypto.hpp"
#include "feed/feed_write.hpp"
#include "feed/review_submission.hpp"
#include "http_responses.hpp"
#include "photos.hpp"
#include "review_requests.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

// Takes one from each bucket at the review rate per minute (0: no limit); 429 when one is empty.
void charge(Backend& b, const std::vector<Charge>& charges, const char* code) {
  if (b.config.reviews_per_minute <= 0) return;
  Wait wait = b.store.rate_buckets().take(charges, unix_now_precise());
  if (wait.seconds > 0)
    throw too_many(code, "too many from this address or visitor; retry after " + std::to_string(wait.seconds) + " seconds",
                   wait.seconds);
}

// A review token for the review's product: the order it names is stored, the
// MAC is this store's, the order holds the product. Marks the review as a
// verified buyer's.
void verify_token(Backend& b, const std::string& token, SubmittedReview& review) {
  auto parsed = parse_review_token(token);
  std::optional<std::vector<std::string>> products;
  if (parsed) products = b.store.order_products(parsed->order_id);
  bool valid = products && constant_time_equal(review_token(b.token_secret(), parsed->order_id, *products), token);
  if (!valid) throw HttpError(400, "review.invalid_token", "the review token is not one this store issued", "/token");
  if (!std::binary_search(products->begin(), products->end(), review.item.product))
    throw HttpError(400, "review.token_not_for_product",
                    "the review token is for an order without the product " + quote_for_message(review.item.product),
                    "/token");
  review.order_id = parsed->order_id;
  review.item.author.verified_buyer = true;
}

// Its photos (uploaded first) become the item's media.
void attach_photos(Backend& b, SubmittedReview& review, const std::vector<std::string>& photos) {
  review.photos = photos;
  if (auto unknown = b.store.unknown_photos(review.photos); !unknown.empty()) {
    std::size_t i = std::find(review.photos.begin(), review.photos.end(), unknown[0]) - review.photos.begin();
    throw HttpError(400, "review.unknown_photo",
                    "no uploaded photo is named " + quote_for_message(unknown[0]) +
                        "; upload it to /v1/reviews/photos first",
                    "/photos/" + std::to_string(i));
  }
  for (const auto& hash : review.photos)
    review.item.media.push_back({"image", photo_url(hash), "Photo by " + review.item.author.name});
}

}  // namespace

void post_review(Backend& b, Call& call) {
  constexpr std::size_t kMaxDepth = 8;
  Error fault;
  JsonTape body;
  if (!read_json_input(call.req.body, "review", {kMaxReviewBytes, kMaxDepth}, body, fault)) throw HttpError(400, fault);
  Timestamp now = unix_now();
  // The store and the review's product (the reader checks it is one).
  std::optional<JsonValue> named = body.root().is_object() ? body.root().find("product") : std::nullopt;
  std::string product = named && named->is_string() ? std::string(named->string()) : std::string();
  ReviewSubmissionResult read = read_review_submission(body.root(), b.catalogue.with_products({product}), now);
  if (!read.review) {
    json errors = read.errors;
    send_json(call.res, 400, {{"error", errors[0]}, {"errors", errors}});
    return;
  }
  SubmittedReview review;
  review.client_id = read.review->client_id;
  review.visitor = read.review->visitor;
  review.address = call.client;
  review.item = std::move(read.review->item);
  review.received_at = now;
  // Per address and per visitor, both or neither (a visitor id alone is the
  // client's to change; an address alone is shared behind a NAT).
  std::vector<Charge> charges{{"review-address:" + review.address, 1, b.config.reviews_per_minute}};
  if (!review.visitor.empty()) charges.push_back({"review-visitor:" + review.visitor, 1, b.config.reviews_per_minute});
  charge(b, charges, "review.rate_limited");
  attach_photos(b, review, read.review->photos);
  if (!read.review->token.empty()) verify_token(b, read.review->token, review);
  review.item.id = "rv-" + random_hex(8);
  // The owner may publish clean reviews of verified buyers at once: a valid
  // token of an order that proves the purchase, and not one spam signal.
  if (review.item.author.verified_buyer && b.store.reviews_auto_publish() &&
      b.store.order_proves_purchase(review.order_id) &&
      moderation_verdict(to_json(review.item)).value("points", 1) == 0)
    review.item.status = UgcStatus::Published;
  int status = 200;
  switch (b.store.insert_review(review)) {
    case ReviewOutcome::TokenUsed:
      throw HttpError(409, "review.token_used",
                      "this order's review token was already used for a review of this product", "/token");
    case ReviewOutcome::Created:
      b.documents.poke();  // published at once: its product's documents follow
      status = 201;
      break;
    case ReviewOutcome::Retried:
      break;
  }
  send_json(call.res, status, {{"id", review.item.id},
                               {"status", std::string(to_string(review.item.status))},
                               {"verified_buyer", review.item.author.verified_buyer}});
}

void post_photo(Backend& b, Call& call) {
  // Three photos a review: three times the review rate, per address.
  charge(b, {{"photo-address:" + call.client, 1, b.config.reviews_per_minute * 3}}, "photo.rate_limited");
  Error fault;
  auto photo = process_photo(call.req.body, PhotoLimits{b.config.max_photo_bytes}, fault);
  if (!photo) throw VouchException(fault);  // the route maps its code to 413, 415 or 422
  b.store.insert_photo({photo->hash, photo->width, photo->height, photo->large, photo->thumb, call.client, unix_now()});
  send_json(call.res, 201, {{"photo", photo->hash},
                            {"url", photo_url(photo->hash)},
                            {"thumb", "/v1/photos/" + photo->hash + "-thumb.webp"},
                            {"width", photo->width},
                            {"height", photo->height}});
}

void get_photo(Backend& b, Call& call) {
  std::string name = call.capture(1);
  std::optional<std::string> bytes;
  if (is_photo_file_name(name)) bytes = b.store.photo_file(name);
  if (!bytes) throw HttpError(404, "http.not_found", "no photo is named " + quote_for_message(name));
  // Content-addressed: a name's bytes never change.
  std::string etag = "\"";
  etag += name.substr(0, name.size() - 5);  // the name without ".webp"
  etag += '"';
  call.res.set_header("ETag", etag);
  call.res.set_header("Cache-Control", "public, max-age=31536000, immutable");
  if (etag_matches(call.req.get_header_value("If-None-Match"), etag)) {
    call.res.status = 304;
    return;
  }
  call.res.status = 200;
  call.res.set_content(*bytes, "image/webp");
}

}  // namespace vouch::server
