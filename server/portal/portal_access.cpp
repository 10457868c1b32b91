// What the portal's two sides share (docs/portal.md): the creator session
// behind Auth::Creator, magic links made and sent, the ledger caught up
// before it is read, day ranges, the shop's address and the settings' JSON.
#include "portal_access.hpp"

#include "clock.hpp"
#include "commission_ledger.hpp"
#include "common/money.hpp"
#include "creator_results.hpp"
#include "crypto.hpp"
#include "mailer.hpp"
#include "portal_auth.hpp"

namespace vouch::server {

std::optional<CreatorSession> portal_session_of(Backend& b, const httplib::Request& req) {
  std::string secret = cookie_value(req.get_header_value("Cookie"), kPortalCookie);
  if (secret.empty() || secret.size() > 128) return std::nullopt;
  auto session = b.store.portal_session(session_hash(secret), unix_now());
  // A creator the feed no longer has is signed out.
  if (!session || !b.catalogue.feed()->find_influencer(session->influencer)) return std::nullopt;
  return CreatorSession{session->influencer, session->hash, csrf_token(b.portal_key, session->hash)};
}

nlohmann::json json_body(const Call& call) {
  nlohmann::json value = call.req.body.empty() ? nlohmann::json::object() : nlohmann::json::parse(call.req.body, nullptr, false);
  if (!value.is_object()) throw HttpError(400, "request.invalid_json", "the body must be a JSON object");
  return value;
}

std::string text_field(const nlohmann::json& body, const char* key) {
  return body.contains(key) && body[key].is_string() ? body[key].get<std::string>() : std::string();
}

bool flag_field(const nlohmann::json& body, const char* key) {
  if (!body.contains(key)) return false;
  if (!body[key].is_boolean())
    throw HttpError(400, "request.invalid_field", std::string(key) + " must be true or false", std::string("/") + key);
  return body[key].get<bool>();
}

PortalLinkToken make_portal_link(Backend& b, const std::string& influencer, const std::string& by, Timestamp now) {
  PortalLinkToken link = make_link_token(b.portal_key, influencer, now);
  b.store.insert_portal_link(sha256_hex(link.token), influencer, now, link.expires_at);
  b.store.log_portal_activity(influencer, now, "link_created", by);
  return link;
}

// The mailer gets {"kind": "portal_link", "store", "creator": {id, name,
// handle, email}, "url", "expires_at"}, signed like review requests.
PortalLinkToken send_portal_link(Backend& b, const PortalCreator& creator, const std::string& base,
                                 const std::string& by, Timestamp now) {
  PortalSettings settings = b.store.portal_settings();
  if (settings.mailer_url.empty())
    throw HttpError(409, "portal.no_mailer", "set the mailer's URL in the portal settings first");
  auto snapshot = b.catalogue.feed();
  const Influencer* influencer = snapshot->find_influencer(creator.influencer);
  PortalLinkToken link = make_portal_link(b, creator.influencer, by, now);
  nlohmann::json message = {
      {"kind", "portal_link"},
      {"store", {{"id", snapshot->store.id}, {"name", snapshot->store.name}, {"locale", snapshot->store.locale}}},
      {"creator", {{"id", creator.influencer}, {"name", influencer ? influencer->name : ""},
                   {"handle", influencer ? influencer->handle : ""}, {"email", creator.email}}},
      {"url", portal_link_url(base, link.token)},
      {"expires_at", format_rfc3339(link.expires_at)}};
  MailerAnswer answer = post_to_mailer(settings.mailer_url, message.dump(), b.config.webhook_secret, now);
  if (answer.status == 0)
    throw HttpError(502, "portal.mailer_unreachable",
                    "the mailer at " + answer.origin + " could not be reached (" + answer.problem + ")");
  b.store.log_portal_activity(creator.influencer, now, "link_sent", "mailer answered " + std::to_string(answer.status));
  return link;
}

void catch_up_ledger(Backend& b, Timestamp now) {
  auto snapshot = b.catalogue.feed();
  AttributionConfig config = parse_attribution_config(b.config.attribution_config, *snapshot);
  catch_up_commissions(b.store, {*snapshot, config}, now);
}

std::pair<Timestamp, Timestamp> day_range(const httplib::Request& req, Timestamp now, int default_days) {
  Timestamp today = now - now % kSecondsPerDay;
  Timestamp to = today + kSecondsPerDay, from = to - default_days * kSecondsPerDay;
  for (auto [name, bound] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
    if (!req.has_param(name)) continue;
    auto day = parse_date(req.get_param_value(name));
    if (!day) throw HttpError(400, "portal.invalid_range", std::string(name) + " must be a date such as 2026-10-01");
    *bound = *day;
  }
  if (from >= to || to - from > kMaxResultsRange)
    throw HttpError(400, "portal.invalid_range", "from must be before to, at most 400 days apart");
  return {from, to};
}

std::string shop_origin(const Backend& b, const httplib::Request& req) {
  return b.config.allowed_origins.empty() ? request_origin(req, b.config.trusted_proxies) : b.config.allowed_origins.front();
}

nlohmann::json settings_json(const PortalSettings& s, const std::string& currency) {
  return {{"refund_window_days", s.refund_window_days},
          {"payout_minimum", to_major_units(s.payout_minimum_minor, currency)},
          {"mailer_url", s.mailer_url}};
}

}  // namespace vouch::server
