// The owner's side of the creator portal (docs/portal.md, "For the store
// owner"): creators and their invitations, magic links (to copy, or sent
// through the store's mailer), revoking access, portal activity and
// settings, and payout runs with their PayPal and Wise files.
#include "portal_access.hpp"
#include "clock.hpp"
#include "commission_ledger.hpp"
#include "common/text.hpp"
#include "creator_results.hpp"
#include "crypto.hpp"
#include "input/rules.hpp"
#include "http_responses.hpp"
#include "payout_files.hpp"
#include "portal_auth.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

constexpr double kLinksPerMinutePerCreator = 5;
constexpr std::size_t kMaxReferenceBytes = 200;

// The creator named by the path's first capture: one of the feed's.
const Influencer& path_creator(const Feed& feed, const Call& call) {
  std::string id = call.capture(1);
  const Influencer* creator = follows(kIdRule, id) ? feed.find_influencer(id) : nullptr;
  if (!creator) throw HttpError(404, "creator.unknown", "no creator of the feed has the id " + quote_for_message(id));
  return *creator;
}

// The creator's portal row; an uninvited creator's is empty but for the id.
PortalCreator portal_creator(Store& store, const std::string& influencer, Timestamp now) {
  for (auto& c : store.portal_creators(now))
    if (c.influencer == influencer) return c;
  PortalCreator none;
  none.influencer = influencer;
  return none;
}

json money_json(std::int64_t minor, const std::string& currency) { return to_major_units(minor, currency); }

// The invited creators' rows, and the open payout requests, by creator.
std::map<std::string, PortalCreator> portal_rows(Store& store, Timestamp now) {
  std::map<std::string, PortalCreator> rows;
  for (auto& c : store.portal_creators(now)) rows[c.influencer] = c;
  return rows;
}

std::map<std::string, PayoutRequest> open_requests(Store& store) {
  std::map<std::string, PayoutRequest> requests;
  for (const auto& r : store.payout_requests("", true)) requests.try_emplace(r.influencer, r);
  return requests;
}

}  // namespace

void get_creators(Backend& b, Call& call) {
  Timestamp now = unix_now();
  catch_up_ledger(b, now);
  auto snapshot = b.catalogue.feed();
  const Feed& feed = *snapshot;
  const std::string& currency = feed.store.currency;
  PortalSettings settings = b.store.portal_settings();
  const Timestamp window = settings.refund_window_days * kSecondsPerDay;
  // The invited, and anyone with an unpaid commission (owed money, invited or not).
  std::map<std::string, PortalCreator> rows = portal_rows(b.store, now);
  for (const auto& line : b.store.unpaid_commissions(""))
    if (!rows.count(line.influencer)) rows[line.influencer].influencer = line.influencer;
  std::map<std::string, PayoutRequest> requests = open_requests(b.store);
  json out = json::array();
  for (const auto& [id, c] : rows) {
    const Influencer* creator = feed.find_influencer(id);
    CommissionTotals t = balances_of(b.store, id, window, now);
    json request = nullptr;
    if (auto r = requests.find(id); r != requests.end())
      request = {{"requested_at", format_rfc3339(r->second.requested_at)}, {"amount", money_json(r->second.amount_minor, currency)}};
    out.push_back({{"id", id},
                   {"name", creator ? creator->name : id},
                   {"handle", creator ? creator->handle : ""},
                   {"in_feed", creator != nullptr},
                   {"invited", c.invited_at > 0},
                   {"email", c.email},
                   {"payout_email", c.payout_email},
                   {"invited_at", c.invited_at ? json(format_rfc3339(c.invited_at)) : json(nullptr)},
                   {"last_seen_at", c.last_seen_at ? json(format_rfc3339(c.last_seen_at)) : json(nullptr)},
                   {"active_sessions", c.active_sessions},
                   {"balances", {{"pending", money_json(t.pending_minor, currency)},
                                 {"approved", money_json(t.approved_minor, currency)},
                                 {"paid", money_json(t.paid_minor, currency)}}},
                   {"open_request", request}});
  }
  send_json(call.res, 200, {{"currency", currency}, {"creators", out}, {"settings", settings_json(settings, currency)}});
}

