// Every endpoint of `vouch serve`, in one table (http/route_table.hpp says
// what each column does; docs/server.md documents each route). Routes are
// matched in this order, the first match wins: the static files' catch-all
// comes last.
#include "backend.hpp"

namespace vouch::server {

std::vector<Route> route_table(Backend& b) {
  using enum Method;
  const auto handle = [&b](void (*handler)(Backend&, Call&)) {
    return Handler([&b, handler](Call& call) { handler(b, call); });
  };
  const ServerConfig& c = b.config;
  const BodyLimit none{c.max_body_bytes};  // routes that read no body keep the server's limit
  const BodyLimit json_body{c.max_body_bytes};
  const BodyLimit review{kMaxReviewBytes, "review.too_large",
                         "a review may be at most " + std::to_string(kMaxReviewBytes) + " bytes of JSON"};
  const BodyLimit photo{c.max_photo_bytes, "photo.too_large",
                        "a photo may be at most " + std::to_string(c.max_photo_bytes >> 20) + " MB"};
  const std::vector<std::pair<std::string, int>> photo_faults = {
      {"photo.too_large", 413}, {"photo.unsupported_type", 415}, {"photo.too_many_pixels", 422},
      {"photo.unreadable", 422}};
  const auto platform = [](const std::string& name) {
    return BodyLimit{kMaxPlatformBodyBytes, name + ".too_large",
                     "a delivery may be at most " + std::to_string(kMaxPlatformBodyBytes) + " bytes"};
  };
  const std::string document = R"(/v1/(store\.json|(?:products|badges)/[^/]+\.json|products/[^/]+/reviews\.json))";

  return {
      // method  path                                   auth          CORS              body       accepts            handler
      {Get,  "/v1/health",                              Auth::None,   Cors::SameOrigin, none,      Accepts::Anything, handle(get_health)},
      // The widget and the store's backend send
      {Post, "/v1/events",                              Auth::None,   Cors::Shop,       json_body, Accepts::Json,     handle(post_events)},
      {Post, "/v1/orders",                              Auth::Signed, Cors::SameOrigin, json_body, Accepts::Anything, handle(post_orders)},
      {Post, "/v1/refunds",                             Auth::Signed, Cors::SameOrigin, json_body, Accepts::Anything, handle(post_refunds)},
      {Post, "/v1/reviews",                             Auth::None,   Cors::Shop,       review,    Accepts::Json,     handle(post_review)},
      {Post, "/v1/reviews/photos",                      Auth::None,   Cors::Shop,       photo,     Accepts::Anything, handle(post_photo), photo_faults},
      // The platforms sign with their own schemes, checked by their handlers (docs/shopify.md)
      {Post, "/v1/integrations/shopify/webhooks",       Auth::None,   Cors::SameOrigin, platform("shopify"),     Accepts::Anything, handle(post_shopify_webhook)},
      {Post, "/v1/integrations/woocommerce/webhooks",   Auth::None,   Cors::SameOrigin, platform("woocommerce"), Accepts::Anything, handle(post_woocommerce_webhook)},
      // The storefront reads
      {Get,  document,                                  Auth::None,   Cors::Any,        none,      Accepts::Anything, handle(get_document)},
      {Get,  R"(/v1/products/([^/]+)/social-proof)",    Auth::None,   Cors::Any,        none,      Accepts::Anything, handle(get_social_proof_page)},
      {Get,  R"(/v1/photos/([^/]+))",                   Auth::None,   Cors::Any,        none,      Accepts::Anything, handle(get_photo)},
      {Post, "/v1/first-party/referral",                Auth::None,   Cors::SameOrigin, none,      Accepts::Anything, handle(post_first_party_referral)},
      {Get,  "/demo/catalog.json",                      Auth::None,   Cors::SameOrigin, none,      Accepts::Anything, handle(get_demo_catalog)},
      // The dashboard
      {Get,  "/v1/reports/influencers",                 Auth::Admin,  Cors::SameOrigin, none,      Accepts::Anything, handle(get_report)},
      {Get,  "/v1/admin/roster",                        Auth::Admin,  Cors::SameOrigin, none,      Accepts::Anything, handle(get_roster)},
      {Get,  "/v1/admin/store",                         Auth::Admin,  Cors::SameOrigin, none,      Accepts::Anything, handle(get_store_status)},
      {Get,  "/v1/admin/events/summary",                Auth::Admin,  Cors::SameOrigin, none,      Accepts::Anything, handle(get_summary)},
      {Get,  "/v1/admin/events",                        Auth::Admin,  Cors::SameOrigin, none,      Accepts::Anything, handle(get_events)},
      {Get,  "/v1/admin/timeseries",                    Auth::Admin,  Cors::SameOrigin, none,      Accepts::Anything, handle(get_timeseries)},
      {Get,  "/v1/admin/moderation",                    Auth::Admin,  Cors::SameOrigin, none,      Accepts::Anything, handle(get_moderation)},
      {Post, "/v1/admin/moderation",                    Auth::Admin,  Cors::SameOrigin, json_body, Accepts::Anything, handle(post_moderation)},
      {Get,  "/v1/admin/install",                       Auth::Admin,  Cors::SameOrigin, none,      Accepts::Anything, handle(get_install)},
      {Post, "/v1/admin/install/webhook-secret",        Auth::Admin,  Cors::SameOrigin, none,      Accepts::Anything, handle(post_reveal_webhook_secret)},
      {GetAndPost, "/v1/admin/review-settings",         Auth::Admin,  Cors::SameOrigin, json_body, Accepts::Anything, handle(review_settings)},
      {Get,  "/v1/admin/review-requests",               Auth::Admin,  Cors::SameOrigin, none,      Accepts::Anything, handle(get_review_requests)},
      {Post, "/v1/admin/review-requests/send",          Auth::Admin,  Cors::SameOrigin, json_body, Accepts::Anything, handle(post_review_requests_send)},
      {Get,  "/v1/admin/privacy-requests",              Auth::Admin,  Cors::SameOrigin, none,      Accepts::Anything, handle(get_privacy_requests)},
      // The creator portal: signing in, then the signed-in creator's own data (docs/portal.md)
      {Post, "/v1/portal/sessions",                     Auth::None,   Cors::SameOrigin, json_body, Accepts::Json,     handle(post_portal_session)},
      {Post, "/v1/portal/links",                        Auth::None,   Cors::SameOrigin, json_body, Accepts::Json,     handle(post_portal_link_request)},
      {Get,  "/v1/portal/me",                           Auth::Creator, Cors::SameOrigin, none,     Accepts::Anything, handle(get_portal_me)},
      {Get,  "/v1/portal/commissions",                  Auth::Creator, Cors::SameOrigin, none,     Accepts::Anything, handle(get_portal_commissions)},
      {Get,  "/v1/portal/performance",                  Auth::Creator, Cors::SameOrigin, none,     Accepts::Anything, handle(get_portal_performance)},
      {Get,  "/v1/portal/products",                     Auth::Creator, Cors::SameOrigin, none,     Accepts::Anything, handle(get_portal_products)},
      {Get,  "/v1/portal/payouts",                      Auth::Creator, Cors::SameOrigin, none,     Accepts::Anything, handle(get_portal_payouts)},
      {Post, "/v1/portal/payouts/request",              Auth::Creator, Cors::SameOrigin, json_body, Accepts::Json,    handle(post_portal_payout_request)},
      {Get,  "/v1/portal/sessions",                     Auth::Creator, Cors::SameOrigin, none,     Accepts::Anything, handle(get_portal_sessions)},
      {Post, "/v1/portal/sessions/end",                 Auth::Creator, Cors::SameOrigin, json_body, Accepts::Json,    handle(post_portal_sessions_end)},
      {Post, "/v1/portal/sign-out",                     Auth::Creator, Cors::SameOrigin, json_body, Accepts::Json,    handle(post_portal_sign_out)},
      {Post, "/v1/portal/profile",                      Auth::Creator, Cors::SameOrigin, json_body, Accepts::Json,    handle(post_portal_profile)},
      // The dashboard's Creators & payouts
      {Get,  "/v1/admin/creators",                      Auth::Admin,  Cors::SameOrigin, none,      Accepts::Anything, handle(get_creators)},
      {Post, R"(/v1/admin/creators/([^/]+)/invite)",    Auth::Admin,  Cors::SameOrigin, json_body, Accepts::Json,     handle(post_creator_invite)},
      {Post, R"(/v1/admin/creators/([^/]+)/portal-link)", Auth::Admin, Cors::SameOrigin, json_body, Accepts::Json,    handle(post_creator_portal_link)},
      {Post, R"(/v1/admin/creators/([^/]+)/revoke)",    Auth::Admin,  Cors::SameOrigin, json_body, Accepts::Json,     handle(post_creator_revoke)},
      {Get,  R"(/v1/admin/creators/([^/]+)/performance)", Auth::Admin, Cors::SameOrigin, none,     Accepts::Anything, handle(get_creator_performance)},
      {Get,  "/v1/admin/portal/activity",               Auth::Admin,  Cors::SameOrigin, none,      Accepts::Anything, handle(get_portal_activity)},
      {GetAndPost, "/v1/admin/portal/settings",         Auth::Admin,  Cors::SameOrigin, json_body, Accepts::Json,     handle(portal_settings)},
      {Get,  "/v1/admin/payouts/due",                   Auth::Admin,  Cors::SameOrigin, none,      Accepts::Anything, handle(get_payouts_due)},
      {Get,  "/v1/admin/payouts/file",                  Auth::Admin,  Cors::SameOrigin, none,      Accepts::Anything, handle(get_payout_file)},
      {GetAndPost, "/v1/admin/payouts",                 Auth::Admin,  Cors::SameOrigin, json_body, Accepts::Json,     handle(payouts)},
      // The widget, the demo store and the dashboard's files
      {Get,  "/.*",                                     Auth::None,   Cors::ShopIfListed, none,    Accepts::Anything, handle(get_static)},
  };
}

}  // namespace vouch::server
