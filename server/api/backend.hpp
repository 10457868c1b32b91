#pragma once
// The endpoints' handlers, by area, and what they reach (the Backend). The
// table that names them, with each route's auth, CORS, body and errors, is
// routes.cpp; docs/server.md documents every route.
//
// To add an endpoint: a line in routes.cpp, its handler in the area's file
// (declared below), and the repository method it needs in storage/store.hpp
// (implemented once in storage/sql_store.cpp).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "catalogue.hpp"
#include "document_builder.hpp"
#include "events.hpp"
#include "integrations/platform_webhooks.hpp"
#include "route_table.hpp"
#include "server.hpp"
#include "social_proof_pages.hpp"
#include "static_files.hpp"
#include "store.hpp"

namespace vouch::server {

// A review is at most 5,000 + 150 + 80 characters of text, 4 bytes each in
// UTF-8 at worst: 32 KiB leaves room for JSON escapes and the other fields.
constexpr std::size_t kMaxReviewBytes = 32u << 10;

struct Backend {
  Backend(const ServerConfig& config_, Store& store_, Catalogue& catalogue_, DocumentBuilder& documents_,
          std::function<void(const nlohmann::json&)> log_)
      : config(config_), store(store_), catalogue(catalogue_), documents(documents_), log(std::move(log_)),
        static_files(config_.web_root), pages(store_), platforms(config_.platforms, catalogue_, store_, log) {}

  const ServerConfig& config;
  Store& store;          // the store of record
  Catalogue& catalogue;  // what the endpoints need of its catalogue, kept per version
  DocumentBuilder& documents;  // poked after a change a document shows
  std::function<void(const nlohmann::json&)> log;  // one JSON line per event worth logging
  StaticFiles static_files;
  SocialProofPages pages;  // pages beyond the documents
  PlatformWebhooks platforms;  // Shopify's and WooCommerce's webhooks
  // Review tokens are keyed with the webhook secret: every instance agrees on
  // it, and the store's backend, which holds it, can make review links itself.
  const std::string& token_secret() const { return config.webhook_secret; }
  // Signs the creator portal's magic links and CSRF tokens: one random key
  // per database (table secrets), so every instance agrees on it.
  std::string portal_key;

  // The store's currency and the time now, as events and orders are judged.
  IngestRules ingest_rules();
};

// The attribution window in days (window_days of --config, default 30).
int attribution_window_days(const nlohmann::json& config);

// The route table (routes.cpp).
std::vector<Route> route_table(Backend& b);

// Events, orders and refunds (ingest_endpoints.cpp).
void post_events(Backend& b, Call& call);
void post_orders(Backend& b, Call& call);
void post_refunds(Backend& b, Call& call);

// Reviews shoppers write and their photos (review_endpoints.cpp).
void post_review(Backend& b, Call& call);
void post_photo(Backend& b, Call& call);
void get_photo(Backend& b, Call& call);

// Moderation (moderation_endpoints.cpp).
void get_moderation(Backend& b, Call& call);
void post_moderation(Backend& b, Call& call);

// The dashboard's figures and settings (admin_endpoints.cpp).
void get_report(Backend& b, Call& call);
void get_summary(Backend& b, Call& call);
void get_store_status(Backend& b, Call& call);
void get_events(Backend& b, Call& call);
void get_timeseries(Backend& b, Call& call);
void get_install(Backend& b, Call& call);
void post_reveal_webhook_secret(Backend& b, Call& call);
void review_settings(Backend& b, Call& call);
void get_review_requests(Backend& b, Call& call);
void post_review_requests_send(Backend& b, Call& call);

// Shopify's and WooCommerce's webhooks, and what their privacy topics asked
// (integrations/platform_webhooks.cpp).
void post_shopify_webhook(Backend& b, Call& call);
void post_woocommerce_webhook(Backend& b, Call& call);
void get_privacy_requests(Backend& b, Call& call);

// The first-party referral cookie (first_party.cpp).
void post_first_party_referral(Backend& b, Call& call);

// The creator portal, the creator's side (portal/portal_endpoints.cpp): the
// creator is the session's (Call::creator), never a parameter.
void post_portal_session(Backend& b, Call& call);       // spends a magic link, sets the session cookie
void post_portal_link_request(Backend& b, Call& call);  // a link by e-mail (through the mailer)
void get_portal_me(Backend& b, Call& call);
void get_portal_commissions(Backend& b, Call& call);
void get_portal_performance(Backend& b, Call& call);
void get_portal_products(Backend& b, Call& call);
void get_portal_payouts(Backend& b, Call& call);
void post_portal_payout_request(Backend& b, Call& call);
void get_portal_sessions(Backend& b, Call& call);
void post_portal_sessions_end(Backend& b, Call& call);
void post_portal_sign_out(Backend& b, Call& call);
void post_portal_profile(Backend& b, Call& call);

// The creator portal, the owner's side (portal/creator_endpoints.cpp):
// creators, invitations, magic links, activity, settings, payout runs.
void get_creators(Backend& b, Call& call);
void post_creator_invite(Backend& b, Call& call);
void post_creator_portal_link(Backend& b, Call& call);
void post_creator_revoke(Backend& b, Call& call);
void get_creator_performance(Backend& b, Call& call);
void get_portal_activity(Backend& b, Call& call);
void portal_settings(Backend& b, Call& call);
void get_payouts_due(Backend& b, Call& call);
void payouts(Backend& b, Call& call);  // GET: the history; POST: a payout run
void get_payout_file(Backend& b, Call& call);

// The storefront: public documents, pages, the roster, static files
// (storefront_endpoints.cpp).
void get_health(Backend& b, Call& call);
void get_document(Backend& b, Call& call);  // the path under /v1/ is the call's first capture
void get_social_proof_page(Backend& b, Call& call);
void get_roster(Backend& b, Call& call);
void get_demo_catalog(Backend& b, Call& call);
void get_static(Backend& b, Call& call);

}  // namespace vouch::server
