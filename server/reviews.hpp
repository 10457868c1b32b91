#pragma once
// Reviews shoppers write on the storefront (docs/server.md, "POST /v1/reviews"):
//
//   POST /v1/reviews   {"client_id", "product", "rating", "title"?, "body",
//                       "author": {"name"}, "locale"?, "token"?, "visitor"?}
//
// Read by the core's one reader (feed/review_submission.hpp: the feed's UGC
// rules, review.* codes), rate-limited per address and per visitor, stored
// in the database as a pending UGC item (never in the feed file), verified
// when it carries a review token for its product, idempotent by client id.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <httplib.h>

#include "feed_source.hpp"
#include "photos.hpp"
#include "rate_limit.hpp"
#include "store.hpp"
#include "storefront_documents.hpp"

namespace vouch::server {

// The review token of an order (review_submission.hpp): base64url(order id)
// "." the first 128 bits of HMAC-SHA256(secret, the signed text) in hex.
std::string review_token(std::string_view secret, std::string_view order_id, const std::vector<std::string>& products);

class ReviewRoutes {
 public:
  using Check = std::function<bool(const httplib::Request&, httplib::Response&)>;
  using Address = std::function<std::string(const httplib::Request&)>;
  // allow_origin answers 403 itself and returns false for a refused origin;
  // address is the client's (X-Forwarded-For from a trusted proxy).
  // reviews_per_minute: per address and per visitor, from the server's
  // buckets (0: no limit).
  // Photos are stored in the database (content-addressed file names).
  ReviewRoutes(FeedSource& feed, Store& store, StorefrontDocuments& documents, std::string token_secret,
               TokenBuckets& buckets, double reviews_per_minute, Check allow_origin, Address address,
               PhotoLimits photo_limits);
  // POST /v1/reviews, POST /v1/reviews/photos, GET /v1/photos/NAME (the
  // server installs them with its error guard).
  void post_review(const httplib::Request& req, httplib::Response& res);
  void post_photo(const httplib::Request& req, httplib::Response& res);
  void get_photo(const httplib::Request& req, httplib::Response& res);
  const std::string& token_secret() const { return token_secret_; }

 private:
  FeedSource& feed_;
  Store& store_;
  StorefrontDocuments& documents_;
  std::string token_secret_;
  TokenBuckets& buckets_;
  double per_minute_;
  Check allow_origin_;
  Address address_;
  PhotoLimits photo_limits_;

  bool verify_token(const std::string& token, SubmittedReview& review, httplib::Response& res);
  // Takes `tokens` from key's bucket at rate x per minute; false after answering 429.
  bool charge(httplib::Response& res, const std::vector<Charge>& charges, const char* code);
};

}  // namespace vouch::server
