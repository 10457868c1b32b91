// The creator portal's SQL (PortalStore and CommissionStore, store.hpp),
// written once for both back ends like the rest of SqlStore. Tables:
// schema.cpp, 4.
#include <algorithm>
#include <map>

#include "common/error.hpp"
#include "crypto.hpp"
#include "sql_rows.hpp"
#include "sql_store.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

constexpr const char* kSessionColumns = "hash, influencer, created_at, expires_at, last_seen_at, agent, address";

PortalSession session_of(const SqlRow& r) {
  return {r.text(0), r.text(1), r.integer(2), r.integer(3), r.integer(4), r.text(5), r.text(6)};
}

// A visit moves last_seen_at at most once a minute: reads stay reads.
constexpr Timestamp kSeenEvery = 60;

constexpr const char* kLineColumns =
    "influencer, order_id, refund_id, order_at, at, revenue_minor, amount_minor, campaign, src, payout_id";

CommissionLine line_of(const SqlRow& r) {
  CommissionLine l;
  l.influencer = r.text(0);
  l.order_id = r.text(1);
  l.refund_id = r.text(2);
  l.order_at = r.integer(3);
  l.at = r.integer(4);
  l.revenue_minor = r.integer(5);
  l.amount_minor = r.integer(6);
  l.campaign = r.text(7);
  l.src = r.text(8);
  l.payout = r.is_null(9) ? "" : r.text(9);
  return l;
}

std::vector<CommissionLine> lines_where(SqlConnection& c, const std::string& where, const std::vector<SqlValue>& params) {
  std::vector<CommissionLine> out;
  c.run(std::string("SELECT ") + kLineColumns + " FROM commissions WHERE " + where +
            " ORDER BY at, order_id, refund_id, influencer",
        params, [&](const SqlRow& r) { out.push_back(line_of(r)); });
  return out;
}

void insert_line(SqlConnection& c, const CommissionLine& l, Timestamp now) {
  c.run("INSERT INTO commissions (influencer, order_id, refund_id, order_at, at, revenue_minor, amount_minor, "
        "campaign, src, payout_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?) ON CONFLICT DO NOTHING",
        {l.influencer, l.order_id, l.refund_id, l.order_at, l.at, l.revenue_minor, l.amount_minor, l.campaign, l.src,
         now});
}

// True the first time a source (an order id, "refund:ID") is recorded.
bool claim_source(SqlConnection& c, const std::string& source, Timestamp now) {
  return c.run("INSERT INTO commission_sources (source, recorded_at) VALUES (?, ?) ON CONFLICT (source) DO NOTHING",
               {source, now}) > 0;
}

PayoutRecord payout_of(const SqlRow& r) {
  return {r.text(0), r.text(1), r.text(2), r.integer(3), r.text(4), r.integer(5), r.integer(6), r.text(7), r.text(8)};
}

std::string setting(SqlConnection& c, const char* key, std::string otherwise) {
  c.run("SELECT value FROM portal_settings WHERE key = ?", {key}, [&](const SqlRow& r) { otherwise = r.text(0); });
  return otherwise;
}

}  // namespace

// ---- PortalStore ---------------------------------------------------------------

void SqlStore::invite_creator(const std::string& influencer, const std::string& email, Timestamp at) {
  in_transaction(*db_, true, [&](SqlConnection& c) {
    c.run("INSERT INTO portal_creators (influencer, email, payout_email, invited_at) VALUES (?, ?, '', ?) "
          "ON CONFLICT (influencer) DO UPDATE SET invited_at = excluded.invited_at, email = CASE WHEN "
          "excluded.email = '' THEN portal_creators.email ELSE excluded.email END",
          {influencer, email, at});
  });
}

void SqlStore::set_payout_email(const std::string& influencer, const std::string& email) {
  in_transaction(*db_, true, [&](SqlConnection& c) {
    c.run("UPDATE portal_creators SET payout_email = ? WHERE influencer = ?", {email, influencer});
  });
}

