// The creator portal's routes in one table (portal_routes.hpp says what the
// group does around each handler; docs/portal.md documents every route).
#include "portal_routes.hpp"

#include <memory>

#include "http_responses.hpp"

namespace vouch::server::portal {

namespace {

using nlohmann::json;

enum class Access { Public, Creator, Owner };
enum class Method { Get, Post, GetAndPost };

struct Route {
  Method method;
  const char* path;  // a regular expression, as cpp-httplib matches it
  Access access;
  void (*handler)(Backend&, Call&);
};

// clang-format off
const std::vector<Route>& routes() {
  using enum Method;
  static const std::vector<Route> table = {
      // method  path                                             access           handler
      {Post, "/v1/portal/sessions",                            Access::Public,  post_portal_session},
      {Post, "/v1/portal/links",                               Access::Public,  post_portal_link_request},
      {Get,  "/v1/portal/me",                                  Access::Creator, get_portal_me},
      {Get,  "/v1/portal/commissions",                         Access::Creator, get_portal_commissions},
      {Get,  "/v1/portal/performance",                         Access::Creator, get_portal_performance},
      {Get,  "/v1/portal/products",                            Access::Creator, get_portal_products},
      {Get,  "/v1/portal/payouts",                             Access::Creator, get_portal_payouts},
      {Post, "/v1/portal/payouts/request",                     Access::Creator, post_portal_payout_request},
      {Get,  "/v1/portal/sessions",                            Access::Creator, get_portal_sessions},
      {Post, "/v1/portal/sessions/end",                        Access::Creator, post_portal_sessions_end},
      {Post, "/v1/portal/sign-out",                            Access::Creator, post_portal_sign_out},
      {Post, "/v1/portal/profile",                             Access::Creator, post_portal_profile},
      {Get,  "/v1/admin/creators",                             Access::Owner,   get_creators},
      {Post, R"(/v1/admin/creators/([^/]+)/invite)",           Access::Owner,   post_creator_invite},
      {Post, R"(/v1/admin/creators/([^/]+)/portal-link)",      Access::Owner,   post_creator_portal_link},
      {Post, R"(/v1/admin/creators/([^/]+)/revoke)",           Access::Owner,   post_creator_revoke},
      {Get,  R"(/v1/admin/creators/([^/]+)/performance)",      Access::Owner,   get_creator_performance},
      {Get,  "/v1/admin/portal/activity",                      Access::Owner,   get_portal_activity},
      {GetAndPost, "/v1/admin/portal/settings",                Access::Owner,   portal_settings},
      {Get,  "/v1/admin/payouts/due",                          Access::Owner,   get_payouts_due},
      {Get,  "/v1/admin/payouts/file",                         Access::Owner,   get_payout_file},
      {GetAndPost, "/v1/admin/payouts",                        Access::Owner,   nullptr},  // GET: history, POST: a run
  };
  return table;
}
// clang-format on

void payouts(Backend& b, Call& call) { call.req.method == "POST" ? post_payout_run(b, call) : get_payouts(b, call); }

// The route's access, then its handler; whatever it throws becomes the answer.
void handle(Backend& b, const Route& route, const httplib::Request& req, httplib::Response& res) {
  Call call{req, res, client_address(req.remote_addr, req.get_header_value("X-Forwarded-For"), b.config.trusted_proxies),
            "", ""};
  try {
    res.set_header("Cache-Control", "no-store");
    if (route.access == Access::Owner && !b.require_admin(req, res)) return;
    if (route.access == Access::Creator) authenticate_creator(b, call);
    if (req.body.size() > b.config.max_body_bytes)
      throw PortalError(413, "request.too_large", "the request body is larger than the server accepts");
    (route.handler ? route.handler : payouts)(b, call);
  } catch (const PortalError& e) {
    for (const auto& [name, value] : e.headers) res.set_header(name, value);
    send_error(res, e.status, e.error);
  } catch (const VouchException& e) {
    send_error(res, 400, e.error());
  } catch (const StoreError& e) {
    res.set_header("Retry-After", e.full ? "60" : "1");
    send_error(res, 503, e.code, e.full ? "the database is full; nothing of this request was stored; retry later"
                                        : "the database is unavailable; retry later");
  }
}

}  // namespace

PortalError too_many(const std::string& code, const std::string& message, long retry_after_seconds) {
  return PortalError(429, {code, "", message}, {{"Retry-After", std::to_string(retry_after_seconds)}});
}

json Call::body() const {
  json value = req.body.empty() ? json::object() : json::parse(req.body, nullptr, false);
  if (!value.is_object()) throw PortalError(400, "request.invalid_json", "the body must be a JSON object");
  return value;
}

void install_portal_routes(httplib::Server& svr, Backend& backend) {
  for (const Route& route : routes()) {
    auto handler = [&backend, &route](const httplib::Request& req, httplib::Response& res) {
      handle(backend, route, req, res);
    };
    if (route.method != Method::Post) svr.Get(route.path, handler);
    if (route.method != Method::Get) svr.Post(route.path, handler);
  }
}

}  // namespace vouch::server::portal
