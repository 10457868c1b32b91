// The creator portal's endpoints (docs/portal.md): signing in with a magic
// link, and the signed-in creator's own data and actions. Every creator
// route is Auth::Creator in routes.cpp: the creator is the session's, never
// a parameter, so no id in a path or a body reaches another creator's rows
// (the portal tests probe each route with another creator's session and
// forged ids).
#include <algorithm>

#include "portal_access.hpp"
#include "clock.hpp"
#include "commission_ledger.hpp"
#include "creator_results.hpp"
#include "common/text.hpp"
#include "crypto.hpp"
#include "http_responses.hpp"
#include "mailer.hpp"
#include "payout_files.hpp"
#include "portal_auth.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

// Magic links asked by e-mail: per address and per e-mail address.
constexpr double kLinkRequestsPerMinutePerAddress = 5;
constexpr double kLinkRequestsPerMinutePerEmail = 2;
constexpr std::size_t kMaxEmailBytes = 254;

// Sign-in is not CSRF-able: a page on another site cannot spend a token for
// the visitor (login CSRF), so only same-origin browsers may.
void require_same_origin(const Call& call) {
  if (!from_same_origin(call.req))
    throw HttpError(403, "portal.cross_site", "the creator portal signs in from its own pages only");
}

const Influencer& creator_of(const Feed& feed, const std::string& id) {
  const Influencer* creator = feed.find_influencer(id);
  if (!creator) throw HttpError(404, "portal.unknown_creator", "this creator is no longer in the store's feed");
  return *creator;
}

}  // namespace

void post_portal_session(Backend& b, Call& call) {
  require_same_origin(call);
  call.res.set_header("Cache-Control", "no-store");
  std::string token = text_field(json_body(call), "token");
  auto link = read_link_token(b.portal_key, token);
  if (!link) throw HttpError(401, "portal.link_invalid", "this sign-in link is not one the store made");
  Timestamp now = unix_now();
  if (link->expires_at <= now)
    throw HttpError(401, "portal.link_expired", "this sign-in link has expired; links last 15 minutes");
  std::string secret = new_session_secret();
  std::string agent = call.req.get_header_value("User-Agent").substr(0, 200);
  PortalSession session{session_hash(secret), link->influencer, now, now + kPortalSessionSeconds, now, agent, call.client};
  switch (b.store.sign_in_with_link(sha256_hex(token), session, now)) {
    case LinkUse::SignedIn: break;
    case LinkUse::Used: throw HttpError(401, "portal.link_used", "this sign-in link was used already; each works once");
    case LinkUse::Expired: throw HttpError(401, "portal.link_expired", "this sign-in link has expired");
    case LinkUse::Unknown: throw HttpError(401, "portal.link_invalid", "this sign-in link was revoked or never made");
  }
  b.store.log_portal_activity(link->influencer, now, "signed_in", agent);
  call.res.set_header("Set-Cookie",
                      session_cookie(secret, kPortalSessionSeconds, secure_cookie(call.req, b.config.trusted_proxies)));
  send_json(call.res, 200, {{"signed_in", true}, {"expires_at", format_rfc3339(session.expires_at)}});
}

// Asks for a link by e-mail. The answer is the same whether the address is a
// creator's or not (202), so it tells no one who the store's creators are.
void post_portal_link_request(Backend& b, Call& call) {
  require_same_origin(call);
  std::string email = text_field(json_body(call), "email");
  if (email.empty() || email.size() > kMaxEmailBytes || email.find('@') == std::string::npos)
    throw HttpError(400, "portal.invalid_email", "email must be an e-mail address", "/email");
  std::string key = ascii_lower(email);
  std::vector<Charge> charges = {{"portal-link:" + call.client, 1, kLinkRequestsPerMinutePerAddress},
                                 {"portal-email:" + sha256_hex(key), 1, kLinkRequestsPerMinutePerEmail}};
  if (Wait wait = b.store.rate_buckets().take(charges, unix_now_precise()); wait.seconds > 0)
    throw too_many("portal.rate_limited", "too many sign-in links asked; retry after " + std::to_string(wait.seconds) +
                                              " seconds", static_cast<int>(wait.seconds));
  PortalSettings settings = b.store.portal_settings();
  if (settings.mailer_url.empty())
    throw HttpError(503, "portal.no_mailer", "this store sends no sign-in links by e-mail; ask the store for a link");
  Timestamp now = unix_now();
  for (const auto& creator : b.store.portal_creators(now))
    if (!creator.email.empty() && ascii_lower(creator.email) == key)
      send_portal_link(b, creator, request_origin(call.req, b.config.trusted_proxies), "creator", now);
  send_json(call.res, 202, {{"sent_if_known", true}});
}