std::vector<PortalCreator> SqlStore::portal_creators(Timestamp now) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    std::vector<PortalCreator> out;
    c.run("SELECT p.influencer, p.email, p.payout_email, p.invited_at, "
          "(SELECT MAX(s.last_seen_at) FROM portal_sessions s WHERE s.influencer = p.influencer), "
          "(SELECT COUNT(*) FROM portal_sessions s WHERE s.influencer = p.influencer AND s.ended_at IS NULL "
          "AND s.expires_at > ?) FROM portal_creators p ORDER BY p.influencer",
          {now}, [&](const SqlRow& r) {
            out.push_back({r.text(0), r.text(1), r.text(2), r.integer(3), r.is_null(4) ? 0 : r.integer(4),
                           static_cast<int>(r.integer(5))});
          });
    return out;
  });
}

void SqlStore::insert_portal_link(const std::string& token_hash, const std::string& influencer, Timestamp created_at,
                                  Timestamp expires_at) {
  in_transaction(*db_, true, [&](SqlConnection& c) {
    // Spent and expired links are kept a day (for "this link was used"), then forgotten.
    c.run("DELETE FROM portal_links WHERE expires_at < ?", {created_at - kSecondsPerDay});
    c.run("INSERT INTO portal_links (token_hash, influencer, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, NULL)",
          {token_hash, influencer, created_at, expires_at});
  });
}

LinkUse SqlStore::sign_in_with_link(const std::string& token_hash, const PortalSession& session, Timestamp now) {
  return in_transaction(*db_, true, [&](SqlConnection& c) {
    // The update is the single use: of two browsers opening one link, one changes the row.
    if (c.run("UPDATE portal_links SET used_at = ? WHERE token_hash = ? AND influencer = ? AND used_at IS NULL "
              "AND expires_at > ?",
              {now, token_hash, session.influencer, now}) == 0) {
      LinkUse why = LinkUse::Unknown;
      c.run("SELECT used_at, expires_at FROM portal_links WHERE token_hash = ?", {token_hash}, [&](const SqlRow& r) {
        why = !r.is_null(0) ? LinkUse::Used : r.integer(1) <= now ? LinkUse::Expired : LinkUse::Unknown;
      });
      return why;
    }
    c.run(std::string("INSERT INTO portal_sessions (") + kSessionColumns + ", ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
          {session.hash, session.influencer, session.created_at, session.expires_at, session.last_seen_at,
           session.agent, session.address});
    // A creator who signs in is in the portal, invited by hand or not.
    c.run("INSERT INTO portal_creators (influencer, email, payout_email, invited_at) VALUES (?, '', '', ?) "
          "ON CONFLICT (influencer) DO NOTHING",
          {session.influencer, now});
    return LinkUse::SignedIn;
  });
}

std::optional<PortalSession> SqlStore::portal_session(const std::string& hash, Timestamp now) {
  std::optional<PortalSession> found = in_transaction(*db_, false, [&](SqlConnection& c) {
    std::optional<PortalSession> session;
    c.run(std::string("SELECT ") + kSessionColumns +
              " FROM portal_sessions WHERE hash = ? AND ended_at IS NULL AND expires_at > ?",
          {hash, now}, [&](const SqlRow& r) { session = session_of(r); });
    return session;
  });
  if (found && now - found->last_seen_at >= kSeenEvery) {
    in_transaction(*db_, true, [&](SqlConnection& c) {
      c.run("UPDATE portal_sessions SET last_seen_at = ? WHERE hash = ?", {now, hash});
    });
    found->last_seen_at = now;
  }
  return found;
}

std::vector<PortalSession> SqlStore::portal_sessions(const std::string& influencer, Timestamp now) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    std::vector<PortalSession> out;
    c.run(std::string("SELECT ") + kSessionColumns +
              " FROM portal_sessions WHERE influencer = ? AND ended_at IS NULL AND expires_at > ? "
              "ORDER BY last_seen_at DESC, hash",
          {influencer, now}, [&](const SqlRow& r) { out.push_back(session_of(r)); });
    return out;
  });
}

