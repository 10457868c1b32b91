#include "server.hpp"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <cmath>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "admin_views.hpp"
#include "attribution/attribution.hpp"
#include "common/json_input.hpp"
#include "events.hpp"
#include "first_party.hpp"
#include "http_responses.hpp"
#include "mailer.hpp"
#include "rate_limit.hpp"
#include "review_requests.hpp"
#include "reviews.hpp"
#include "feed/review_submission.hpp"
#include "static_files.hpp"
#include "storefront_documents.hpp"
#include "storefront_routes.hpp"
#include "feed/feed_write.hpp"
#include "task_queue.hpp"
#include "crypto.hpp"
#include "webhook_signature.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

// Far enough in the future for "no upper bound" (year 9999).
constexpr Timestamp kEndOfTime = 253402300799;

Timestamp unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Unix time with the fraction, for the rate limits' buckets.
double unix_now_precise() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The dashboard's pages: nothing but its own files, never in a frame. The
// find page compiles the wasm engine ('wasm-unsafe-eval'); the favicon is a
// data: URL.
constexpr const char* kAdminContentSecurityPolicy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

std::mutex& log_mutex() {
  static std::mutex m;
  return m;
}

// One JSON line on stderr per event worth logging.
void log_line(const json& line) {
  std::string text = line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  std::lock_guard lock(log_mutex());
  std::cerr << text << std::flush;
}

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

// "2026-10-01", "2026-10-01T00:00:00Z" or absent.
std::optional<Timestamp> parse_bound(const std::string& text) {
  if (auto t = parse_rfc3339(text)) return t;
  return parse_date(text);
}

thread_local std::chrono::steady_clock::time_point t_request_start;

// The attribution window in days (window_days of --config, default 30).
int attribution_window_days(const json& config) {
  if (config.is_object() && config.contains("window_days") && config["window_days"].is_number())
    return static_cast<int>(std::clamp<long long>(std::llround(config["window_days"].get<double>()), 0, 36500));
  return 30;
}

class Routes {
 public:
  Routes(const ServerConfig& config, FeedSource& feed, Store& store, StorefrontDocuments& documents,
         std::string review_token_secret)
      : config_(config),
        feed_(feed),
        store_(store),
        documents_(documents),
        storefront_(feed, documents, [this](const httplib::Request& req, httplib::Response& res) {
          return require_admin(req, res);
        }),
        static_files_(config.web_root),
        buckets_(store.rate_buckets()),
        reviews_(feed, store, documents, std::move(review_token_secret), store.rate_buckets(), config.reviews_per_minute,
                 [this](const httplib::Request& req, httplib::Response& res) { return allow_origin(req, res, true); },
                 [this](const httplib::Request& req) { return client_of(req); },
                 PhotoLimits{config.max_photo_bytes}),
        platforms_(config.platforms, feed, store, log_line,
                   [this](const httplib::Request& req, httplib::Response& res) { return require_admin(req, res); }) {}

  void install(httplib::Server& svr);
  const StaticFiles& static_files() const { return static_files_; }

 private:
  // CORS: same-origin and the configured shop origins. Returns false (and
  // answers 403) when a browser on another origin asks.
  bool allow_origin(const httplib::Request& req, httplib::Response& res, bool reject);
  // The admin token; wrong tokens are counted per client address, and an
  // address that sent too many gets 429 before its token is even compared.
  bool require_admin(const httplib::Request& req, httplib::Response& res);
  std::string client_of(const httplib::Request& req) const;
  IngestRules ingest_rules() const;
  // Signature and body of a webhook delivery; false after answering.
  bool verify_webhook(const httplib::Request& req, httplib::Response& res, const char* what, nlohmann::json& body,
                      VerifiedSignature& verified, Timestamp now);

