// The dashboard's figures and settings (docs/dashboard.md): the influencer
// report, event counts, the orders chart, the install check, the review
// settings and review requests.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "admin_views.hpp"
#include "attribution/attribution.hpp"
#include "backend.hpp"
#include "clock.hpp"
#include "http_responses.hpp"
#include "mailer.hpp"
#include "review_requests.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

// Far enough in the future for "no upper bound" (year 9999).
constexpr Timestamp kEndOfTime = 253402300799;


// The [from, to) of ?from=&to= ("2026-10-01", "2026-10-01T00:00:00Z" or
// absent); throws 400 with `code`.
std::pair<Timestamp, Timestamp> date_range(const httplib::Request& req, const char* code) {
  Timestamp from = 0, to = kEndOfTime;
  for (auto [name, bound] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
    if (!req.has_param(name)) continue;
    std::string text = req.get_param_value(name);
    auto t = parse_rfc3339(text);
    if (!t) t = parse_date(text);
    if (!t) throw HttpError(400, code, std::string(name) + " must be a date (2026-10-01) or an RFC 3339 time");
    *bound = *t;
  }
  if (from > to) throw HttpError(400, code, "from must not be after to");
  return {from, to};
}

// Orders placed in [from, to) may be credited to touches up to the
// attribution window before `from`, and refunds in the range refund orders
// placed before it: the engine sees those too, and counts only the range.
json report_inputs(Store& store, Timestamp from, Timestamp to, long long window_days, json& touches) {
  Timestamp touches_from = std::max<Timestamp>(0, from - window_days * kSecondsPerDay);
  touches = store.touches_between(touches_from, to);
  json orders = store.orders_between(from, to);
  json refunds = store.refunds_between(from, to);
  std::vector<std::string> earlier;
  std::set<std::string> in_range;
  for (const auto& o : orders)
    if (o.is_object() && o.contains("order_id") && o["order_id"].is_string()) in_range.insert(o["order_id"].get<std::string>());
  for (const auto& r : refunds)
    if (r.is_object() && r.contains("refund_of") && r["refund_of"].is_string() && !in_range.count(r["refund_of"].get<std::string>()))
      earlier.push_back(r["refund_of"].get<std::string>());
  json all = store.orders_with_ids(earlier);
  for (auto& o : orders) all.push_back(std::move(o));
  for (auto& r : refunds) all.push_back(std::move(r));
  return all;
}

// ?delay_days= (0..365, default 14).
ReviewRequestOptions review_request_options(const httplib::Request& req) {
  ReviewRequestOptions options;
  if (!req.has_param("delay_days")) return options;
  std::string text = req.get_param_value("delay_days");
  bool digits = !text.empty() && text.size() <= 3 && std::all_of(text.begin(), text.end(), ::isdigit);
  if (!digits || std::stoi(text) > 365)
    throw HttpError(400, "review_requests.invalid_delay", "delay_days must be a whole number of days from 0 to 365");
  options.delay_days = std::stoi(text);
  return options;
}

ProductsFeed products_feed(Backend& b) {
  return [&b](const std::vector<std::string>& ids) { return b.catalogue.with_products(ids); };
}

}  // namespace

void get_report(Backend& b, Call& call) {
  auto [from, to] = date_range(call.req, "report.invalid_range");
  json config = b.config.attribution_config.is_object() ? b.config.attribution_config : json::object();
  long long window_days = attribution_window_days(config);
  json touches;
  json orders = report_inputs(b.store, from, to, window_days, touches);
  if (from > 0) config["from"] = format_rfc3339(from);
  if (to < kEndOfTime) config["to"] = format_rfc3339(to - 1);  // the engine's range is inclusive
  // Commission is owed on the store's own (verified) orders once it sends any.
  if (!config.contains("commission_basis") && b.store.has_server_orders()) config["commission_basis"] = "verified";
  auto feed = b.catalogue.feed();
  try {
    send_json(call.res, 200, report_json(*feed, touches, orders, config));
  } catch (const VouchException& e) {
    // Only the configuration can fail a report now (orders are listed, not fatal).
    b.log({{"level", "error"}, {"event", "report_failed"}, {"error", e.error()}});
    throw HttpError(500, e.error());
  }
}

void get_summary(Backend& b, Call& call) { send_json(call.res, 200, b.store.summary()); }

// The store of record at a glance: the day the documents are built for and
// how many products are due, the store's published ratings, the catalogue's
// version, the last import, and the rows this instance has written (what a
// change costs, bench/store_db.mjs).
void get_store_status(Backend& b, Call& call) {
  Timestamp day = b.store.documents_day();
  RatingTotals ratings = b.store.rating_totals();
  auto last = b.store.last_import();
  send_json(call.res, 200,
            {{"documents", {{"day", day ? json(format_rfc3339(day)) : json(nullptr)}, {"due", b.store.due_products(day)}}},
             {"ratings", {{"sum", ratings.sum}, {"count", ratings.count}}},
             {"catalogue_version", b.store.catalogue_version()},
             {"last_import", last ? last->summary : json(nullptr)},
             {"rows_written", b.store.rows_written()}});
}

