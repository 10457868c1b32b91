#pragma once
// The creator portal's endpoints (docs/portal.md), installed as one group of
// routes, each stating who may call it:
//
//   Access::Public   anyone (signing in, asking for a link by e-mail)
//   Access::Creator  the portal's session cookie; a change (POST) also needs
//                    the session's CSRF token (X-Vouch-CSRF) and, from a
//                    browser, a same-origin page (Sec-Fetch-Site)
//   Access::Owner    the admin token
//
// The group does around each handler what the server's route table does:
// the access check, the body limit, and the answer of whatever the handler
// throws (PortalError -> its status, StoreError -> 503). A creator's
// handler gets the creator from the session, never from the request, so no
// id in a path, a query or a body reaches another creator's rows.
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "feed_source.hpp"
#include "portal_auth.hpp"
#include "rate_limit.hpp"
#include "server.hpp"
#include "store.hpp"

namespace vouch::server {

namespace portal {

// An answer other than success, thrown by a handler.
struct PortalError : std::runtime_error {
  PortalError(int status_, Error error_, std::vector<std::pair<std::string, std::string>> headers_ = {})
      : std::runtime_error(error_.message), status(status_), error(std::move(error_)), headers(std::move(headers_)) {}
  PortalError(int status_, std::string code, std::string message, std::string path = {})
      : PortalError(status_, Error{std::move(code), std::move(path), std::move(message)}) {}
  int status;
  Error error;
  std::vector<std::pair<std::string, std::string>> headers;
};

// 429 with Retry-After.
PortalError too_many(const std::string& code, const std::string& message, long retry_after_seconds);

// One call as its handler gets it.
struct Call {
  const httplib::Request& req;
  httplib::Response& res;
  std::string client;   // the client's address (rate_limit.hpp client_address)
  std::string creator;  // Access::Creator: the session's creator
  std::string session;  // Access::Creator: the session's hash
  std::string capture(std::size_t n) const { return n < req.matches.size() ? std::string(req.matches[n]) : std::string(); }
  nlohmann::json body() const;  // the body as a JSON object ({} when empty); 400 request.invalid_json otherwise
};

// What the handlers reach.
struct Backend {
  const ServerConfig& config;
  FeedSource& feed;
  Store& store;
  std::string portal_key;  // signs magic links and CSRF tokens: the same on every instance (table secrets)
  std::function<bool(const httplib::Request&, httplib::Response&)> require_admin;  // answers when it refuses
};

// Puts the portal's routes on `svr` (before the static files' catch-all).
void install_portal_routes(httplib::Server& svr, Backend& backend);

// ---- What the handlers share (portal_access.cpp) ----

// Access::Creator: fills call.creator and call.session, or throws 401/403.
void authenticate_creator(Backend& b, Call& call);
// A new link for the creator, stored (hashed), logged as made by `by`.
PortalLinkToken make_portal_link(Backend& b, const std::string& influencer, const std::string& by, Timestamp now);
// The same, sent through the store's mailer (the portal settings' URL).
PortalLinkToken send_portal_link(Backend& b, const PortalCreator& creator, const std::string& base,
                                 const std::string& by, Timestamp now);
// The ledger read up to `now` (commission_ledger.hpp) with the server's config.
void catch_up_ledger(Backend& b, Timestamp now);
// ?from=&to= as UTC days [from, to); the last `default_days` days by default.
std::pair<Timestamp, Timestamp> day_range(const httplib::Request& req, Timestamp now, int default_days);
// Where creators' links point: the first --allow-origin shop, else this server.
std::string shop_origin(const Backend& b, const httplib::Request& req);
nlohmann::json settings_json(const PortalSettings& settings, const std::string& currency);

// ---- The creator's side (portal_endpoints.cpp) ----
void post_portal_session(Backend& b, Call& call);
void post_portal_link_request(Backend& b, Call& call);
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

// ---- The owner's side (creator_endpoints.cpp) ----
void get_creators(Backend& b, Call& call);
void post_creator_invite(Backend& b, Call& call);
void post_creator_portal_link(Backend& b, Call& call);
void post_creator_revoke(Backend& b, Call& call);
void get_creator_performance(Backend& b, Call& call);
void get_portal_activity(Backend& b, Call& call);
void portal_settings(Backend& b, Call& call);
void get_payouts_due(Backend& b, Call& call);
void post_payout_run(Backend& b, Call& call);
void get_payouts(Backend& b, Call& call);
void get_payout_file(Backend& b, Call& call);

}  // namespace portal
}  // namespace vouch::server
