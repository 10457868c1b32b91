// The moderation queue and the owner's decisions (docs/dashboard.md,
// "Moderation").
#include <algorithm>
#include <chrono>
#include <map>

#include "admin_views.hpp"
#include "backend.hpp"
#include "clock.hpp"
#include "common/json_input.hpp"
#include "feed/feed_write.hpp"
#include "http_responses.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

json decision_json(const ModerationDecision& d) {
  return {{"ugc", d.ugc}, {"status", d.status}, {"decided_at", format_rfc3339(d.decided_at)}};
}

}  // namespace

void get_moderation(Backend& b, Call& call) {
  std::map<std::string, ModerationDecision> decided;
  json decisions = json::array();
  for (auto& d : b.store.moderation_decisions()) {
    decisions.push_back(decision_json(d));
    decided[d.ugc] = d;
  }
  // The feed's statuses have the decisions applied already (FeedSource);
  // `decided` also covers a decision recorded since, not yet applied.
  auto snapshot = b.feed.current();
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
  auto snapshot = b.feed.current();
  bool known = std::any_of(snapshot->feed.ugc.begin(), snapshot->feed.ugc.end(),
                           [&](const Ugc& u) { return u.id == ugc; });
  if (!known)
    throw HttpError(404, "moderation.unknown_ugc", "the feed has no UGC item " + quote_for_message(ugc), "/ugc");
  ModerationDecision decision{ugc, status, unix_now()};
  b.store.decide_moderation(decision);
  b.documents.poke();  // the public documents follow within the build's time
  send_json(call.res, 200, decision_json(decision));
}

}  // namespace vouch::server
