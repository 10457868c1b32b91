#include "route_table.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <regex>

#include "clock.hpp"
#include "crypto.hpp"
#include "http_responses.hpp"
#include "store.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

// The code a bare status gets when no handler wrote a body (httplib's own 4xx/5xx).
std::string code_for_status(int status) {
  switch (status) {
    case 400: return "request.bad";
    case 404: return "http.not_found";
    case 405: return "http.method_not_allowed";
    case 408: return "request.timeout";
    case 413: return "request.too_large";
    case 414: return "request.uri_too_long";
    case 416: return "request.bad_range";
    case 431: return "request.headers_too_large";
    case 500: return "internal.error";
    case 503: return "server.unavailable";
    default: return "http." + std::to_string(status);
  }
}

std::string message_for_status(int status) {
  switch (status) {
    case 404: return "nothing is served at this path";
    case 413: return "the request body is larger than the server accepts";
    case 500: return "the server could not handle this request";
    default: return "the request failed with HTTP status " + std::to_string(status);
  }
}

thread_local std::chrono::steady_clock::time_point t_request_start;

struct InstalledRoute {
  Route route;
  std::regex path;
};

// The guards every route states: CORS, auth, body type and size, and the
// answer of whatever its handler throws.
class Guards {
 public:
  Guards(std::vector<Route> routes, HttpPolicy policy) : policy_(std::move(policy)) {
    for (auto& r : routes) {
      std::regex path(r.path);
      routes_.push_back({std::move(r), std::move(path)});
    }
  }

  const std::vector<InstalledRoute>& routes() const { return routes_; }
  const HttpPolicy& policy() const { return policy_; }

  // Answers the call through its route: false when a guard refused it (answered).
  void handle(const InstalledRoute& installed, const httplib::Request& req, httplib::Response& res) const {
    const Route& route = installed.route;
    try {
      Call call{req, res, client_address(req.remote_addr, req.get_header_value("X-Forwarded-For"),
                                         policy_.trusted_proxies), {}, {}};
      allow_origin(route.cors, req, res);
      if (route.auth == Auth::Admin) require_admin(call);
      if (route.auth == Auth::Signed) verify_signature(call);
      if (route.auth == Auth::Creator) require_creator(call);
      check_body(route, req);
      route.handler(call);
    } catch (const HttpError& e) {
      for (const auto& [name, value] : e.headers) res.set_header(name, value);
      send_error(res, e.status, e.error);
    } catch (const VouchException& e) {
      int status = 400;
      for (const auto& [code, mapped] : route.statuses)
        if (code == e.error().code) status = mapped;
      send_error(res, status, e.error());
    } catch (const StoreError& e) {
      policy_.log({{"level", "error"}, {"event", "store_error"}, {"full", e.full}, {"message", e.what()}});
      if (e.full) {
        res.set_header("Retry-After", "60");
        send_error(res, 503, "store.full", "the database is full; nothing of this request was stored; retry later");
      } else {
        res.set_header("Retry-After", "1");
        send_error(res, 503, "store.unavailable", "the database is unavailable; retry later");
      }
    }
  }

  // The preflight of a Cors::Shop route.
  void preflight(const httplib::Request& req, httplib::Response& res) const {
    res.status = 204;
    if (!req.has_header("Origin")) return;
    try {
      allow_origin(Cors::Shop, req, res);
    } catch (const HttpError& e) {
      send_error(res, e.status, e.error);
      return;
    }
    res.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    res.set_header("Access-Control-Allow-Headers", "Content-Type");
    res.set_header("Access-Control-Max-Age", "600");
  }

  // The limit of the route a request goes to (the default when none matches).
  BodyLimit limit_for(const httplib::Request& req) const {
    for (const auto& r : routes_)
      if (method_matches(r.route.method, req.method) && std::regex_match(req.path, r.path)) return r.route.body;
    return {policy_.max_body_bytes};
  }

  static bool method_matches(Method method, const std::string& name) {
    switch (method) {
      case Method::Get: return name == "GET" || name == "HEAD";
      case Method::Post: return name == "POST";
      case Method::GetAndPost: return name == "GET" || name == "HEAD" || name == "POST";
    }
    return false;
  }

 private:
  std::vector<InstalledRoute> routes_;
  HttpPolicy policy_;

  void allow_origin(Cors cors, const httplib::Request& req, httplib::Response& res) const {
    if (cors == Cors::Any) {
      res.set_header("Access-Control-Allow-Origin", "*");
      return;
    }
    if (cors == Cors::SameOrigin || !req.has_header("Origin")) return;  // not a browser cross-origin request
    std::string origin = req.get_header_value("Origin");
    res.set_header("Vary", "Origin");
    std::string host = req.get_header_value("Host");
    bool same_origin = origin == "http://" + host || origin == "https://" + host;
    const auto& listed_origins = policy_.allowed_origins;
    bool listed = std::find(listed_origins.begin(), listed_origins.end(), origin) != listed_origins.end();
    if (listed) res.set_header("Access-Control-Allow-Origin", origin);
    if (same_origin || listed || cors == Cors::ShopIfListed) return;
    throw HttpError(403, "cors.origin_not_allowed",
                    "the origin " + origin + " is not allowed; start the server with --allow-origin " + origin);
  }