void get_events(Backend& b, Call& call) {
  long long limit = 1000;
  try {
    if (call.req.has_param("limit")) limit = std::stoll(call.req.get_param_value("limit"));
  } catch (const std::exception&) {
    throw HttpError(400, "request.invalid_parameter", "limit must be an integer");
  }
  limit = std::clamp(limit, 1LL, 10000LL);
  try {
    send_json(call.res, 200, b.store.events_after(call.req.get_param_value("after"), static_cast<int>(limit)));
  } catch (const std::invalid_argument& e) {
    throw HttpError(400, "request.invalid_parameter", e.what());
  }
}

void get_timeseries(Backend& b, Call& call) {
  auto [from, to] = date_range(call.req, "timeseries.invalid_range");
  send_json(call.res, 200, orders_per_day(b.store.orders_between(from, to), from, to, b.catalogue.shop().currency));
}

void get_install(Backend& b, Call& call) {
  Timestamp now = unix_now();
  json origins = json::array();
  for (const auto& origin : b.config.allowed_origins) origins.push_back(origin);
  send_json(call.res, 200, {{"now", format_rfc3339(now)},
                            {"sightings", b.store.page_sightings(now - 7 * kSecondsPerDay, 50)},
                            {"allowed_origins", origins},
                            {"webhook_secret_revealed", b.store.claimed("webhook_secret_shown")}});
}

void post_reveal_webhook_secret(Backend& b, Call& call) {
  // Once per database, whichever instance is asked (docs/dashboard.md).
  if (!b.store.claim_once("webhook_secret_shown"))
    throw HttpError(410, "install.secret_already_shown",
                    "the webhook secret was already shown once; set your own with --webhook-secret / "
                    "VOUCH_WEBHOOK_SECRET (and give it to the store's backend)");
  call.res.set_header("Cache-Control", "no-store");
  send_json(call.res, 200, {{"webhook_secret", b.config.webhook_secret}});
}

// GET or POST /v1/admin/review-settings {"auto_publish": bool}.
void review_settings(Backend& b, Call& call) {
  if (call.req.method == "POST") {
    json body = json::parse(call.req.body, nullptr, false);
    if (!body.is_object() || !body.contains("auto_publish") || !body["auto_publish"].is_boolean())
      throw HttpError(400, "review_settings.invalid", "the body must be {\"auto_publish\": true or false}",
                      "/auto_publish");
    b.store.set_reviews_auto_publish(body["auto_publish"].get<bool>());
  }
  send_json(call.res, 200, {{"auto_publish", b.store.reviews_auto_publish()}});
}

void get_review_requests(Backend& b, Call& call) {
  ReviewRequestOptions options = review_request_options(call.req);
  json requests = review_requests(b.store, products_feed(b), b.token_secret(), unix_now(), options);
  call.res.set_header("Cache-Control", "private, no-store");
  if (call.req.get_param_value("format") == "csv") {
    call.res.set_header("Content-Disposition", "attachment; filename=\"review-requests.csv\"");
    call.res.status = 200;
    call.res.set_content(review_requests_csv(requests), "text/csv; charset=utf-8");
    return;
  }
  send_json(call.res, 200, requests);
}

// Sends the due requests to the store's mailer as one signed JSON POST (the
// same X-Vouch-Signature scheme as the orders webhook, with the webhook
// secret), and answers what the mailer said.
void post_review_requests_send(Backend& b, Call& call) {
  ReviewRequestOptions options = review_request_options(call.req);
  json body = json::parse(call.req.body, nullptr, false);
  std::string url = body.is_object() && body.contains("url") && body["url"].is_string() ? body["url"].get<std::string>() : "";
  if (!is_mailer_url(url))
    throw HttpError(400, "review_requests.invalid_url", "url must be the mailer's http(s) URL", "/url");
  Timestamp now = unix_now();
  json requests = review_requests(b.store, products_feed(b), b.token_secret(), now, options);
  MailerAnswer answer = post_to_mailer(url, requests.dump(), b.config.webhook_secret, now);
  if (answer.status == 0)
    throw HttpError(502, "review_requests.mailer_unreachable",
                    "the mailer at " + answer.origin + " could not be reached (" + answer.problem + ")");
  send_json(call.res, 200, {{"mailer_status", answer.status}, {"requests", requests["requests"].size()}});
}

}  // namespace vouch::server