void get_portal_me(Backend& b, Call& call) {
  Timestamp now = unix_now();
  auto snapshot = b.catalogue.feed();
  const Feed& feed = *snapshot;
  const Influencer& creator = creator_of(feed, call.creator.influencer);
  catch_up_ledger(b, now);
  PortalSettings settings = b.store.portal_settings();
  const std::string& currency = feed.store.currency;
  CommissionTotals t = balances_of(b.store, creator.id, settings.refund_window_days * kSecondsPerDay, now);
  std::string payout_email;
  for (const auto& c : b.store.portal_creators(now))
    if (c.influencer == creator.id) payout_email = c.payout_email;
  call.res.set_header("Cache-Control", "no-store");
  send_json(call.res, 200,
            {{"creator", {{"id", creator.id}, {"name", creator.name}, {"handle", creator.handle},
                          {"platform", creator.platform}, {"avatar", creator.avatar}, {"codes", creator.codes}}},
             {"store", {{"name", feed.store.name}, {"currency", currency}, {"locale", feed.store.locale}}},
             {"csrf", csrf_token(b.portal_key, call.creator.hash)},
             {"now", format_rfc3339(now)},
             {"refund_window_days", settings.refund_window_days},
             {"balances", {{"pending", to_major_units(t.pending_minor, currency)},
                           {"approved", to_major_units(t.approved_minor, currency)},
                           {"paid", to_major_units(t.paid_minor, currency)}}},
             {"payout_email", payout_email}});
}

void get_portal_commissions(Backend& b, Call& call) {
  Timestamp now = unix_now();
  auto [from, to] = day_range(call.req, now, 366);
  catch_up_ledger(b, now);
  auto snapshot = b.catalogue.feed();
  send_json(call.res, 200, commissions_document(b.store, call.creator.influencer, snapshot->store.currency,
                                                b.store.portal_settings(), from, to, now));
}

void get_portal_performance(Backend& b, Call& call) {
  Timestamp now = unix_now();
  auto [from, to] = day_range(call.req, now, 30);
  catch_up_ledger(b, now);
  auto snapshot = b.catalogue.feed();
  send_json(call.res, 200, creator_results(b.store, *snapshot, call.creator.influencer, from, to));
}

// Products to link to: the first 20 whose title or id holds every word of q
// (any case), the shop's address to build links on.
void get_portal_products(Backend& b, Call& call) {
  auto snapshot = b.catalogue.feed();
  std::string q = ascii_lower(call.req.get_param_value("q")).substr(0, 100);
  std::vector<std::string> words;
  for (std::size_t at = 0; at < q.size();) {
    auto end = q.find(' ', at);
    if (end == std::string::npos) end = q.size();
    if (end > at) words.push_back(q.substr(at, end - at));
    at = end + 1;
  }
  json products = json::array();
  for (const auto& p : snapshot->products) {
    std::string text = ascii_lower(p.title + " " + p.id);
    if (!std::all_of(words.begin(), words.end(), [&](const std::string& w) { return text.find(w) != std::string::npos; }))
      continue;
    products.push_back({{"id", p.id}, {"title", p.title}, {"url", p.url.empty() ? "/" : p.url}, {"image", p.image}});
    if (products.size() == 20) break;
  }
  send_json(call.res, 200, {{"shop", shop_origin(b, call.req)}, {"products", products}});
}

