// What browsers and the store's backend send: event batches, signed orders
// and refunds (docs/server.md, "Events", "Orders from your backend").
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "backend.hpp"
#include "clock.hpp"
#include "admin_views.hpp"
#include "input/json_input.hpp"
#include "feed/review_submission.hpp"
#include "http_responses.hpp"
#include "review_requests.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

// The browser that reported an order first gets its review token (docs/server.md, "Review tokens").
json review_tokens(const Backend& b, const ValidatedBatch& validated, const std::vector<std::string>& created) {
  json tokens = json::array();
  for (const auto& e : validated.accepted)
    if (e.order && std::find(created.begin(), created.end(), e.order->order_id) != created.end()) {
      std::vector<std::string> products = order_product_ids(e.order->order);
      tokens.push_back({{"order_id", e.order->order_id},
                        {"products", products},
                        {"token", review_token(b.token_secret(), e.order->order_id, products)}});
    }
  return tokens;
}

// The signed body as JSON (its signature was verified by the route).
json signed_body(const Backend& b, const Call& call, const char* what) {
  return parse_json_input(call.req.body, what, {b.config.max_body_bytes, 16});
}

}  // namespace

int attribution_window_days(const json& config) {
  if (config.is_object() && config.contains("window_days") && config["window_days"].is_number())
    return static_cast<int>(std::clamp<long long>(std::llround(config["window_days"].get<double>()), 0, 36500));
  return 30;
}

IngestRules Backend::ingest_rules() {
  IngestRules rules;
  rules.currency = catalogue.shop().currency;
  rules.now = unix_now();
  return rules;
}

void post_events(Backend& b, Call& call) {
  IngestRules rules = b.ingest_rules();
  ValidatedBatch validated;
  Error refused;
  if (!read_batch(call.req.body, rules, {b.config.max_body_bytes, 16, b.config.max_events_per_batch}, validated,
                  refused))
    throw HttpError(refused.code == "events.too_many" ? 413 : 400, refused);
  std::map<std::string, int> by_visitor;
  int votes = 0;
  for (const auto& e : validated.accepted) {
    ++by_visitor[e.visitor];
    votes += e.type == "helpful_vote";
  }
  std::vector<Charge> charges =
      ingest_charges(b.config.limits, by_visitor, call.client, static_cast<int>(validated.count));
  // Helpful votes move what shoppers see: a lower rate per address than other events.
  if (votes > 0 && b.config.votes_per_minute > 0)
    charges.push_back({"votes-address:" + call.client, static_cast<double>(votes), b.config.votes_per_minute});
  if (Wait wait = b.store.rate_buckets().take(charges, unix_now_precise()); wait.seconds > 0) {
    std::string what = wait.key.rfind("visitor:", 0) == 0         ? "events from this visitor"
                       : wait.key.rfind("address:", 0) == 0       ? "events from this address"
                       : wait.key.rfind("votes-address:", 0) == 0 ? "helpful votes from this address"
                                                                  : "events from all clients together";
    throw too_many("events.rate_limited",
                   "too many " + what + "; retry after " + std::to_string(wait.seconds) + " seconds", wait.seconds);
  }
  PageOfRequest page = page_of_request(call.req.get_header_value("Origin"), call.req.get_header_value("Referer"));
  // committed before we answer
  std::vector<std::string> created = b.store.insert_events(validated.accepted, rules.now, {page.origin, page.path});
  if (votes > 0) b.documents.poke();  // a counted vote changes its product's documents
  json accepted = json::array(), rejected = json::array();
  for (const auto& e : validated.accepted) accepted.push_back(e.id);
  for (const auto& r : validated.rejected)
    rejected.push_back({{"id", r.id}, {"index", r.index}, {"code", r.error.code}, {"path", r.error.path},
                        {"message", r.error.message}});
  json answer = {{"accepted", accepted}, {"rejected", rejected}};
  if (!created.empty()) answer["review_tokens"] = review_tokens(b, validated, created);
  send_json(call.res, 200, answer);
}

void post_orders(Backend& b, Call& call) {
  IngestRules rules = b.ingest_rules();
  OrderRecord order = validate_server_order(signed_body(b, call, "order"), rules);
  OrderOutcome outcome = b.store.insert_server_order(order, call.signature.signature, call.signature.signed_at, rules.now);
  static const std::map<OrderOutcome, std::string> kNames = {{OrderOutcome::Created, "created"},
                                                              {OrderOutcome::ReplacedBrowser, "replaced_browser"},
                                                              {OrderOutcome::Duplicate, "duplicate"}};
  if (outcome == OrderOutcome::Replayed)
    throw HttpError(409, "webhook.replayed", "this signed delivery was already received");
  json answer = {{"order_id", order.order_id}, {"result", kNames.at(outcome)}};
  // The store's backend puts the review link in its own follow-up e-mail.
  if (outcome != OrderOutcome::Duplicate)
    answer["review_token"] = review_token(b.token_secret(), order.order_id, order_product_ids(order.order));
  send_json(call.res, 200, answer);
}

void post_refunds(Backend& b, Call& call) {
  IngestRules rules = b.ingest_rules();
  RefundRecord refund = validate_refund(signed_body(b, call, "refund"), rules);
  OrderOutcome outcome = b.store.insert_refund(refund, call.signature.signature, call.signature.signed_at, rules.now);
  if (outcome == OrderOutcome::Replayed)
    throw HttpError(409, "webhook.replayed", "this signed delivery was already received");
  send_json(call.res, 200, {{"refund_id", refund.refund_id},
                            {"order_id", refund.order_id},
                            {"result", outcome == OrderOutcome::Created ? "created" : "duplicate"}});
}

void post_shopify_webhook(Backend& b, Call& call) { b.platforms.post_shopify(call.req, call.res); }

void post_woocommerce_webhook(Backend& b, Call& call) { b.platforms.post_woocommerce(call.req, call.res); }

void get_privacy_requests(Backend& b, Call& call) { b.platforms.get_privacy_requests(call.res); }

}  // namespace vouch::server