  void post_events(const httplib::Request& req, httplib::Response& res);
  void post_orders(const httplib::Request& req, httplib::Response& res);
  void post_review(const httplib::Request& req, httplib::Response& res) { reviews_.post_review(req, res); }
  void post_photo(const httplib::Request& req, httplib::Response& res) { reviews_.post_photo(req, res); }
  void get_review_requests(const httplib::Request& req, httplib::Response& res);
  void review_settings(const httplib::Request& req, httplib::Response& res);
  void post_review_requests_send(const httplib::Request& req, httplib::Response& res);
  // ?delay_days= (0..365, default 14); false after answering 400.
  bool review_request_options(const httplib::Request& req, httplib::Response& res, ReviewRequestOptions& options);
  void get_photo(const httplib::Request& req, httplib::Response& res) { reviews_.get_photo(req, res); }
  void post_refunds(const httplib::Request& req, httplib::Response& res);
  void get_report(const httplib::Request& req, httplib::Response& res);
  void get_summary(const httplib::Request& req, httplib::Response& res);
  void get_events(const httplib::Request& req, httplib::Response& res);
  void get_moderation(const httplib::Request& req, httplib::Response& res);
  void post_moderation(const httplib::Request& req, httplib::Response& res);
  void get_timeseries(const httplib::Request& req, httplib::Response& res);
  void get_install(const httplib::Request& req, httplib::Response& res);
  void post_reveal_webhook_secret(const httplib::Request& req, httplib::Response& res);
  // The [from, to) of ?from=&to= (dates or RFC 3339); false after answering 400.
  bool parse_range(const httplib::Request& req, httplib::Response& res, const char* code, Timestamp& from,
                   Timestamp& to);
  void get_static(const httplib::Request& req, httplib::Response& res);

  const ServerConfig& config_;
  FeedSource& feed_;
  Store& store_;
  StorefrontDocuments& documents_;
  StorefrontRoutes storefront_;
  StaticFiles static_files_;
  TokenBuckets& buckets_;  // the store's (per instance on SQLite, shared on PostgreSQL)
  ReviewRoutes reviews_;
  PlatformWebhooks platforms_;
};

bool Routes::allow_origin(const httplib::Request& req, httplib::Response& res, bool reject) {
  if (!req.has_header("Origin")) return true;  // not a browser cross-origin request
  std::string origin = req.get_header_value("Origin");
  res.set_header("Vary", "Origin");
  std::string host = req.get_header_value("Host");
  bool same_origin = origin == "http://" + host || origin == "https://" + host;
  bool listed = std::find(config_.allowed_origins.begin(), config_.allowed_origins.end(), origin) !=
                config_.allowed_origins.end();
  if (listed) res.set_header("Access-Control-Allow-Origin", origin);
  if (same_origin || listed) return true;
  if (reject) send_error(res, 403, "cors.origin_not_allowed", "the origin " + origin + " is not allowed; start the server with --allow-origin " + origin);
  return !reject;
}

std::string Routes::client_of(const httplib::Request& req) const {
  return client_address(req.remote_addr, req.get_header_value("X-Forwarded-For"), config_.trusted_proxies);
}

IngestRules Routes::ingest_rules() const {
  IngestRules rules;
  rules.currency = feed_.current()->feed.store.currency;
  rules.now = unix_now();
  return rules;
}

bool Routes::require_admin(const httplib::Request& req, httplib::Response& res) {
  std::string header = req.get_header_value("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.rfind(kBearer, 0) != 0) {
    res.set_header("WWW-Authenticate", "Bearer");
    send_error(res, 401, "auth.missing_token", "this endpoint needs the header Authorization: Bearer <admin token>");
    return false;
  }
  std::vector<Charge> failure = {{"admin:" + client_of(req), 1, config_.admin_failures_per_minute}};
  if (Wait wait = buckets_.wait(failure, unix_now_precise()); wait.seconds > 0) {
    res.set_header("Retry-After", std::to_string(wait.seconds));
    send_error(res, 429, "auth.too_many_attempts",
               "too many wrong admin tokens from this address; retry after " + std::to_string(wait.seconds) +
                   " seconds");
    return false;
  }
  if (!constant_time_equal(header.substr(kBearer.size()), config_.admin_token)) {
    buckets_.take(failure, unix_now_precise());
    res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    send_error(res, 401, "auth.invalid_token", "the admin token is wrong");
    return false;
  }
  return true;
}

