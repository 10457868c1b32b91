#pragma once
// A review a shopper writes on the storefront (POST /v1/reviews, docs/server.md)
// and the verified-buyer token that may come with it. The review is read by
// the same rules as a feed's UGC item (read_ugc in feed_json.cpp: one
// definition), with `review.*` codes and the submission's own limits on top
// (review_submission.cpp).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/error.hpp"
#include "feed/feed.hpp"
#include "input/json_tape.hpp"

namespace vouch {

// What a submission may hold, in characters (code points) of UTF-8.
struct ReviewLimits {
  std::size_t max_title = 150;
  std::size_t max_body = 5000;
  std::size_t max_name = 80;
  std::size_t max_photos = 3;
};

struct ReviewSubmission {
  std::string client_id;  // made by the widget; a retry with the same id is the same review
  std::string token;      // a verified-buyer review token, or empty
  std::string visitor;    // the widget's first-party visitor id, or empty (rate limits only)
  std::vector<std::string> photos;  // names of photos uploaded first (POST /v1/reviews/photos), at most 3
  // The UGC item as the feed would hold it: kind review, status pending,
  // `at` = now, author.verified_buyer false (the server decides it from the
  // token), helpful 0; `id` empty (the server names it).
  Ugc item;
};

struct ReviewSubmissionResult {
  std::optional<ReviewSubmission> review;  // present when errors is empty
  std::vector<Error> errors;
};

// Reads {"client_id", "product", "rating", "title"?, "body", "author": {"name"},
// "locale"?, "token"?, "visitor"?, "photos"?: [32 hex digits, at most 3]}. Every fault is reported with its JSON Pointer:
// review.not_object, review.missing_field, review.invalid_type,
// review.out_of_range, review.invalid_value, review.unknown_field (a field
// the server sets, such as status or verified_buyer, or one it does not
// know), review.too_long, review.unknown_product. Never throws.
ReviewSubmissionResult read_review_submission(const JsonValue& body, const Feed& feed, Timestamp now,
                                              const ReviewLimits& limits = {});
ReviewSubmissionResult read_review_submission(const nlohmann::json& body, const Feed& feed, Timestamp now,
                                              const ReviewLimits& limits = {});

// --- verified-buyer review tokens ---
// A token is base64url(order id) "." 32 hex digits: the first 128 bits of
// HMAC-SHA256(server secret, review_token_message(order id, its products)).
// The server computes the HMAC (OpenSSL); the core owns the format.

// The signed text: "vouch-review-token/1\n" then the order id and each
// distinct product id, sorted, each written as "<byte length>:<bytes>\n", so
// no choice of ids can make two orders sign the same text.
std::string review_token_message(std::string_view order_id, std::vector<std::string> products);

// The distinct product ids of an order (Order JSON: items[].product), sorted:
// what its review token signs, and what a token may review.
std::vector<std::string> order_product_ids(const nlohmann::json& order);

// "<base64url(order_id)>.<mac>"
std::string format_review_token(std::string_view order_id, std::string_view mac_hex);

struct ParsedReviewToken {
  std::string order_id;
  std::string mac_hex;
};
// nullopt unless the text has the shape above (order id 1..128 bytes,
// mac 32 lower-case hex digits).
std::optional<ParsedReviewToken> parse_review_token(std::string_view token);

}  // namespace vouch
