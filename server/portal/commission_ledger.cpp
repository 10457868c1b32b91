#include "commission_ledger.hpp"

#include <algorithm>
#include <limits>
#include <set>

#include "common/error.hpp"
#include "common/money.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

constexpr int kOrdersPerBatch = 500;
// Orders are read from a little before the last one read: a transaction that
// committed late on another instance is not skipped (those read are not read again).
constexpr Timestamp kCursorOverlap = 3600;

// One batch of new orders: credited, their lines recorded. Returns the orders read.
std::size_t read_order_batch(Store& store, const LedgerRules& rules, Timestamp now, int& lines_recorded) {
  auto orders = store.unread_orders(std::max<Timestamp>(0, store.ledger_cursor() - kCursorOverlap), kOrdersPerBatch);
  if (orders.empty()) return 0;
  std::set<std::string> visitors;
  Timestamp first = std::numeric_limits<Timestamp>::max(), last = 0, received = 0;
  for (const auto& o : orders) {
    received = std::max(received, o.received_at);
    if (!o.order.is_object()) continue;
    if (auto v = o.order.find("visitor"); v != o.order.end() && v->is_string()) visitors.insert(v->get<std::string>());
    if (auto at = o.order.find("at"); at != o.order.end() && at->is_string())
      if (auto t = parse_rfc3339(at->get<std::string>())) first = std::min(first, *t), last = std::max(last, *t);
  }
  json touches = visitors.empty() || first > last
                     ? json::array()
                     : store.touches_of_visitors({visitors.begin(), visitors.end()},
                                                 first - rules.config.window_seconds, last);
  AttributionData data(rules.feed);
  json kept = json::array();  // the touches `data` holds, in its order (sale_lines reads their src)
  for (auto& touch : touches) {
    try {
      data.add_touch(touch, kept.size());
      kept.push_back(std::move(touch));
    } catch (const VouchException&) {
      // a touch stored by an older vouch that no longer reads: not credited
    }
  }
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < orders.size(); ++i) {
    ids.push_back(orders[i].order_id);
    data.add_order_or_set_aside(orders[i].order, i);  // one that no longer reads is read, with no line
  }
  auto results = attribute(data, rules.config, now);
  lines_recorded += store.record_sales(ids, sale_lines(data, results, kept, rules.config.window_seconds), now);
  store.set_ledger_cursor(received);
  return orders.size();
}

// The clawback lines of one refund, from what the ledger holds of its order.
std::vector<CommissionLine> clawbacks_of(const LedgerRefund& refund, const std::string& currency) {
  InputRules input;
  input.currency = currency;
  try {
    OrderInput order = read_order(refund.order, "", input);
    OrderInput back = read_order(refund.refund, "", input);
    std::int64_t value = order.value_minor.value_or(0);
    std::int64_t left = value;
    for (const auto& earlier : refund.earlier) {
      OrderInput e = read_order(earlier, "", input);
      auto requested = e.value_minor ? std::optional<std::int64_t>(-*e.value_minor) : std::nullopt;
      left -= refunded_amount(requested, left).minor;
    }
    auto requested = back.value_minor ? std::optional<std::int64_t>(-*back.value_minor) : std::nullopt;
    std::string refund_id = refund.refund_id;
    return clawback_lines(refund.order_lines, value, value - left, {refund_id, back.at, requested});
  } catch (const VouchException&) {
    return {};  // an order or refund that no longer reads (another currency): nothing to claw back
  }
}

}  // namespace

int catch_up_commissions(Store& store, const LedgerRules& rules, Timestamp now, int batches) {
  int lines = 0;
  for (int i = 0; i < batches; ++i)
    if (read_order_batch(store, rules, now, lines) < static_cast<std::size_t>(kOrdersPerBatch)) break;
  const std::string currency = rules.feed.store.currency;
  auto clawbacks = [&](const LedgerRefund& refund) {
    auto out = clawbacks_of(refund, currency);
    lines += static_cast<int>(out.size());
    return out;
  };
  while (store.record_refunds(kOrdersPerBatch, clawbacks, now) == kOrdersPerBatch) {
  }
  return lines;
}

CommissionTotals balances_of(CommissionStore& store, const std::string& influencer, Timestamp refund_window_seconds,
                             Timestamp now) {
  return totals_of(store.all_commissions(influencer), refund_window_seconds, now);
}

json commissions_document(CommissionStore& store, const std::string& influencer, const std::string& currency,
                          const PortalSettings& settings, Timestamp from, Timestamp to, Timestamp now) {
  const Timestamp window = static_cast<Timestamp>(settings.refund_window_days) * kSecondsPerDay;
  auto lines = store.commission_lines(influencer, from, to);
  json out = json::array();
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) out.push_back(to_json(*it, currency, window, now));
  CommissionTotals t = balances_of(store, influencer, window, now);
  return {{"currency", currency},
          {"refund_window_days", settings.refund_window_days},
          {"totals",
           {{"pending", to_major_units(t.pending_minor, currency)},
            {"approved", to_major_units(t.approved_minor, currency)},
            {"paid", to_major_units(t.paid_minor, currency)}}},
          {"lines", out}};
}

json to_json(const PayoutRecord& p) {
  return {{"id", p.id},       {"run", p.run},
          {"influencer", p.influencer},
          {"amount", to_major_units(p.amount_minor, p.currency)},
          {"currency", p.currency},
          {"lines", p.lines}, {"paid_at", format_rfc3339(p.paid_at)},
          {"method", p.method}, {"reference", p.reference}};
}

json payouts_document(CommissionStore& store, const std::string& influencer, const std::string& currency,
                      const PortalSettings& settings, Timestamp now) {
  const Timestamp window = static_cast<Timestamp>(settings.refund_window_days) * kSecondsPerDay;
  CommissionTotals t = balances_of(store, influencer, window, now);
  auto open = store.payout_requests(influencer, true);
  json history = json::array();
  for (const auto& p : store.payouts(influencer, "", 100)) history.push_back(to_json(p));
  json request = nullptr;
  if (!open.empty())
    request = {{"requested_at", format_rfc3339(open.front().requested_at)},
               {"amount", to_major_units(open.front().amount_minor, currency)}};
  bool reached = t.approved_minor > 0 && t.approved_minor >= settings.payout_minimum_minor;
  return {{"currency", currency},
          {"minimum", to_major_units(settings.payout_minimum_minor, currency)},
          {"next_amount", to_major_units(std::max<std::int64_t>(0, t.approved_minor), currency)},
          {"pending", to_major_units(t.pending_minor, currency)},
          {"paid", to_major_units(t.paid_minor, currency)},
          {"can_request", reached && open.empty()},
          {"open_request", request},
          {"history", history}};
}

}  // namespace vouch::server