void Routes::post_events(const httplib::Request& req, httplib::Response& res) {
  if (!allow_origin(req, res, true)) return;
  std::string type = req.get_header_value("Content-Type");
  if (!type.empty() && type.rfind("application/json", 0) != 0 && type.rfind("text/plain", 0) != 0) {
    send_error(res, 415, "request.unsupported_media_type", "send the batch as application/json (or text/plain for sendBeacon)");
    return;
  }
  if (req.body.size() > config_.max_body_bytes) {
    send_error(res, 413, "events.too_large", "a batch may be at most " + std::to_string(config_.max_body_bytes) + " bytes");
    return;
  }
  json batch;
  try {
    batch = parse_json_input(req.body, "events", {config_.max_body_bytes, 16});
  } catch (const VouchException& e) {
    send_error(res, 400, e.error());
    return;
  }
  if (!batch.is_object() || !batch.contains("events") || !batch["events"].is_array()) {
    send_error(res, 400, "events.invalid_batch", "the body must be {\"events\": [...]}", "/events");
    return;
  }
  const json& events = batch["events"];
  if (events.size() > config_.max_events_per_batch) {
    send_error(res, 413, "events.too_many",
               "a batch may hold at most " + std::to_string(config_.max_events_per_batch) + " events, got " +
                   std::to_string(events.size()),
               "/events");
    return;
  }
  IngestRules rules = ingest_rules();
  ValidatedBatch validated = validate_batch(events, rules);
  std::map<std::string, int> by_visitor;
  for (const auto& e : validated.accepted) ++by_visitor[e.visitor];
  std::vector<Charge> charges =
      ingest_charges(config_.limits, by_visitor, client_of(req), static_cast<int>(events.size()));
  if (Wait wait = buckets_.take(charges, unix_now_precise()); wait.seconds > 0) {
    std::string who = wait.key.rfind("visitor:", 0) == 0   ? "this visitor"
                      : wait.key.rfind("address:", 0) == 0 ? "this address"
                                                            : "all clients together";
    res.set_header("Retry-After", std::to_string(wait.seconds));
    send_error(res, 429, "events.rate_limited",
               "too many events from " + who + "; retry after " + std::to_string(wait.seconds) + " seconds");
    return;
  }
  PageOfRequest page = page_of_request(req.get_header_value("Origin"), req.get_header_value("Referer"));
  // committed before we answer
  std::vector<std::string> created = store_.insert_events(validated.accepted, rules.now, {page.origin, page.path});
  json accepted = json::array(), rejected = json::array();
  for (const auto& e : validated.accepted) accepted.push_back(e.id);
  for (const auto& r : validated.rejected)
    rejected.push_back({{"id", r.id}, {"index", r.index}, {"code", r.error.code}, {"path", r.error.path},
                        {"message", r.error.message}});
  json answer = {{"accepted", accepted}, {"rejected", rejected}};
  // The browser that reported an order first gets its review token (docs/server.md, "Review tokens").
  if (!created.empty()) {
    json tokens = json::array();
    for (const auto& e : validated.accepted)
      if (e.order && std::find(created.begin(), created.end(), e.order->order_id) != created.end()) {
        std::vector<std::string> products = order_product_ids(e.order->order);
        tokens.push_back({{"order_id", e.order->order_id},
                          {"products", products},
                          {"token", review_token(reviews_.token_secret(), e.order->order_id, products)}});
      }
    answer["review_tokens"] = tokens;
  }
  send_json(res, 200, answer);
}

bool Routes::verify_webhook(const httplib::Request& req, httplib::Response& res, const char* what, json& body,
                            VerifiedSignature& verified, Timestamp now) {
  if (auto error = verify_webhook_signature(req.get_header_value("X-Vouch-Signature"), req.body,
                                            config_.webhook_secret, now, verified)) {
    send_error(res, 401, *error);
    return false;
  }
  try {
    body = parse_json_input(req.body, what, {config_.max_body_bytes, 16});
  } catch (const VouchException& e) {
    send_error(res, 400, e.error());
    return false;
  }
  return true;
}

void Routes::post_orders(const httplib::Request& req, httplib::Response& res) {
  IngestRules rules = ingest_rules();
  VerifiedSignature verified;
  json body;
  if (!verify_webhook(req, res, "order", body, verified, rules.now)) return;
  OrderRecord order;
  try {
    order = validate_server_order(body, rules);
  } catch (const VouchException& e) {
    send_error(res, 400, e.error());
    return;
  }
  OrderOutcome outcome = store_.insert_server_order(order, verified.signature, verified.signed_at, rules.now);
  static const std::map<OrderOutcome, std::string> kNames = {{OrderOutcome::Created, "created"},
                                                              {OrderOutcome::ReplacedBrowser, "replaced_browser"},
                                                              {OrderOutcome::Duplicate, "duplicate"}};
  if (outcome == OrderOutcome::Replayed) {
    send_error(res, 409, "webhook.replayed", "this signed delivery was already received");
    return;
  }
  json answer = {{"order_id", order.order_id}, {"result", kNames.at(outcome)}};
  // The store's backend puts the review link in its own follow-up e-mail.
  if (outcome != OrderOutcome::Duplicate)
    answer["review_token"] = review_token(reviews_.token_secret(), order.order_id, order_product_ids(order.order));
  send_json(res, 200, answer);
}