int SqlStore::end_portal_sessions(const std::string& influencer, const std::string& id, Timestamp now) {
  return in_transaction(*db_, true, [&](SqlConnection& c) {
    if (!id.empty()) {
      // The id is a prefix of the hash: the creator's own sessions only.
      return static_cast<int>(c.run("UPDATE portal_sessions SET ended_at = ? WHERE influencer = ? AND "
                                    "substr(hash, 1, 16) = ? AND ended_at IS NULL",
                                    {now, influencer, id}));
    }
    c.run("UPDATE portal_links SET used_at = ? WHERE influencer = ? AND used_at IS NULL", {now, influencer});
    return static_cast<int>(c.run("UPDATE portal_sessions SET ended_at = ? WHERE influencer = ? AND ended_at IS NULL",
                                  {now, influencer}));
  });
}

void SqlStore::log_portal_activity(const std::string& influencer, Timestamp at, const std::string& action,
                                   const std::string& detail) {
  in_transaction(*db_, true, [&](SqlConnection& c) {
    c.run("INSERT INTO portal_activity (influencer, at, action, detail) VALUES (?, ?, ?, ?)",
          {influencer, at, action, detail});
  });
}

json SqlStore::portal_activity(const std::string& influencer, int limit) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    json out = json::array();
    c.run("SELECT influencer, at, action, detail FROM portal_activity WHERE ? = '' OR influencer = ? "
          "ORDER BY seq DESC LIMIT ?",
          {influencer, influencer, limit}, [&](const SqlRow& r) {
            out.push_back({{"influencer", r.text(0)}, {"at", format_rfc3339(r.integer(1))}, {"action", r.text(2)},
                           {"detail", r.text(3)}});
          });
    return out;
  });
}

PortalSettings SqlStore::portal_settings() {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    PortalSettings s;
    s.refund_window_days = std::stoi(setting(c, "refund_window_days", std::to_string(s.refund_window_days)));
    s.payout_minimum_minor = std::stoll(setting(c, "payout_minimum_minor", "0"));
    s.mailer_url = setting(c, "mailer_url", "");
    return s;
  });
}

void SqlStore::set_portal_settings(const PortalSettings& s) {
  in_transaction(*db_, true, [&](SqlConnection& c) {
    for (const auto& [key, value] : std::vector<std::pair<const char*, std::string>>{
             {"refund_window_days", std::to_string(s.refund_window_days)},
             {"payout_minimum_minor", std::to_string(s.payout_minimum_minor)},
             {"mailer_url", s.mailer_url}})
      c.run("INSERT INTO portal_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
            "excluded.value",
            {key, value});
  });
}

// ---- CommissionStore --------------------------------------------------------------

std::vector<LedgerOrder> SqlStore::unread_orders(Timestamp since, int limit) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    std::vector<LedgerOrder> out;
    c.run("SELECT o.order_id, o.body, o.received_at FROM orders o WHERE o.source = 'server' AND o.received_at >= ? "
          "AND NOT EXISTS (SELECT 1 FROM commission_sources s WHERE s.source = o.order_id) "
          "ORDER BY o.received_at, o.order_id LIMIT ?",
          {since, limit},
          [&](const SqlRow& r) { out.push_back({r.text(0), stored_json(r.text(1)), r.integer(2)}); });
    return out;
  });
}

json SqlStore::touches_of_visitors(const std::vector<std::string>& visitors, Timestamp from, Timestamp to) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    json out = json::array();
    constexpr std::size_t kPerQuery = 200;
    for (std::size_t first = 0; first < visitors.size(); first += kPerQuery) {
      std::size_t n = std::min(kPerQuery, visitors.size() - first);
      std::string marks;
      std::vector<SqlValue> params = {from, to};
      for (std::size_t i = 0; i < n; ++i) {
        marks += i ? ", ?" : "?";
        params.emplace_back(visitors[first + i]);
      }
      c.run(std::string("SELECT ") + kTouchColumns + " FROM touches WHERE at >= ? AND at <= ? AND visitor IN (" +
                marks + ") ORDER BY visitor, at, source, influencer, code, landing",
            params, [&](const SqlRow& r) { out.push_back(to_json(touch_of(r))); });
    }
    return out;
  });
}