void get_portal_payouts(Backend& b, Call& call) {
  Timestamp now = unix_now();
  catch_up_ledger(b, now);
  auto snapshot = b.catalogue.feed();
  send_json(call.res, 200, payouts_document(b.store, call.creator.influencer, snapshot->store.currency,
                                            b.store.portal_settings(), now));
}

void post_portal_payout_request(Backend& b, Call& call) {
  Timestamp now = unix_now();
  catch_up_ledger(b, now);
  auto snapshot = b.catalogue.feed();
  const std::string& currency = snapshot->store.currency;
  PortalSettings settings = b.store.portal_settings();
  CommissionTotals t = balances_of(b.store, call.creator.influencer, settings.refund_window_days * kSecondsPerDay, now);
  if (t.approved_minor <= 0 || t.approved_minor < settings.payout_minimum_minor)
    throw HttpError(409, "payout.below_minimum", "the approved balance has not reached the minimum payout");
  if (!b.store.request_payout(call.creator.influencer, t.approved_minor, now))
    throw HttpError(409, "payout.already_requested", "a payout was asked already and is not paid yet");
  b.store.log_portal_activity(call.creator.influencer, now, "payout_requested", decimal_amount(t.approved_minor, currency));
  send_json(call.res, 200, payouts_document(b.store, call.creator.influencer, currency, settings, now));
}

void get_portal_sessions(Backend& b, Call& call) {
  json out = json::array();
  for (const auto& s : b.store.portal_sessions(call.creator.influencer, unix_now()))
    out.push_back({{"id", s.id()}, {"created_at", format_rfc3339(s.created_at)},
                   {"last_seen_at", format_rfc3339(s.last_seen_at)}, {"agent", s.agent},
                   {"current", s.hash == call.creator.hash}});
  send_json(call.res, 200, {{"sessions", out}});
}

// {"id": SESSION} ends one of the creator's own sessions; {"all": true} all of them.
void post_portal_sessions_end(Backend& b, Call& call) {
  json body = json_body(call);
  bool all = flag_field(body, "all");
  std::string id = text_field(body, "id");
  if (!all && id.size() != 16) throw HttpError(400, "portal.invalid_session", "give a session's id or all: true");
  Timestamp now = unix_now();
  int ended = b.store.end_portal_sessions(call.creator.influencer, all ? "" : id, now);
  b.store.log_portal_activity(call.creator.influencer, now, all ? "signed_out_everywhere" : "ended_session", all ? "" : id);
  if (all || id == call.creator.hash.substr(0, 16))
    call.res.set_header("Set-Cookie", cleared_session_cookie(secure_cookie(call.req, b.config.trusted_proxies)));
  send_json(call.res, 200, {{"ended", ended}});
}

void post_portal_sign_out(Backend& b, Call& call) {
  Timestamp now = unix_now();
  b.store.end_portal_sessions(call.creator.influencer, call.creator.hash.substr(0, 16), now);
  b.store.log_portal_activity(call.creator.influencer, now, "signed_out", "");
  call.res.set_header("Set-Cookie", cleared_session_cookie(secure_cookie(call.req, b.config.trusted_proxies)));
  send_json(call.res, 200, {{"signed_out", true}});
}

void post_portal_profile(Backend& b, Call& call) {
  std::string email = text_field(json_body(call), "payout_email");
  if (email.size() > kMaxEmailBytes || (!email.empty() && email.find('@') == std::string::npos))
    throw HttpError(400, "portal.invalid_email", "payout_email must be an e-mail address, or empty", "/payout_email");
  b.store.set_payout_email(call.creator.influencer, email);
  b.store.log_portal_activity(call.creator.influencer, unix_now(), "payout_email_changed", "");
  send_json(call.res, 200, {{"payout_email", email}});
}

}  // namespace vouch::server