void Routes::post_refunds(const httplib::Request& req, httplib::Response& res) {
  IngestRules rules = ingest_rules();
  VerifiedSignature verified;
  json body;
  if (!verify_webhook(req, res, "refund", body, verified, rules.now)) return;
  RefundRecord refund;
  try {
    refund = validate_refund(body, rules);
  } catch (const VouchException& e) {
    send_error(res, 400, e.error());
    return;
  }
  OrderOutcome outcome = store_.insert_refund(refund, verified.signature, verified.signed_at, rules.now);
  if (outcome == OrderOutcome::Replayed) {
    send_error(res, 409, "webhook.replayed", "this signed delivery was already received");
    return;
  }
  send_json(res, 200, {{"refund_id", refund.refund_id},
                       {"order_id", refund.order_id},
                       {"result", outcome == OrderOutcome::Created ? "created" : "duplicate"}});
}

void Routes::get_report(const httplib::Request& req, httplib::Response& res) {
  if (!require_admin(req, res)) return;
  Timestamp from, to;
  if (!parse_range(req, res, "report.invalid_range", from, to)) return;
  json config = config_.attribution_config.is_object() ? config_.attribution_config : json::object();
  // Orders placed in [from, to) may be credited to touches up to the
  // attribution window before `from`, and refunds in the range refund orders
  // placed before it: the engine sees those too, and counts only the range.
  long long window_days = attribution_window_days(config);
  Timestamp touches_from = std::max<Timestamp>(0, from - window_days * kSecondsPerDay);
  json touches = store_.touches_between(touches_from, to);
  json orders = store_.orders_between(from, to);
  json refunds = store_.refunds_between(from, to);
  std::vector<std::string> earlier;
  std::set<std::string> in_range;
  for (const auto& o : orders)
    if (o.is_object() && o.contains("order_id") && o["order_id"].is_string()) in_range.insert(o["order_id"].get<std::string>());
  for (const auto& r : refunds)
    if (r.is_object() && r.contains("refund_of") && r["refund_of"].is_string() && !in_range.count(r["refund_of"].get<std::string>()))
      earlier.push_back(r["refund_of"].get<std::string>());
  json all = store_.orders_with_ids(earlier);
  for (auto& o : orders) all.push_back(std::move(o));
  for (auto& r : refunds) all.push_back(std::move(r));
  if (from > 0) config["from"] = format_rfc3339(from);
  if (to < kEndOfTime) config["to"] = format_rfc3339(to - 1);  // the engine's range is inclusive
  // Commission is owed on the store's own (verified) orders once it sends any.
  if (!config.contains("commission_basis") && store_.has_server_orders()) config["commission_basis"] = "verified";
  auto snapshot = feed_.current();
  try {
    send_json(res, 200, report_json(snapshot->feed, touches, all, config));
  } catch (const VouchException& e) {
    // Only the configuration can fail a report now (orders are listed, not fatal).
    log_line({{"level", "error"}, {"event", "report_failed"}, {"error", e.error()}});
    send_error(res, 500, e.error());
  }
}

void Routes::get_summary(const httplib::Request& req, httplib::Response& res) {
  if (!require_admin(req, res)) return;
  send_json(res, 200, store_.summary());
}

void Routes::get_events(const httplib::Request& req, httplib::Response& res) {
  if (!require_admin(req, res)) return;
  long long limit = 1000;
  try {
    if (req.has_param("limit")) limit = std::stoll(req.get_param_value("limit"));
  } catch (const std::exception&) {
    send_error(res, 400, "request.invalid_parameter", "limit must be an integer");
    return;
  }
  limit = std::clamp(limit, 1LL, 10000LL);
  json page;
  try {
    page = store_.events_after(req.get_param_value("after"), static_cast<int>(limit));
  } catch (const std::invalid_argument& e) {
    send_error(res, 400, "request.invalid_parameter", e.what());
    return;
  }
  send_json(res, 200, page);
}

void Routes::get_moderation(const httplib::Request& req, httplib::Response& res) {
  if (!require_admin(req, res)) return;
  std::map<std::string, ModerationDecision> decided;
  json decisions = json::array();
  for (auto& d : store_.moderation_decisions()) {
    decisions.push_back({{"ugc", d.ugc}, {"status", d.status}, {"decided_at", format_rfc3339(d.decided_at)}});
    decided[d.ugc] = d;
  }
  // The feed's statuses have the decisions applied already (FeedSource);
  // `decided` also covers a decision recorded since, not yet applied.
  auto snapshot = feed_.current();
  json pending = json::array();
  std::size_t total = 0;
  for (const Ugc& u : snapshot->feed.ugc) {
    auto it = decided.find(u.id);
    std::string status = it != decided.end() ? it->second.status : std::string(to_string(u.status));
    if (status != "pending") continue;
    ++total;
    if (pending.size() < 200) {
      json shown = to_json(u);
      shown["status"] = status;
      shown["moderation"] = moderation_verdict(shown);
      pending.push_back(shown);
    }
  }
  json log = json::array();
  for (auto& d : store_.moderation_log(200))
    log.push_back({{"ugc", d.ugc}, {"status", d.status}, {"decided_at", format_rfc3339(d.decided_at)}});
  send_json(res, 200, {{"pending", pending}, {"total_pending", total}, {"decisions", decisions}, {"log", log}});
}

