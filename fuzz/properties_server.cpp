// The server's ingest checks (server/events.hpp, webhook_signature.hpp): what
// a stranger sends to POST /v1/events, /v1/orders and /v1/refunds, and the
// order webhooks of Shopify and WooCommerce (server/integrations/). Beyond
// the common properties, whatever is accepted must be attributable: the
// report over it sets no order aside.
#include "attribution/attribution.hpp"
#include "checks.hpp"
#include "input/json_input.hpp"
#include "events.hpp"
#include "integrations/shopify.hpp"
#include "integrations/woocommerce.hpp"
#include "properties.hpp"
#include "webhook_signature.hpp"

namespace vouch::fuzz {

using nlohmann::json;

namespace {

server::IngestRules ingest_rules() {
  server::IngestRules rules;
  rules.currency = fixture_feed().store.currency;
  rules.now = kNow;
  return rules;
}

// The accepted touches and orders through the report: nothing set aside.
std::string attributable(const json& touches, const json& orders, const char* what) {
  Outcome report = run_once(what, [&] { return report_json(fixture_feed(), touches, orders, nullptr); });
  if (!report.violation.empty()) return report.violation;
  if (report.text.rfind("error ", 0) == 0) return std::string(what) + ": the report refused accepted input: " + report.text;
  json parsed = json::parse(report.text);
  if (!parsed["unattributable_orders"].empty())
    return std::string(what) + ": an accepted order cannot be attributed: " + parsed["unattributable_orders"].dump();
  return "";
}

std::string batch_text(const server::ValidatedBatch& batch) {
  std::string text;
  for (const auto& e : batch.accepted) text += "accepted " + e.id + " " + e.body + "\n";
  for (const auto& r : batch.rejected) text += "rejected " + r.error.code + " " + r.error.path + " " + r.error.message + "\n";
  return text;
}

}  // namespace

std::string check_event_batch(std::string_view input) {
  std::string violation;
  auto doc = parse_input(input, "events", violation);
  if (!doc) return violation;
  if (!doc->is_object() || !doc->contains("events") || !(*doc)["events"].is_array()) return "";
  const json& events = (*doc)["events"];
  server::ValidatedBatch first, second;
  try {
    first = server::validate_batch(events, ingest_rules());
    second = server::validate_batch(events, ingest_rules());
  } catch (const std::exception& e) {
    return std::string("validate_batch threw: ") + e.what();
  }
  if (batch_text(first) != batch_text(second)) return "validate_batch: two runs differ";
  if (first.accepted.size() + first.rejected.size() != events.size()) return "validate_batch: an event was lost";
  for (const auto& r : first.rejected)
    if (auto bad = check_error(r.error); !bad.empty()) return "validate_batch: " + bad;
  json touches = json::array(), orders = json::array();
  for (const auto& e : first.accepted) {
    for (const auto& t : e.touches) touches.push_back(to_json(t));
    if (e.order) orders.push_back(e.order->order);
  }
  return attributable(touches, orders, "events");
}

std::string check_webhook(std::string_view input) {
  std::string violation;
  auto doc = parse_input(input, "order", violation);
  if (!doc) return violation;
  json orders = json::array();
  auto accept = [&](const char* what, auto validate) -> std::string {
    Outcome outcome = run_twice_outcome(what, [&] { return validate(); });
    if (!outcome.violation.empty()) return outcome.violation;
    if (outcome.text.rfind("error ", 0) != 0) orders.push_back(json::parse(outcome.text));
    return "";
  };
  if (auto bad = accept("validate_server_order", [&] { return server::validate_server_order(*doc, ingest_rules()).order; });
      !bad.empty())
    return bad;
  if (auto bad = accept("validate_refund", [&] { return server::validate_refund(*doc, ingest_rules()).order; });
      !bad.empty())
    return bad;
  // Shopify's and WooCommerce's readers on the same body: what they accept
  // goes through the same report.
  server::FeedLookup feed{[](const std::string& code) { return fixture_feed().find_influencer_by_code(code) != nullptr; },
                          [](const std::string& id) { return fixture_feed().find_product(id) != nullptr; }};
  auto platform = [&](const char* what, auto read) -> std::string {
    Outcome outcome = run_twice_outcome(what, [&] {
      server::PlatformChanges changes = read().changes;
      json made = json::array();
      if (changes.order) made.push_back(changes.order->order);
      for (const auto& refund : changes.refunds) made.push_back(refund.order);
      return made;
    });
    if (!outcome.violation.empty()) return outcome.violation;
    if (outcome.text.rfind("error ", 0) != 0)
      for (auto& made : json::parse(outcome.text)) orders.push_back(made);
    return "";
  };
  for (const char* topic : {"orders/paid", "refunds/create", "orders/cancelled"})
    if (auto bad = platform(topic, [&] { return server::read_shopify_webhook(topic, *doc, {}, feed, ingest_rules()); });
        !bad.empty())
      return bad;
  if (auto bad = platform("order.updated",
                          [&] { return server::read_woocommerce_webhook("order.updated", *doc, feed, ingest_rules()); });
      !bad.empty())
    return bad;
  return attributable(json::array(), orders, "webhook");
}

std::string check_signature_header(std::string_view input) {
  // The first line is the header, the rest the body.
  auto newline = input.find('\n');
  std::string_view header = input.substr(0, newline);
  std::string_view body = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  constexpr std::string_view kSecret = "fuzz-webhook-secret";
  auto verify = [&](std::string_view h, server::VerifiedSignature& v) {
    return server::verify_webhook_signature(h, body, kSecret, kNow, v);
  };
  server::VerifiedSignature a, b;
  auto first = verify(header, a), second = verify(header, b);
  if (first.has_value() != second.has_value() || (first && !(*first == *second)) || a.signature != b.signature)
    return "verify_webhook_signature: two runs differ";
  if (first) {
    if (auto bad = check_error(*first); !bad.empty()) return "verify_webhook_signature: " + bad;
    if (first->code.rfind("webhook.", 0) != 0) return "verify_webhook_signature: a code outside webhook.*";
  } else if (server::sign_webhook(body, kSecret, a.signed_at) !=
             "t=" + std::to_string(a.signed_at) + ",v1=" + a.signature) {
    return "verify_webhook_signature: passed a signature that is not the body's HMAC";
  }
  // The store's own signature of this body always passes.
  server::VerifiedSignature own;
  if (auto error = verify(server::sign_webhook(body, kSecret, kNow), own))
    return "verify_webhook_signature: refused a correct signature: " + error->message;
  return "";
}

}  // namespace vouch::fuzz