int SqlStore::record_sales(const std::vector<std::string>& order_ids, const std::vector<CommissionLine>& lines,
                           Timestamp now) {
  return in_transaction(*db_, true, [&](SqlConnection& c) {
    std::map<std::string, bool> claimed;  // order id -> this call recorded it
    for (const auto& id : order_ids) claimed[id] = claim_source(c, id, now);
    int recorded = 0;
    for (const auto& line : lines)
      if (auto it = claimed.find(line.order_id); it != claimed.end() && it->second) {
        insert_line(c, line, now);
        ++recorded;
      }
    return recorded;
  });
}

int SqlStore::record_refunds(int limit,
                             const std::function<std::vector<CommissionLine>(const LedgerRefund&)>& clawbacks,
                             Timestamp now) {
  struct Unread {
    std::string refund_id, order_id;
  };
  std::vector<Unread> unread = in_transaction(*db_, false, [&](SqlConnection& c) {
    std::vector<Unread> out;
    c.run("SELECT r.refund_id, r.order_id FROM refunds r JOIN commission_sources s ON s.source = r.order_id "
          "WHERE NOT EXISTS (SELECT 1 FROM commission_sources t WHERE t.source = 'refund:' || r.refund_id) "
          "ORDER BY r.at, r.refund_id LIMIT ?",
          {limit}, [&](const SqlRow& r) { out.push_back({r.text(0), r.text(1)}); });
    return out;
  });
  for (const auto& u : unread)
    in_transaction(*db_, true, [&](SqlConnection& c) {
      if (!claim_source(c, "refund:" + u.refund_id, now)) return;  // another instance read it meanwhile
      LedgerRefund refund;
      refund.refund_id = u.refund_id;
      c.run("SELECT body FROM refunds WHERE refund_id = ?", {u.refund_id},
            [&](const SqlRow& r) { refund.refund = stored_json(r.text(0)); });
      c.run("SELECT body FROM orders WHERE order_id = ?", {u.order_id},
            [&](const SqlRow& r) { refund.order = stored_json(r.text(0)); });
      c.run("SELECT r.body FROM refunds r JOIN commission_sources s ON s.source = 'refund:' || r.refund_id "
            "WHERE r.order_id = ? AND r.refund_id <> ? ORDER BY r.at, r.refund_id",
            {u.order_id, u.refund_id}, [&](const SqlRow& r) { refund.earlier.push_back(stored_json(r.text(0))); });
      refund.order_lines = lines_where(c, "order_id = ?", {u.order_id});
      for (const auto& line : clawbacks(refund)) insert_line(c, line, now);
    });
  return static_cast<int>(unread.size());
}

Timestamp SqlStore::ledger_cursor() {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    return static_cast<Timestamp>(std::stoll(setting(c, "ledger_cursor", "0")));
  });
}

void SqlStore::set_ledger_cursor(Timestamp received_at) {
  in_transaction(*db_, true, [&](SqlConnection& c) {
    // Only forward, whichever instance writes last.
    std::int64_t stored = std::stoll(setting(c, "ledger_cursor", "0"));
    c.run("INSERT INTO portal_settings (key, value) VALUES ('ledger_cursor', ?) ON CONFLICT (key) DO UPDATE SET "
          "value = excluded.value",
          {std::to_string(std::max<std::int64_t>(stored, received_at))});
  });
}

json SqlStore::creator_touches(const std::string& influencer, const std::vector<std::string>& names, Timestamp from,
                               Timestamp to) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    std::string marks;
    std::vector<SqlValue> params = {from, to, influencer};
    for (const auto& name : names) {
      marks += ", ?";
      params.emplace_back(name);
    }
    json out = json::array();
    c.run(std::string("SELECT ") + kTouchColumns +
              " FROM touches WHERE at >= ? AND at < ? AND source = 'link' AND (influencer = ? OR lower(code) IN (''" +
              marks + ")) ORDER BY at, visitor, influencer, code, landing",
          params, [&](const SqlRow& r) { out.push_back(to_json(touch_of(r))); });
    return out;
  });
}