void Routes::post_moderation(const httplib::Request& req, httplib::Response& res) {
  if (!require_admin(req, res)) return;
  json body;
  try {
    body = parse_json_input(req.body, "moderation", {config_.max_body_bytes, 8});
  } catch (const VouchException& e) {
    send_error(res, 400, e.error());
    return;
  }
  if (!body.is_object() || !body.contains("ugc") || !body["ugc"].is_string()) {
    send_error(res, 400, "moderation.invalid_request", "the body must be {\"ugc\": ID, \"status\": STATUS}", "/ugc");
    return;
  }
  std::string status = body.value("status", std::string());
  if (status != "published" && status != "pending" && status != "rejected") {
    send_error(res, 400, "moderation.invalid_status", "status must be one of published, pending, rejected", "/status");
    return;
  }
  std::string ugc = body["ugc"].get<std::string>();
  auto snapshot = feed_.current();
  bool known = std::any_of(snapshot->feed.ugc.begin(), snapshot->feed.ugc.end(),
                           [&](const Ugc& u) { return u.id == ugc; });
  if (!known) {
    send_error(res, 404, "moderation.unknown_ugc", "the feed has no UGC item " + quote_for_message(ugc), "/ugc");
    return;
  }
  ModerationDecision decision{ugc, status, unix_now()};
  store_.decide_moderation(decision);
  documents_.poke();  // the public documents follow within the build's time
  send_json(res, 200, {{"ugc", ugc}, {"status", status}, {"decided_at", format_rfc3339(decision.decided_at)}});
}

bool Routes::parse_range(const httplib::Request& req, httplib::Response& res, const char* code, Timestamp& from,
                         Timestamp& to) {
  from = 0;
  to = kEndOfTime;
  for (auto [name, bound] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
    if (!req.has_param(name)) continue;
    auto t = parse_bound(req.get_param_value(name));
    if (!t) {
      send_error(res, 400, code, std::string(name) + " must be a date (2026-10-01) or an RFC 3339 time");
      return false;
    }
    *bound = *t;
  }
  if (from > to) {
    send_error(res, 400, code, "from must not be after to");
    return false;
  }
  return true;
}

void Routes::get_timeseries(const httplib::Request& req, httplib::Response& res) {
  if (!require_admin(req, res)) return;
  Timestamp from, to;
  if (!parse_range(req, res, "timeseries.invalid_range", from, to)) return;
  auto snapshot = feed_.current();
  send_json(res, 200, orders_per_day(store_.orders_between(from, to), from, to, snapshot->feed.store.currency));
}

void Routes::get_install(const httplib::Request& req, httplib::Response& res) {
  if (!require_admin(req, res)) return;
  Timestamp now = unix_now();
  json origins = json::array();
  for (const auto& origin : config_.allowed_origins) origins.push_back(origin);
  send_json(res, 200, {{"now", format_rfc3339(now)},
                       {"sightings", store_.page_sightings(now - 7 * kSecondsPerDay, 50)},
                       {"allowed_origins", origins},
                       {"webhook_secret_revealed", store_.claimed("webhook_secret_shown")}});
}

// GET or POST /v1/admin/review-settings {"auto_publish": bool}.
void Routes::review_settings(const httplib::Request& req, httplib::Response& res) {
  if (!require_admin(req, res)) return;
  if (req.method == "POST") {
    json body = json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("auto_publish") || !body["auto_publish"].is_boolean()) {
      send_error(res, 400, "review_settings.invalid", "the body must be {\"auto_publish\": true or false}", "/auto_publish");
      return;
    }
    store_.set_reviews_auto_publish(body["auto_publish"].get<bool>());
  }
  send_json(res, 200, {{"auto_publish", store_.reviews_auto_publish()}});
}

