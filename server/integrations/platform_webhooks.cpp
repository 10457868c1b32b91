#include "integrations/platform_webhooks.hpp"

#include <algorithm>
#include <chrono>

#include "common/text.hpp"
#include "input/json_input.hpp"
#include "http_responses.hpp"
#include "integrations/woocommerce.hpp"
#include "webhook_signature.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;


Timestamp unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string outcome_name(OrderOutcome outcome) {
  switch (outcome) {
    case OrderOutcome::Created: return "created";
    case OrderOutcome::ReplacedBrowser: return "replaced_browser";
    case OrderOutcome::Duplicate: return "duplicate";
    case OrderOutcome::Replayed: return "replayed";
  }
  return "created";
}

// WooCommerce's check of a new webhook's URL: "webhook_id=<its id>".
bool is_ping(std::string_view body) {
  constexpr std::string_view kPrefix = "webhook_id=";
  if (body.size() <= kPrefix.size() || body.size() > kPrefix.size() + 20 || body.substr(0, kPrefix.size()) != kPrefix)
    return false;
  return std::all_of(body.begin() + kPrefix.size(), body.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

PlatformWebhooks::PlatformWebhooks(const PlatformConfig& config, Catalogue& catalogue, Store& store,
                                   std::function<void(const json&)> log)
    : config_(config), catalogue_(catalogue), store_(store), log_(std::move(log)) {}

IngestRules PlatformWebhooks::ingest_rules(Timestamp now) const {
  IngestRules rules;
  rules.currency = catalogue_.shop().currency;
  rules.now = now;
  return rules;
}

bool PlatformWebhooks::admit(const httplib::Request& req, httplib::Response& res, const std::string& platform,
                             const std::string& secret, const std::string& signature_header) {
  if (secret.empty()) {
    std::string flag = platform == "shopify" ? "--shopify-secret (or VOUCH_SHOPIFY_SECRET)"
                                             : "--woocommerce-secret (or VOUCH_WOOCOMMERCE_SECRET)";
    send_error(res, 404, platform + ".not_configured",
               "this server takes no " + platform + " webhooks: start it with " + flag);
    return false;
  }
  if (auto error = verify_body_signature(req.get_header_value(signature_header), req.body, secret, platform,
                                         signature_header)) {
    send_error(res, 401, *error);
    return false;
  }
  return true;
}

bool PlatformWebhooks::fresh(httplib::Response& res, const std::string& platform, const std::string& field,
                             std::optional<Timestamp> at, Timestamp now) {
  if (!at) {
    send_error(res, 400, platform + ".missing_time", field + " must give the time of the event (RFC 3339)");
    return false;
  }
  if (*at >= now - kPlatformStaleSeconds && *at <= now + kPlatformFutureSeconds) return true;
  send_error(res, 401, platform + ".stale_delivery",
             "the delivery describes an event more than 24 hours old (or more than 5 minutes ahead of this "
             "server's clock): refused as a replay");
  return false;
}

bool PlatformWebhooks::parse(const httplib::Request& req, httplib::Response& res, const std::string& platform,
                             json& body) {
  try {
    body = parse_json_input(req.body, platform, {kMaxPlatformBodyBytes, 64});
    return true;
  } catch (const VouchException& e) {
    send_error(res, 400, e.error());
    return false;
  }
}

void PlatformWebhooks::post_shopify(const httplib::Request& req, httplib::Response& res) {
  if (!admit(req, res, "shopify", config_.shopify_secret, "X-Shopify-Hmac-Sha256")) return;
  for (const char* header : {"X-Shopify-Topic", "X-Shopify-Webhook-Id", "X-Shopify-Triggered-At",
                             "X-Shopify-Shop-Domain"})
    if (req.get_header_value(header).empty()) {
      send_error(res, 400, "shopify.missing_header", std::string("the ") + header + " header is required");
      return;
    }
  Timestamp now = unix_now();
  if (!fresh(res, "shopify", "X-Shopify-Triggered-At", parse_rfc3339(req.get_header_value("X-Shopify-Triggered-At")), now))
    return;
  std::string shop = req.get_header_value("X-Shopify-Shop-Domain");
  if (!config_.shopify_shop.empty() && shop != config_.shopify_shop) {
    send_error(res, 403, "shopify.unknown_shop",
               "this server serves " + config_.shopify_shop + ", not " + quote_for_message(shop));
    return;
  }
  json body;
  if (!parse(req, res, "shopify", body)) return;
  std::string topic = req.get_header_value("X-Shopify-Topic");
  // The delivery id, with the signature: a retry of this delivery has both.
  PlatformDelivery delivery{"shopify " + req.get_header_value("X-Shopify-Webhook-Id") + " " +
                                req.get_header_value("X-Shopify-Hmac-Sha256"),
                            now};
  apply("shopify", [&] { return read_shopify_webhook(topic, body, config_.shopify, feed_lookup(), ingest_rules(now)); },
        delivery, res);
}

void PlatformWebhooks::post_woocommerce(const httplib::Request& req, httplib::Response& res) {
  // WooCommerce checks a new webhook's URL with an unsigned form post
  // "webhook_id=N" and saves the webhook only when it is answered 200.
  if (!config_.woocommerce_secret.empty() && !req.has_header("X-WC-Webhook-Signature") && is_ping(req.body)) {
    send_json(res, 200, {{"result", "ping"}});
    return;
  }
  if (!admit(req, res, "woocommerce", config_.woocommerce_secret, "X-WC-Webhook-Signature")) return;
  for (const char* header : {"X-WC-Webhook-Topic", "X-WC-Webhook-Delivery-ID"})
    if (req.get_header_value(header).empty()) {
      send_error(res, 400, "woocommerce.missing_header", std::string("the ") + header + " header is required");
      return;
    }
  json body;
  if (!parse(req, res, "woocommerce", body)) return;
  std::string topic = req.get_header_value("X-WC-Webhook-Topic");
  Timestamp now = unix_now();
  bool order_topic = topic == "order.created" || topic == "order.updated";
  if (order_topic && !fresh(res, "woocommerce", "date_modified_gmt", woocommerce_modified_at(body), now)) return;
  // WooCommerce's delivery id hashes the webhook id and the second it was
  // sent, so two orders sent in one second share it: the signature tells them apart.
  PlatformDelivery delivery{"woocommerce " + req.get_header_value("X-WC-Webhook-Delivery-ID") + " " +
                                req.get_header_value("X-WC-Webhook-Signature"),
                            now};
  apply("woocommerce", [&] { return read_woocommerce_webhook(topic, body, feed_lookup(), ingest_rules(now)); },
        delivery, res);
}

void PlatformWebhooks::apply(const std::string& platform, const std::function<PlatformRequest()>& read,
                             const PlatformDelivery& delivery, httplib::Response& res) {
  PlatformRequest request;
  try {
    request = read();
  } catch (const VouchException& e) {
    log_({{"level", "error"}, {"event", platform + "_delivery_rejected"}, {"error", e.error()}});
    send_json(res, 200, {{"result", "rejected"}, {"error", e.error()}});
    return;
  }
  switch (request.kind) {
    case PlatformRequest::Kind::Ignored:
      send_json(res, 200, {{"result", "ignored"}, {"reason", request.reason}});
      return;
    case PlatformRequest::Kind::Uninstalled: {
      bool replayed = store_.apply_platform_changes({}, delivery).order == OrderOutcome::Replayed;
      if (!replayed) log_({{"level", "info"}, {"event", platform + "_app_uninstalled"}});
      send_json(res, 200, {{"result", replayed ? "replayed" : "recorded"}});
      return;
    }
    case PlatformRequest::Kind::Privacy: {
      auto result = store_.answer_privacy_request(request.privacy, delivery);
      if (!result) {
        send_json(res, 200, {{"result", "replayed"}});
        return;
      }
      log_({{"level", "info"}, {"event", "privacy_request"}, {"topic", request.privacy.topic}});
      // The export stays here (GET /v1/admin/privacy-requests), never in the answer.
      json answer = {{"result", request.privacy.kind == PrivacyRequest::Kind::DataRequest ? "recorded"
                                : request.privacy.kind == PrivacyRequest::Kind::RedactCustomer ? "redacted"
                                                                                                : "erased"}};
      if (request.privacy.kind != PrivacyRequest::Kind::DataRequest) answer["counts"] = *result;
      send_json(res, 200, answer);
      return;
    }
    case PlatformRequest::Kind::Changes:
      break;
  }
  const PlatformChanges& changes = request.changes;
  PlatformStore::Outcome outcome = store_.apply_platform_changes(changes, delivery);
  if (outcome.order == OrderOutcome::Replayed) {
    send_json(res, 200, {{"result", "replayed"}});
    return;
  }
  json answer = json::object();
  if (changes.order) {
    answer["result"] = outcome_name(outcome.order);
    answer["order_id"] = changes.order->order_id;
  } else {
    answer["result"] = outcome.new_refunds > 0 ? "created" : "duplicate";
  }
  if (!changes.refunds.empty()) {
    json ids = json::array();
    for (const auto& r : changes.refunds) ids.push_back(r.refund_id);
    answer["refund_ids"] = ids;
    answer["new_refunds"] = outcome.new_refunds;
  }
  send_json(res, 200, answer);
}

void PlatformWebhooks::get_privacy_requests(httplib::Response& res) {
  res.set_header("Cache-Control", "private, no-store");
  send_json(res, 200, {{"requests", store_.privacy_requests(200)}});
}

FeedLookup PlatformWebhooks::feed_lookup() const {
  auto codes = catalogue_.creator_codes();
  return {[codes](const std::string& code) { return codes->count(ascii_lower(code)) > 0; },
          [this](const std::string& id) { return store_.product_body(id).has_value(); }};
}

}  // namespace vouch::server