std::vector<CommissionLine> SqlStore::commission_lines(const std::string& influencer, Timestamp from, Timestamp to) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    return lines_where(c, "influencer = ? AND at >= ? AND at < ?", {influencer, from, to});
  });
}

std::vector<CommissionLine> SqlStore::unpaid_commissions(const std::string& influencer) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    return lines_where(c, "payout_id IS NULL AND (? = '' OR influencer = ?)", {influencer, influencer});
  });
}

std::vector<CommissionLine> SqlStore::all_commissions(const std::string& influencer) {
  return in_transaction(*db_, false, [&](SqlConnection& c) { return lines_where(c, "influencer = ?", {influencer}); });
}

std::vector<PayoutRecord> SqlStore::record_payouts(const std::vector<PayoutPlan>& plans, const PayoutRecord& run,
                                                   Timestamp now) {
  return in_transaction(*db_, true, [&](SqlConnection& c) {
    std::vector<PayoutRecord> out;
    for (const auto& plan : plans) {
      PayoutRecord p = run;
      p.id = "po-" + random_hex(8);
      p.influencer = plan.influencer;
      p.amount_minor = plan.amount_minor;
      p.lines = static_cast<std::int64_t>(plan.lines.size());
      p.paid_at = now;
      for (const auto& line : plan.lines)
        if (c.run("UPDATE commissions SET payout_id = ? WHERE influencer = ? AND order_id = ? AND refund_id = ? AND "
                  "payout_id IS NULL",
                  {p.id, line.influencer, line.order_id, line.refund_id}) == 0)
          throw_error({"payout.changed", "",
                       "the commission of " + quote_for_message(line.influencer) + " on order " +
                           quote_for_message(line.order_id) + " was paid meanwhile; nothing was marked paid"});
      c.run("INSERT INTO payouts (id, run, influencer, amount_minor, currency, lines, paid_at, method, reference) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {p.id, p.run, p.influencer, p.amount_minor, p.currency, p.lines, p.paid_at, p.method, p.reference});
      c.run("UPDATE payout_requests SET payout_id = ? WHERE influencer = ? AND payout_id IS NULL",
            {p.id, p.influencer});
      out.push_back(std::move(p));
    }
    return out;
  });
}

std::vector<PayoutRecord> SqlStore::payouts(const std::string& influencer, const std::string& run, int limit) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    std::vector<PayoutRecord> out;
    c.run("SELECT id, run, influencer, amount_minor, currency, lines, paid_at, method, reference FROM payouts "
          "WHERE (? = '' OR influencer = ?) AND (? = '' OR run = ?) ORDER BY paid_at DESC, id LIMIT ?",
          {influencer, influencer, run, run, limit}, [&](const SqlRow& r) { out.push_back(payout_of(r)); });
    return out;
  });
}

bool SqlStore::request_payout(const std::string& influencer, std::int64_t amount_minor, Timestamp now) {
  return in_transaction(*db_, true, [&](SqlConnection& c) {
    if (first_integer(c, "SELECT COUNT(*) FROM payout_requests WHERE influencer = ? AND payout_id IS NULL",
                      {influencer}) > 0)
      return false;
    return c.run("INSERT INTO payout_requests (influencer, requested_at, amount_minor, payout_id) "
                 "VALUES (?, ?, ?, NULL) ON CONFLICT DO NOTHING",
                 {influencer, now, amount_minor}) > 0;
  });
}

std::vector<PayoutRequest> SqlStore::payout_requests(const std::string& influencer, bool open_only) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    std::vector<PayoutRequest> out;
    c.run("SELECT influencer, requested_at, amount_minor, payout_id FROM payout_requests WHERE (? = '' OR "
          "influencer = ?) AND (? = 0 OR payout_id IS NULL) ORDER BY requested_at DESC, influencer",
          {influencer, influencer, open_only ? 1 : 0}, [&](const SqlRow& r) {
            out.push_back({r.text(0), r.integer(1), r.integer(2), r.is_null(3) ? "" : r.text(3)});
          });
    return out;
  });
}

}  // namespace vouch::server