// {"email"?}: invites the creator (an e-mail makes "send the link" possible).
void post_creator_invite(Backend& b, Call& call) {
  auto snapshot = b.catalogue.feed();
  const Influencer& creator = path_creator(*snapshot, call);
  json body = json_body(call);
  std::string email = text_field(body, "email");
  if (email.size() > 254 || (!email.empty() && email.find('@') == std::string::npos))
    throw HttpError(400, "creator.invalid_email", "email must be an e-mail address, or absent", "/email");
  Timestamp now = unix_now();
  b.store.invite_creator(creator.id, email, now);
  b.store.log_portal_activity(creator.id, now, "invited", email.empty() ? "" : "with an e-mail address");
  send_json(call.res, 200, {{"invited", creator.id}, {"email", email}});
}

// The magic link {"url", "expires_at", "sent"}: {"send": true} also POSTs it
// to the store's mailer (portal settings), as review requests are sent.
void post_creator_portal_link(Backend& b, Call& call) {
  auto snapshot = b.catalogue.feed();
  const Influencer& creator = path_creator(*snapshot, call);
  bool send = flag_field(json_body(call), "send");
  std::vector<Charge> charge = {{"portal-link-for:" + creator.id, 1, kLinksPerMinutePerCreator}};
  if (Wait wait = b.store.rate_buckets().take(charge, unix_now_precise()); wait.seconds > 0)
    throw too_many("portal.rate_limited",
                   "too many links for this creator; retry after " + std::to_string(wait.seconds) + " seconds",
                   static_cast<int>(wait.seconds));
  Timestamp now = unix_now();
  PortalCreator row = portal_creator(b.store, creator.id, now);
  if (send && row.email.empty())
    throw HttpError(409, "portal.no_email", "this creator has no e-mail address: invite them with one, or copy the link");
  std::string base = request_origin(call.req, b.config.trusted_proxies);
  PortalLinkToken link = send ? send_portal_link(b, row, base, "owner", now) : make_portal_link(b, creator.id, "owner", now);
  call.res.set_header("Cache-Control", "no-store");
  send_json(call.res, 200, {{"url", portal_link_url(base, link.token)},
                            {"expires_at", format_rfc3339(link.expires_at)},
                            {"sent", send}});
}

// Ends every session of the creator and spends their unused links.
void post_creator_revoke(Backend& b, Call& call) {
  auto snapshot = b.catalogue.feed();
  const Influencer& creator = path_creator(*snapshot, call);
  Timestamp now = unix_now();
  int ended = b.store.end_portal_sessions(creator.id, "", now);
  b.store.log_portal_activity(creator.id, now, "access_revoked", "by the owner");
  send_json(call.res, 200, {{"ended", ended}});
}

void get_creator_performance(Backend& b, Call& call) {
  auto snapshot = b.catalogue.feed();
  const Influencer& creator = path_creator(*snapshot, call);
  Timestamp now = unix_now();
  auto [from, to] = day_range(call.req, now, 30);
  catch_up_ledger(b, now);
  send_json(call.res, 200, creator_results(b.store, *snapshot, creator.id, from, to));
}

void get_portal_activity(Backend& b, Call& call) {
  std::string creator = call.req.get_param_value("creator");
  send_json(call.res, 200, {{"activity", b.store.portal_activity(creator, 200)}});
}

