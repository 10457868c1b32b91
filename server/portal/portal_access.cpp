// What the portal's two sides share (docs/portal.md): the creator session
// behind Auth::Creator, magic links made and sent, the ledger caught up
// before it is read, day ranges, the shop's address and the settings' JSON.
#include "portal_routes.hpp"
#include "clock.hpp"
#include "commission_ledger.hpp"
#include "common/money.hpp"
#include "creator_results.hpp"
#include "crypto.hpp"
#include "mailer.hpp"
#include "portal_auth.hpp"

namespace vouch::server::portal {

void authenticate_creator(Backend& b, Call& call) {
  std::string secret = cookie_value(call.req.get_header_value("Cookie"), kPortalCookie);
  std::optional<PortalSession> session;
  if (!secret.empty() && secret.size() <= 128) session = b.store.portal_session(session_hash(secret), unix_now());
  if (!session)
    throw PortalError(401, "portal.signed_out", "sign in to the creator portal with a link from the store");
  // A creator the feed no longer has is signed out.
  if (!b.feed.current()->feed.find_influencer(session->influencer))
    throw PortalError(401, "portal.signed_out", "this creator is no longer in the store's feed");
  call.creator = session->influencer;
  call.session = session->hash;
  if (call.req.method == "GET" || call.req.method == "HEAD") return;
  // A change: the page's own script (same origin) with the session's token.
  std::string site = call.req.get_header_value("Sec-Fetch-Site");
  if (!site.empty() && site != "same-origin")
    throw PortalError(403, "portal.cross_site", "changes come from the portal's own pages only");
  if (!constant_time_equal(call.req.get_header_value(kCsrfHeader), csrf_token(b.portal_key, session->hash)))
    throw PortalError(403, "portal.csrf", "this request lacks the session's CSRF token (X-Vouch-CSRF); reload the page");
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
    throw PortalError(409, "portal.no_mailer", "set the mailer's URL in the portal settings first");
  auto snapshot = b.feed.current();
  const Influencer* influencer = snapshot->feed.find_influencer(creator.influencer);
  PortalLinkToken link = make_portal_link(b, creator.influencer, by, now);
  nlohmann::json message = {
      {"kind", "portal_link"},
      {"store", {{"id", snapshot->feed.store.id}, {"name", snapshot->feed.store.name}, {"locale", snapshot->feed.store.locale}}},
      {"creator", {{"id", creator.influencer}, {"name", influencer ? influencer->name : ""},
                   {"handle", influencer ? influencer->handle : ""}, {"email", creator.email}}},
      {"url", portal_link_url(base, link.token)},
      {"expires_at", format_rfc3339(link.expires_at)}};
  int status = post_to_mailer(settings.mailer_url, message.dump(), b.config.webhook_secret, now, "portal");
  b.store.log_portal_activity(creator.influencer, now, "link_sent", "mailer answered " + std::to_string(status));
  return link;
}

void catch_up_ledger(Backend& b, Timestamp now) {
  auto snapshot = b.feed.current();
  AttributionConfig config = parse_attribution_config(b.config.attribution_config, snapshot->feed);
  catch_up_commissions(b.store, {snapshot->feed, config}, now);
}

std::pair<Timestamp, Timestamp> day_range(const httplib::Request& req, Timestamp now, int default_days) {
  Timestamp today = now - now % kSecondsPerDay;
  Timestamp to = today + kSecondsPerDay, from = to - default_days * kSecondsPerDay;
  for (auto [name, bound] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
    if (!req.has_param(name)) continue;
    auto day = parse_date(req.get_param_value(name));
    if (!day) throw PortalError(400, "portal.invalid_range", std::string(name) + " must be a date such as 2026-10-01");
    *bound = *day;
  }
  if (from >= to || to - from > kMaxResultsRange)
    throw PortalError(400, "portal.invalid_range", "from must be before to, at most 400 days apart");
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

}  // namespace vouch::server::portal
