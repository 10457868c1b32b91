#pragma once
// The server's endpoints as one declarative table (api/routes.cpp). Each
// route states its method and path, who may call it (auth), which browser
// origins may (CORS), the body it takes (type and largest size) and how a
// refused call answers; install_routes() does all of that around the
// handler, so a handler only handles: it reads the call, asks the store or
// the documents, and answers, throwing HttpError (or VouchException, which
// the route maps to a status) for anything else than its success.
//
// Every route also answers the same way when the database fails (503
// store.full / store.unavailable, with Retry-After) and when anything else
// throws (500 internal.error, logged).
#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "rate_limit.hpp"
#include "webhook_signature.hpp"

namespace vouch::server {

// An answer other than success, thrown by a handler: the route answers
// {"error": {code, message, path?}} with this status and these headers.
struct HttpError : std::runtime_error {
  HttpError(int status_, Error error_, std::vector<std::pair<std::string, std::string>> headers_ = {})
      : std::runtime_error(error_.message), status(status_), error(std::move(error_)), headers(std::move(headers_)) {}
  HttpError(int status_, std::string code, std::string message, std::string path = {})
      : HttpError(status_, Error{std::move(code), std::move(path), std::move(message)}) {}
  int status;
  Error error;
  std::vector<std::pair<std::string, std::string>> headers;
};

// 429 with Retry-After: the message names the wait.
HttpError too_many(const std::string& code, const std::string& message, int retry_after_seconds);

enum class Method { Get, Post, GetAndPost };

enum class Auth {
  None,    // anyone
  Admin,   // Authorization: Bearer <admin token>; wrong tokens are rate-limited per address
  Signed,  // X-Vouch-Signature of the raw body with the webhook secret (the store's backend)
  Creator,  // the creator portal's session cookie (HttpPolicy::creator_session says whose, else 401
            // portal.signed_out); a POST also needs the session's CSRF token in X-Vouch-CSRF and a
            // same-origin page (Sec-Fetch-Site, Origin), else 403. Answers are never cached.
};

enum class Cors {
  SameOrigin,  // no CORS headers: a page on another origin cannot read the answer
  Shop,        // the same origin and the --allow-origin shops; any other origin is refused (403
               // cors.origin_not_allowed); the OPTIONS preflight is answered
  ShopIfListed,  // the --allow-origin shops get the header, any other origin is answered without it
  Any,         // Access-Control-Allow-Origin: * (public documents, never with credentials)
};

enum class Accepts {
  Anything,
  Json,  // application/json, text/plain (sendBeacon) or no type; else 415
};

// The largest body a route reads: a longer one is refused with 413 and this
// code before it is read (by its Content-Length) or after (chunked).
struct BodyLimit {
  std::size_t bytes = 0;
  std::string code = "request.too_large";
  std::string message = "the request body is larger than the server accepts";
};

// Auth::Creator: whose session a call carries.
struct CreatorSession {
  std::string influencer;  // the signed-in creator
  std::string hash;        // the session, as stored (SHA-256 of the cookie's secret)
  std::string csrf;        // the token its changes must carry
};

// Whether a browser request comes from a page of this server's own origin:
// Sec-Fetch-Site, when sent, is same-origin (or none: typed or bookmarked),
// and Origin, when sent, is this Host's. Non-browser clients send neither.
bool from_same_origin(const httplib::Request& req);

// One call as its handler gets it.
struct Call {
  const httplib::Request& req;
  httplib::Response& res;
  std::string client;           // the client's address (X-Forwarded-For only from a trusted proxy)
  VerifiedSignature signature;  // Auth::Signed: the verified signature
  CreatorSession creator;       // Auth::Creator: the signed-in creator
  // The path's n-th regex capture (1 = the first).
  std::string capture(std::size_t n) const { return n < req.matches.size() ? std::string(req.matches[n]) : std::string(); }
};

using Handler = std::function<void(Call&)>;

struct Route {
  Method method;
  std::string path;  // a regular expression, as cpp-httplib matches it (whole path)
  Auth auth;
  Cors cors;
  BodyLimit body;
  Accepts accepts;
  Handler handler;
  // A VouchException a handler throws answers 400, unless its code is listed here.
  std::vector<std::pair<std::string, int>> statuses = {};
};

// What the guards need: the shops' origins, the admin token, the webhook
// secret, the trusted proxies and the buckets that count wrong admin tokens.
struct HttpPolicy {
  std::vector<std::string> allowed_origins;
  std::string admin_token;
  double admin_failures_per_minute = 10;
  std::string webhook_secret;
  std::vector<std::string> trusted_proxies;
  TokenBuckets* buckets = nullptr;
  std::size_t max_body_bytes = 64u << 10;  // of any request no route matches
  bool access_log = true;
  std::function<void(const nlohmann::json&)> log;
  // Auth::Creator: the live session of the request's portal cookie, if any.
  std::function<std::optional<CreatorSession>(const httplib::Request&)> creator_session;
};

// Puts the routes on `svr` (in table order: the first match wins), their
// preflights, the body limits (before a body is read), and the server's
// error, exception and access-log handlers.
void install_routes(httplib::Server& svr, std::vector<Route> routes, HttpPolicy policy);

}  // namespace vouch::server