// GET, or POST {"refund_window_days" 1..365, "payout_minimum" >= 0, "mailer_url" http(s) or ""}.
void portal_settings(Backend& b, Call& call) {
  auto snapshot = b.catalogue.feed();
  const std::string& currency = snapshot->store.currency;
  PortalSettings s = b.store.portal_settings();
  if (call.req.method == "POST") {
    json body = json_body(call);
    if (body.contains("refund_window_days")) {
      const json& days = body["refund_window_days"];
      if (!days.is_number_integer() || days.get<long long>() < 0 || days.get<long long>() > 365)
        throw HttpError(400, "portal_settings.invalid", "refund_window_days must be a whole number from 0 to 365",
                        "/refund_window_days");
      s.refund_window_days = days.get<int>();
    }
    if (body.contains("payout_minimum")) {
      const json& minimum = body["payout_minimum"];
      auto minor = minimum.is_number() ? to_minor_units(minimum.get<double>(), currency) : std::nullopt;
      if (!minor || *minor < 0)
        throw HttpError(400, "portal_settings.invalid", "payout_minimum must be an amount of 0 or more", "/payout_minimum");
      s.payout_minimum_minor = *minor;
    }
    if (body.contains("mailer_url")) {
      std::string url = body["mailer_url"].is_string() ? body["mailer_url"].get<std::string>() : "?";
      if (!url.empty() && url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
        throw HttpError(400, "portal_settings.invalid", "mailer_url must be an http(s) URL, or empty", "/mailer_url");
      s.mailer_url = url;
    }
    b.store.set_portal_settings(s);
  }
  send_json(call.res, 200, settings_json(s, currency));
}

// Every creator's approved, unpaid lines (and their pending balance), for a payout run.
void get_payouts_due(Backend& b, Call& call) {
  Timestamp now = unix_now();
  catch_up_ledger(b, now);
  auto snapshot = b.catalogue.feed();
  const Feed& feed = *snapshot;
  const std::string& currency = feed.store.currency;
  PortalSettings settings = b.store.portal_settings();
  const Timestamp window = settings.refund_window_days * kSecondsPerDay;
  std::map<std::string, std::vector<CommissionLine>> by_creator;
  for (auto& line : b.store.unpaid_commissions("")) by_creator[line.influencer].push_back(std::move(line));
  std::map<std::string, PortalCreator> known = portal_rows(b.store, now);
  std::map<std::string, PayoutRequest> requests = open_requests(b.store);
  json out = json::array();
  for (const auto& [id, lines] : by_creator) {
    json approved = json::array();
    CommissionTotals t = totals_of(lines, window, now);
    for (const auto& line : lines)
      if (state_of(line, window, now) == CommissionState::Approved) approved.push_back(to_json(line, currency, window, now));
    const Influencer* creator = feed.find_influencer(id);
    const PortalCreator& c = known[id];
    auto r = requests.find(id);
    out.push_back({{"influencer", id},
                   {"name", creator ? creator->name : id},
                   {"email", c.email},
                   {"payout_email", c.payout_email},
                   {"approved", money_json(t.approved_minor, currency)},
                   {"pending", money_json(t.pending_minor, currency)},
                   {"requested", r == requests.end() ? json(nullptr) : json(format_rfc3339(r->second.requested_at))},
                   {"lines", approved}});
  }
  send_json(call.res, 200, {{"currency", currency}, {"now", format_rfc3339(now)}, {"creators", out}});
}

namespace {

// A payout run: {"payouts": [{"influencer", "orders": [order ids]}], "method":
// "paypal"|"wise"|"other", "reference"?}. Each creator's selected sales (and
// every approved clawback of theirs) are marked paid, all or nothing.
void post_payout_run(Backend& b, Call& call) {
  Timestamp now = unix_now();
  catch_up_ledger(b, now);
  auto snapshot = b.catalogue.feed();
  const std::string& currency = snapshot->store.currency;
  json body = json_body(call);
  PayoutRecord run;
  run.run = "run-" + format_date(now) + "-" + random_hex(4);
  run.currency = currency;
  run.method = body.contains("method") ? text_field(body, "method") : "other";
  if (run.method != "paypal" && run.method != "wise" && run.method != "other")
    throw HttpError(400, "payout.invalid_method", "method must be paypal, wise or other", "/method");
  run.reference = text_field(body, "reference").substr(0, kMaxReferenceBytes);
  if (!body.contains("payouts") || !body["payouts"].is_array() || body["payouts"].empty())
    throw HttpError(400, "payout.invalid_run", "payouts must be a non-empty array", "/payouts");
  const Timestamp window = b.store.portal_settings().refund_window_days * kSecondsPerDay;
  std::vector<PayoutPlan> plans;
  for (std::size_t i = 0; i < body["payouts"].size(); ++i) {
    const json& p = body["payouts"][i];
    std::string path = "/payouts/" + std::to_string(i);
    if (!p.is_object() || !p.contains("influencer") || !p["influencer"].is_string() || !p.contains("orders") ||
        !p["orders"].is_array())
      throw HttpError(400, "payout.invalid_run", "each payout is {\"influencer\", \"orders\": [...]}", path);
    std::string influencer = p["influencer"].get<std::string>();
    std::vector<std::string> orders;
    for (const auto& o : p["orders"])
      if (o.is_string()) orders.push_back(o.get<std::string>());
    try {
      plans.push_back(plan_payout(influencer, b.store.unpaid_commissions(influencer), orders, window, now));
    } catch (const VouchException& e) {
      throw HttpError(409, e.error().code, e.error().message, path + e.error().path);
    }
  }
  std::vector<PayoutRecord> paid;
  try {
    paid = b.store.record_payouts(plans, run, now);
  } catch (const VouchException& e) {
    throw HttpError(409, e.error());
  }
  json out = json::array();
  for (const auto& p : paid) {
    b.store.log_portal_activity(p.influencer, now, "paid", decimal_amount(p.amount_minor, currency) + " " + currency);
    out.push_back(to_json(p));
  }
  send_json(call.res, 200, {{"run", run.run}, {"payouts", out}});
}

void get_payouts(Backend& b, Call& call) {
  json out = json::array();
  for (const auto& p : b.store.payouts(call.req.get_param_value("creator"), call.req.get_param_value("run"), 500))
    out.push_back(to_json(p));
  send_json(call.res, 200, {{"payouts", out}});
}

}  // namespace

void payouts(Backend& b, Call& call) { call.req.method == "POST" ? post_payout_run(b, call) : get_payouts(b, call); }

// GET /v1/admin/payouts/file?run=RUN&format=paypal|wise: the run as a bulk-payout file (payout_files.hpp).
void get_payout_file(Backend& b, Call& call) {
  std::string run = call.req.get_param_value("run"), format = call.req.get_param_value("format");
  if (format != "paypal" && format != "wise")
    throw HttpError(400, "payout.invalid_format", "format must be paypal or wise");
  auto payouts = b.store.payouts("", run, 5000);
  if (run.empty() || payouts.empty()) throw HttpError(404, "payout.unknown_run", "no payout run has this id");
  auto snapshot = b.catalogue.feed();
  std::map<std::string, PortalCreator> known = portal_rows(b.store, unix_now());
  std::vector<PayoutRecipient> recipients;
  for (const auto& p : payouts) {
    const Influencer* creator = snapshot->find_influencer(p.influencer);
    const PortalCreator& c = known[p.influencer];
    std::string name = creator ? (creator->name.empty() ? creator->handle : creator->name) : p.influencer;
    recipients.push_back({p, name, c.payout_email.empty() ? c.email : c.payout_email});
  }
  std::vector<std::string> missing;
  std::string file = payout_file(format == "wise" ? PayoutFormat::Wise : PayoutFormat::PayPal, recipients,
                                 snapshot->store.name, missing);
  std::string joined;
  for (const auto& m : missing) joined += (joined.empty() ? "" : ",") + m;
  call.res.set_header("Cache-Control", "no-store");
  call.res.set_header("X-Vouch-Missing-Email", joined);
  call.res.set_header("Content-Disposition", "attachment; filename=\"" + run + "-" + format + ".csv\"");
  call.res.status = 200;
  call.res.set_content(file, "text/csv; charset=utf-8");
}

}  // namespace vouch::server