  // Wrong tokens are counted per client address, and an address that sent
  // too many gets 429 before its token is even compared.
  void require_admin(Call& call) const {
    std::string header = call.req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (header.rfind(kBearer, 0) != 0)
      throw HttpError(401, {"auth.missing_token", "", "this endpoint needs the header Authorization: Bearer <admin token>"},
                      {{"WWW-Authenticate", "Bearer"}});
    std::vector<Charge> failure = {{"admin:" + call.client, 1, policy_.admin_failures_per_minute}};
    if (Wait wait = policy_.buckets->wait(failure, unix_now_precise()); wait.seconds > 0)
      throw too_many("auth.too_many_attempts",
                     "too many wrong admin tokens from this address; retry after " + std::to_string(wait.seconds) +
                         " seconds",
                     wait.seconds);
    if (!constant_time_equal(header.substr(kBearer.size()), policy_.admin_token)) {
      policy_.buckets->take(failure, unix_now_precise());
      throw HttpError(401, {"auth.invalid_token", "", "the admin token is wrong"},
                      {{"WWW-Authenticate", "Bearer error=\"invalid_token\""}});
    }
  }

  void verify_signature(Call& call) const {
    if (auto error = verify_webhook_signature(call.req.get_header_value("X-Vouch-Signature"), call.req.body,
                                              policy_.webhook_secret, unix_now(), call.signature))
      throw HttpError(401, *error);
  }

  void require_creator(Call& call) const {
    call.res.set_header("Cache-Control", "no-store");
    auto session = policy_.creator_session ? policy_.creator_session(call.req) : std::nullopt;
    if (!session) throw HttpError(401, "portal.signed_out", "sign in to the creator portal with a link from the store");
    call.creator = std::move(*session);
    if (call.req.method != "POST") return;
    if (!from_same_origin(call.req))
      throw HttpError(403, "portal.cross_site", "changes come from the portal's own pages only");
    if (!constant_time_equal(call.req.get_header_value("X-Vouch-CSRF"), call.creator.csrf))
      throw HttpError(403, "portal.csrf", "this request lacks the session's CSRF token (X-Vouch-CSRF); reload the page");
  }

  static void check_body(const Route& route, const httplib::Request& req) {
    if (route.accepts == Accepts::Json) {
      std::string type = req.get_header_value("Content-Type");
      if (!type.empty() && type.rfind("application/json", 0) != 0 && type.rfind("text/plain", 0) != 0)
        throw HttpError(415, "request.unsupported_media_type",
                        "send the body as application/json (or text/plain, as sendBeacon does)");
    }
    if (req.body.size() > route.body.bytes) throw HttpError(413, route.body.code, route.body.message);
  }
};

void install_error_handlers(httplib::Server& svr, const HttpPolicy& policy) {
  svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty() && res.status != 304)
      send_error(res, res.status, code_for_status(res.status), message_for_status(res.status));
  });
  svr.set_exception_handler([log = policy.log](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log({{"level", "error"}, {"event", "exception"}, {"path", req.path}, {"message", what}});
    send_error(res, 500, "internal.error", "the server could not handle this request");
  });
  if (policy.access_log)
    svr.set_logger([log = policy.log](const httplib::Request& req, const httplib::Response& res) {
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_request_start).count();
      log({{"time", format_rfc3339(unix_now())},
           {"method", req.method},
           {"path", req.path},
           {"status", res.status},
           {"bytes", res.body.size()},
           {"ms", std::round(ms * 1000) / 1000},
           {"remote", req.remote_addr}});
    });
}

}  // namespace

bool from_same_origin(const httplib::Request& req) {
  std::string site = req.get_header_value("Sec-Fetch-Site");
  if (!site.empty() && site != "same-origin" && site != "none") return false;
  if (!req.has_header("Origin")) return true;
  std::string origin = req.get_header_value("Origin"), host = req.get_header_value("Host");
  return origin == "http://" + host || origin == "https://" + host;
}

HttpError too_many(const std::string& code, const std::string& message, int retry_after_seconds) {
  return HttpError(429, {code, "", message}, {{"Retry-After", std::to_string(retry_after_seconds)}});
}

void install_routes(httplib::Server& svr, std::vector<Route> routes, HttpPolicy policy) {
  auto guards = std::make_shared<const Guards>(std::move(routes), std::move(policy));
  std::size_t smallest_limit = SIZE_MAX, largest_limit = guards->policy().max_body_bytes;
  for (const InstalledRoute& installed : guards->routes()) {
    const Route& r = installed.route;
    smallest_limit = std::min(smallest_limit, r.body.bytes);
    largest_limit = std::max(largest_limit, r.body.bytes);
    auto handler = [guards, &installed](const httplib::Request& req, httplib::Response& res) {
      guards->handle(installed, req, res);
    };
    if (r.method != Method::Post) svr.Get(r.path, handler);
    if (r.method != Method::Get) svr.Post(r.path, handler);
    if (r.cors == Cors::Shop)
      svr.Options(r.path, [guards](const httplib::Request& req, httplib::Response& res) { guards->preflight(req, res); });
  }
  svr.set_payload_max_length(largest_limit + 1024);
  // A body longer than its route takes is refused before it is read, when
  // its Content-Length says so.
  svr.set_pre_routing_handler([guards, smallest_limit](const httplib::Request& req, httplib::Response& res) {
    t_request_start = std::chrono::steady_clock::now();
    res.set_header("X-Content-Type-Options", "nosniff");
    if (!req.has_header("Content-Length")) return httplib::Server::HandlerResponse::Unhandled;
    std::uint64_t length = 0;
    try {
      length = std::stoull(req.get_header_value("Content-Length"));
    } catch (const std::exception&) {
      length = UINT64_MAX;
    }
    if (length <= smallest_limit) return httplib::Server::HandlerResponse::Unhandled;
    BodyLimit limit = guards->limit_for(req);
    if (length <= limit.bytes) return httplib::Server::HandlerResponse::Unhandled;
    res.set_header("Connection", "close");
    send_error(res, 413, limit.code, limit.message);
    return httplib::Server::HandlerResponse::Handled;
  });
  install_error_handlers(svr, guards->policy());
}

}  // namespace vouch::server
