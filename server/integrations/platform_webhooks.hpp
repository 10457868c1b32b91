#pragma once
// The platforms' own signed webhooks (docs/shopify.md):
//   POST /v1/integrations/shopify/webhooks      X-Shopify-Hmac-Sha256
//   POST /v1/integrations/woocommerce/webhooks  X-WC-Webhook-Signature
//   GET  /v1/admin/privacy-requests             what the privacy webhooks asked and got (admin)
//
// Every delivery is checked in this order: the body's size (413
// shopify.too_large / woocommerce.too_large, before it is read), a configured
// secret (404), the signature (401), the platform's headers (400), its
// age (401 *.stale_delivery: Shopify's X-Shopify-Triggered-At, WooCommerce's
// date_modified_gmt, more than kPlatformStaleSeconds old or
// kPlatformFutureSeconds ahead), then the JSON (400). After that every answer
// is 200, because a platform retries and finally disables a webhook that
// keeps failing: a topic Vouch does not act on is "ignored", a repeated
// delivery "replayed" (nothing stored again), a payload the order contract
// refuses "rejected" (logged with its error). Only a storage failure is 503,
// so the platform retries it.
#include <functional>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "catalogue.hpp"
#include "integrations/shopify.hpp"
#include "store.hpp"

namespace vouch::server {

struct PlatformConfig {
  std::string shopify_secret;      // the app's client secret (--shopify-secret, VOUCH_SHOPIFY_SECRET)
  std::string shopify_shop;        // "shop.myshopify.com": deliveries for another shop are refused; "" any
  ShopifyOptions shopify;
  std::string woocommerce_secret;  // the webhooks' secret (--woocommerce-secret, VOUCH_WOOCOMMERCE_SECRET)
};

// Shopify retries a failed delivery 8 times over 4 hours; WooCommerce's queue
// runs on WP-Cron, late on a quiet shop. A day covers both with room; the
// replay keys are kept longer than that (kPlatformReplaySeconds).
constexpr Timestamp kPlatformStaleSeconds = 24 * 3600;
constexpr Timestamp kPlatformFutureSeconds = 300;
// A Shopify order of 100 lines with every field is about 400 KB of JSON.
constexpr std::size_t kMaxPlatformBodyBytes = 2u << 20;

// The routes (api/routes.cpp) call these; the table does the body limit
// (kMaxPlatformBodyBytes), the admin check and the 503 on a store failure.
class PlatformWebhooks {
 public:
  PlatformWebhooks(const PlatformConfig& config, Catalogue& catalogue, Store& store,
                   std::function<void(const nlohmann::json&)> log);

  void post_shopify(const httplib::Request& req, httplib::Response& res);
  void post_woocommerce(const httplib::Request& req, httplib::Response& res);
  void get_privacy_requests(httplib::Response& res);

 private:
  // The checks every delivery shares; false after answering.
  bool admit(const httplib::Request& req, httplib::Response& res, const std::string& platform,
             const std::string& secret, const std::string& signature_header);
  // The event's time within the window (else 400 *.missing_time or 401 *.stale_delivery).
  bool fresh(httplib::Response& res, const std::string& platform, const std::string& field,
             std::optional<Timestamp> at, Timestamp now);
  bool parse(const httplib::Request& req, httplib::Response& res, const std::string& platform, nlohmann::json& body);
  // Reads the payload (`read` throws VouchException for one it cannot), does
  // what it asks and answers.
  void apply(const std::string& platform, const std::function<PlatformRequest()>& read,
             const PlatformDelivery& delivery, httplib::Response& res);
  IngestRules ingest_rules(Timestamp now) const;
  FeedLookup feed_lookup() const;

  const PlatformConfig& config_;
  Catalogue& catalogue_;
  Store& store_;
  std::function<void(const nlohmann::json&)> log_;
};

}  // namespace vouch::server