bool Routes::review_request_options(const httplib::Request& req, httplib::Response& res,
                                    ReviewRequestOptions& options) {
  if (!req.has_param("delay_days")) return true;
  std::string text = req.get_param_value("delay_days");
  bool digits = !text.empty() && text.size() <= 3 && std::all_of(text.begin(), text.end(), ::isdigit);
  if (!digits || std::stoi(text) > 365) {
    send_error(res, 400, "review_requests.invalid_delay", "delay_days must be a whole number of days from 0 to 365");
    return false;
  }
  options.delay_days = std::stoi(text);
  return true;
}

void Routes::get_review_requests(const httplib::Request& req, httplib::Response& res) {
  if (!require_admin(req, res)) return;
  ReviewRequestOptions options;
  if (!review_request_options(req, res, options)) return;
  auto snapshot = feed_.current();
  json requests = review_requests(store_, snapshot->feed, reviews_.token_secret(), unix_now(), options);
  res.set_header("Cache-Control", "private, no-store");
  if (req.get_param_value("format") == "csv") {
    res.set_header("Content-Disposition", "attachment; filename=\"review-requests.csv\"");
    res.status = 200;
    res.set_content(review_requests_csv(requests), "text/csv; charset=utf-8");
    return;
  }
  send_json(res, 200, requests);
}

// Sends the due requests to the store's mailer as one signed JSON POST (the
// same X-Vouch-Signature scheme as the orders webhook, with the webhook
// secret), and answers what the mailer said.
void Routes::post_review_requests_send(const httplib::Request& req, httplib::Response& res) {
  if (!require_admin(req, res)) return;
  ReviewRequestOptions options;
  if (!review_request_options(req, res, options)) return;
  json body = json::parse(req.body, nullptr, false);
  std::string url = body.is_object() && body.contains("url") && body["url"].is_string() ? body["url"].get<std::string>() : "";
  if (!is_mailer_url(url)) {
    send_error(res, 400, "review_requests.invalid_url", "url must be the mailer's http(s) URL", "/url");
    return;
  }
  auto snapshot = feed_.current();
  Timestamp now = unix_now();
  json requests = review_requests(store_, snapshot->feed, reviews_.token_secret(), now, options);
  MailerAnswer answer = post_to_mailer(url, requests.dump(), config_.webhook_secret, now);
  if (answer.status == 0) {
    send_error(res, 502, "review_requests.mailer_unreachable",
               "the mailer at " + answer.origin + " could not be reached (" + answer.problem + ")");
    return;
  }
  send_json(res, 200, {{"mailer_status", answer.status}, {"requests", requests["requests"].size()}});
}

void Routes::post_reveal_webhook_secret(const httplib::Request& req, httplib::Response& res) {
  if (!require_admin(req, res)) return;
  // Once per database, whichever instance is asked (docs/dashboard.md).
  if (!store_.claim_once("webhook_secret_shown")) {
    send_error(res, 410, "install.secret_already_shown",
               "the webhook secret was already shown once; set your own with --webhook-secret / "
               "VOUCH_WEBHOOK_SECRET (and give it to the store's backend)");
    return;
  }
  res.set_header("Cache-Control", "no-store");
  send_json(res, 200, {{"webhook_secret", config_.webhook_secret}});
}

void Routes::get_static(const httplib::Request& req, httplib::Response& res) {
  // A shop on another origin (--allow-origin) imports the widget, its worker
  // and the engine with CORS (module scripts, the wasm fetch).
  allow_origin(req, res, false);
  if (req.path == "/admin" || req.path.rfind("/admin/", 0) == 0) {
    res.set_header("Content-Security-Policy", kAdminContentSecurityPolicy);
    res.set_header("X-Frame-Options", "DENY");
  }
  std::shared_ptr<const StaticFile> file;
  std::string location;
  switch (static_files_.find(req.path, file, location)) {
    case StaticFiles::Result::Redirect:
      res.set_redirect(location, 301);
      return;
    case StaticFiles::Result::NotFound:
      send_error(res, 404, "http.not_found", "nothing is served at this path");
      return;
    case StaticFiles::Result::Found:
      break;
  }
  res.set_header("ETag", file->etag);
  res.set_header("Cache-Control", file->cache_control);
  res.set_header("Vary", "Accept-Encoding");
  if (etag_matches(req.get_header_value("If-None-Match"), file->etag)) {
    res.status = 304;
    return;
  }
  res.status = 200;
  if (!file->gzip_body.empty() && req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos) {
    res.set_header("Content-Encoding", "gzip");
    res.set_content(file->gzip_body, file->content_type);
  } else {
    res.set_content(file->body, file->content_type);
  }
}

