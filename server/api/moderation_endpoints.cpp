// The moderation queue and the owner's decisions (docs/dashboard.md,
// "Moderation").
#include "admin_views.hpp"
#include "backend.hpp"
#include "clock.hpp"
#include "input/json_input.hpp"
#include "feed/feed_write.hpp"
#include "http_responses.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

json decision_json(const ModerationDecision& d) {
  return {{"ugc", d.ugc}, {"status", d.status}, {"decided_at", format_rfc3339(d.decided_at)}};
}

}  // namespace

// The queue (the items waiting, newest first, the first 200), every
// decision, and the last 200 made.
void get_moderation(Backend& b, Call& call) {
  json decisions = json::array();
  for (auto& d : b.store.moderation_decisions()) decisions.push_back(decision_json(d));
  json pending = json::array();
  for (const Ugc& u : b.store.items_with_status(UgcStatus::Pending, 200)) {
    json shown = to_json(u);
    shown["moderation"] = moderation_verdict(shown);
    pending.push_back(std::move(shown));
  }
  std::int64_t total = b.store.count_with_status(UgcStatus::Pending);
  json log = json::array();
  for (auto& d : b.store.moderation_log(200)) log.push_back(decision_json(d));
  send_json(call.res, 200, {{"pending", pending}, {"total_pending", total}, {"decisions", decisions}, {"log", log}});
}

void post_moderation(Backend& b, Call& call) {
  json body = parse_json_input(call.req.body, "moderation", {b.config.max_body_bytes, 8});
  if (!body.is_object() || !body.contains("ugc") || !body["ugc"].is_string())
    throw HttpError(400, "moderation.invalid_request", "the body must be {\"ugc\": ID, \"status\": STATUS}", "/ugc");
  std::string status = body.value("status", std::string());
  if (status != "published" && status != "pending" && status != "rejected")
    throw HttpError(400, "moderation.invalid_status", "status must be one of published, pending, rejected", "/status");
  std::string ugc = body["ugc"].get<std::string>();
  if (!b.store.item_exists(ugc))
    throw HttpError(404, "moderation.unknown_ugc", "the feed has no UGC item " + quote_for_message(ugc), "/ugc");
  ModerationDecision decision{ugc, status, unix_now()};
  b.store.decide_moderation(decision);
  b.documents.poke();  // its product's documents follow
  send_json(call.res, 200, decision_json(decision));
}

}  // namespace vouch::server