void Routes::install(httplib::Server& svr) {
  auto guard = [](httplib::Server::Handler handler) -> httplib::Server::Handler {
    return [handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
      try {
        handler(req, res);
      } catch (const StoreError& e) {
        log_line({{"level", "error"}, {"event", "store_error"}, {"full", e.full}, {"message", e.what()}});
        if (e.full) {
          res.set_header("Retry-After", "60");
          send_error(res, 503, "store.full", "the database is full; nothing of this request was stored; retry later");
        } else {
          res.set_header("Retry-After", "1");
          send_error(res, 503, "store.unavailable", "the database is unavailable; retry later");
        }
      }
    };
  };
  auto guarded = [this, guard](void (Routes::*handler)(const httplib::Request&, httplib::Response&)) {
    return guard([this, handler](const httplib::Request& req, httplib::Response& res) { (this->*handler)(req, res); });
  };
  svr.Get("/v1/health", [](const httplib::Request&, httplib::Response& res) { send_json(res, 200, {{"status", "ok"}}); });
  svr.Post("/v1/events", guarded(&Routes::post_events));
  svr.Post("/v1/orders", guarded(&Routes::post_orders));
  svr.Post("/v1/refunds", guarded(&Routes::post_refunds));
  svr.Get("/v1/reports/influencers", guarded(&Routes::get_report));
  svr.Get("/v1/admin/events/summary", guarded(&Routes::get_summary));
  svr.Get("/v1/admin/events", guarded(&Routes::get_events));
  svr.Get("/v1/admin/moderation", guarded(&Routes::get_moderation));
  svr.Post("/v1/admin/moderation", guarded(&Routes::post_moderation));
  svr.Get("/v1/admin/timeseries", guarded(&Routes::get_timeseries));
  svr.Get("/v1/admin/install", guarded(&Routes::get_install));
  svr.Post("/v1/admin/install/webhook-secret", guarded(&Routes::post_reveal_webhook_secret));
  auto preflight = [this](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_header("Origin")) {
      res.status = 204;
      return;
    }
    if (!allow_origin(req, res, true)) return;
    res.status = 204;
    res.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    res.set_header("Access-Control-Allow-Headers", "Content-Type");
    res.set_header("Access-Control-Max-Age", "600");
  };
  svr.Options("/v1/events", preflight);
  svr.Options("/v1/reviews", preflight);
  svr.Post("/v1/reviews", guarded(&Routes::post_review));
  svr.Get("/v1/admin/review-requests", guarded(&Routes::get_review_requests));
  svr.Get("/v1/admin/review-settings", guarded(&Routes::review_settings));
  svr.Post("/v1/admin/review-settings", guarded(&Routes::review_settings));
  svr.Post("/v1/admin/review-requests/send", guarded(&Routes::post_review_requests_send));
  svr.Options("/v1/reviews/photos", preflight);
  svr.Post("/v1/reviews/photos", guarded(&Routes::post_photo));
  svr.Get(R"(/v1/photos/([^/]+))", guarded(&Routes::get_photo));
  storefront_.install(svr);
  install_first_party_routes(svr, {attribution_window_days(config_.attribution_config), config_.trusted_proxies, unix_now});
  platforms_.install(svr, guard);
  svr.Get("/.*", guarded(&Routes::get_static));

  svr.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    t_request_start = std::chrono::steady_clock::now();
    res.set_header("X-Content-Type-Options", "nosniff");
    // The payload limit is the photos' (10 MB); every other body (but the
    // platforms' webhooks, which check their own) is refused
    // above max_body_bytes before it is read, when Content-Length says so.
    if (req.path != "/v1/reviews/photos" && !PlatformWebhooks::takes_large_bodies(req.path) &&
        req.has_header("Content-Length")) {
      std::uint64_t length = 0;
      try {
        length = std::stoull(req.get_header_value("Content-Length"));
      } catch (const std::exception&) {
        length = UINT64_MAX;
      }
      if (length > config_.max_body_bytes) {
        res.set_header("Connection", "close");
        send_error(res, 413, "request.too_large", message_for_status(413));
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty() && res.status != 304)
      send_error(res, res.status, code_for_status(res.status), message_for_status(res.status));
  });
  svr.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log_line({{"level", "error"}, {"event", "exception"}, {"path", req.path}, {"message", what}});
    send_error(res, 500, "internal.error", "the server could not handle this request");
  });
  if (config_.access_log)
    svr.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_request_start).count();
      log_line({{"time", format_rfc3339(unix_now())},
                {"method", req.method},
                {"path", req.path},
                {"status", res.status},
                {"bytes", res.body.size()},
                {"ms", std::round(ms * 1000) / 1000},
                {"remote", req.remote_addr}});
    });
}

}  // namespace

// Retention: raw events received, and touches that happened, more than
// `days` ago are deleted, a few thousand rows a tick (so a backlog never
// holds the write lock for long), then again an hour later.
static void prune_raw_events(Store& store, int days, Timestamp& next_prune) {
  Timestamp now = unix_now();
  if (days <= 0 || now < next_prune) return;
  constexpr int kRowsPerTick = 2000;
  try {
    Timestamp cutoff = now - static_cast<Timestamp>(days) * kSecondsPerDay;
    std::int64_t deleted = store.prune(cutoff, cutoff, kRowsPerTick);
    if (deleted > 0) log_line({{"level", "info"}, {"event", "retention_pruned"}, {"rows", deleted}});
    if (deleted < kRowsPerTick) next_prune = now + 3600;
  } catch (const StoreError& e) {
    log_line({{"level", "error"}, {"event", "store_error"}, {"message", e.what()}});
    next_prune = now + 60;
  }
}

int serve(const ServerConfig& config, FeedSource& feed, Store& store,
          const std::function<void(const std::string& base_url)>& banner) {
  // Signals are taken by one housekeeping thread (sigtimedwait), never by an
  // async handler: block them before any thread starts so all inherit it.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  // The moderation decisions go into the feed before anything is served;
  // the public documents are built in the background (503 until the first set).
  feed.set_moderation([&store] { return store.moderation_version(); },
                      [&store] { return store.moderation_decisions(); },
                      [&store] { return store.submitted_reviews(); });
  feed.refresh_moderation();
  StorefrontDocuments documents(feed, config.document_threads, log_line);
  documents.start(unix_now);
  documents.poke();

  httplib::Server svr;
  // Review tokens are keyed with the webhook secret: every instance agrees on
  // it, and the store's backend, which holds it, can make review links itself.
  Routes routes(config, feed, store, documents, config.webhook_secret);
  routes.install(svr);
  svr.new_task_queue = [&config] { return new BoundedTaskQueue(config.threads, config.max_queued_connections); };
  svr.set_payload_max_length(std::max(config.max_body_bytes, config.max_photo_bytes + 1024));
  svr.set_read_timeout(config.read_timeout_seconds, 0);
  svr.set_write_timeout(config.write_timeout_seconds, 0);
  svr.set_keep_alive_timeout(config.keep_alive_seconds);
  svr.set_keep_alive_max_count(100);

  int port = config.port;
  if (port == 0) {
    port = svr.bind_to_any_port(config.host);
    if (port < 0) port = 0;
  } else if (!svr.bind_to_port(config.host, port)) {
    port = 0;
  }
  if (port == 0) {
    std::cerr << "vouch serve: cannot listen on " << config.host << ":" << config.port
              << " (address in use or not available)\n";
    return 1;
  }
  std::string host = config.host.find(':') != std::string::npos ? "[" + config.host + "]" : config.host;
  banner("http://" + host + ":" + std::to_string(port));
  if (routes.static_files().root().empty())
    log_line({{"level", "warning"}, {"event", "no_static_files"}, {"message", "no web/ folder found; static routes answer 404 (use --static DIR)"}});

  std::atomic<bool> stopping = false;
  Timestamp next_prune = 0;
  std::thread housekeeping([&] {
    timespec tick{1, 0};
    while (!stopping) {
      int sig = sigtimedwait(&signals, nullptr, &tick);
      bool force = sig == SIGHUP;
      if (sig == SIGTERM || sig == SIGINT) {
        log_line({{"level", "info"}, {"event", "shutdown"}, {"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
        stopping = true;
        svr.stop();
        break;
      }
      bool reloaded = false;
      auto errors = feed.reload(force, reloaded);
      if (!errors.empty())
        log_line({{"level", "error"}, {"event", "feed_reload_rejected"}, {"path", feed.path()},
                  {"message", "the new feed is invalid; still serving the last good feed"}, {"errors", errors}});
      else if (reloaded)
        log_line({{"level", "info"}, {"event", "feed_reloaded"}, {"path", feed.path()}});
      store.rate_buckets().prune(unix_now_precise());
      prune_raw_events(store, config.retention_days, next_prune);
    }
  });

  bool ok = svr.listen_after_bind();  // returns once stopped and the workers have finished
  stopping = true;
  housekeeping.join();
  documents.stop();
  stop_photo_library();
  log_line({{"level", "info"}, {"event", "stopped"}});
  return ok || !svr.is_running() ? 0 : 1;
}

}  // namespace vouch::server
