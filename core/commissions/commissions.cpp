#include "commissions/commissions.hpp"

#include <algorithm>
#include <map>

#include "common/error.hpp"
#include "common/money.hpp"

namespace vouch {

std::string_view to_string(CommissionState state) {
  switch (state) {
    case CommissionState::Pending: return "pending";
    case CommissionState::Approved: return "approved";
    case CommissionState::Paid: return "paid";
  }
  return "pending";
}

Timestamp approves_at(const CommissionLine& line, Timestamp refund_window_seconds) {
  return std::max(line.at, line.order_at + refund_window_seconds);
}

CommissionState state_of(const CommissionLine& line, Timestamp refund_window_seconds, Timestamp now) {
  if (!line.payout.empty()) return CommissionState::Paid;
  return now >= approves_at(line, refund_window_seconds) ? CommissionState::Approved : CommissionState::Pending;
}

CommissionTotals totals_of(const std::vector<CommissionLine>& lines, Timestamp refund_window_seconds, Timestamp now) {
  CommissionTotals totals;
  for (const auto& line : lines) switch (state_of(line, refund_window_seconds, now)) {
      case CommissionState::Pending: totals.pending_minor += line.amount_minor; break;
      case CommissionState::Approved: totals.approved_minor += line.amount_minor; break;
      case CommissionState::Paid: totals.paid_minor += line.amount_minor; break;
    }
  return totals;
}

namespace {

// The src of the last link touch of `influencer` on the visitor's path in
// [order.at - window, order.at] that carries one. data.touches is sorted by
// visitor, then time (attribute() sorts it).
std::string source_tag(const AttributionData& data, const Order& order, std::int32_t influencer,
                       const nlohmann::json& touches, Timestamp window_seconds) {
  if (order.visitor < 0) return "";
  auto visitor = static_cast<std::uint32_t>(order.visitor);
  auto first = std::lower_bound(data.touches.begin(), data.touches.end(), visitor,
                                [](const Touch& t, std::uint32_t v) { return t.visitor < v; });
  std::string tag;
  for (auto t = first; t != data.touches.end() && t->visitor == visitor && t->at <= order.at; ++t) {
    if (t->influencer != influencer || t->source != TouchSource::Link || t->at < order.at - window_seconds) continue;
    if (t->seq >= touches.size()) continue;
    const nlohmann::json& input = touches[t->seq];
    if (input.is_object() && input.contains("src") && input["src"].is_string()) tag = input["src"].get<std::string>();
  }
  return tag;
}

}  // namespace

std::vector<CommissionLine> sale_lines(const AttributionData& data, const std::vector<OrderAttribution>& results,
                                       const nlohmann::json& touches, Timestamp window_seconds) {
  std::vector<CommissionLine> lines;
  const Feed& feed = data.feed();
  for (std::size_t i = 0; i < results.size() && i < data.orders.size(); ++i) {
    const OrderAttribution& r = results[i];
    if (r.duplicate || r.refund || !r.verified) continue;
    for (const Credit& c : r.credits) {
      if (c.influencer < 0 || (c.commission_minor == 0 && c.revenue_minor == 0)) continue;
      CommissionLine line;
      line.influencer = feed.influencers[static_cast<std::size_t>(c.influencer)].id;
      line.order_id = r.order_id;
      line.order_at = line.at = r.at;
      line.revenue_minor = c.revenue_minor;
      line.amount_minor = c.commission_minor;
      line.src = source_tag(data, data.orders[i], c.influencer, touches, window_seconds);
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

std::vector<CommissionLine> clawback_lines(const std::vector<CommissionLine>& order_lines,
                                           std::int64_t order_value_minor, std::int64_t refunded_before_minor,
                                           const RefundOfSale& refund) {
  std::int64_t value_left = std::max<std::int64_t>(0, order_value_minor - refunded_before_minor);
  std::int64_t amount = refunded_amount(refund.amount_minor, value_left).minor;
  std::int64_t value_left_after = value_left - amount;
  // What each creator's sale earned, and what earlier refunds took back.
  std::map<std::string, std::pair<const CommissionLine*, std::int64_t>> sales;  // influencer -> sale, left
  for (const auto& line : order_lines)
    if (!line.clawback()) sales[line.influencer] = {&line, line.amount_minor};
  for (const auto& line : order_lines)
    if (line.clawback())
      if (auto it = sales.find(line.influencer); it != sales.end()) it->second.second += line.amount_minor;
  std::vector<CommissionLine> lines;
  if (amount <= 0) return lines;
  for (const auto& [influencer, sale] : sales) {
    const CommissionLine& sold = *sale.first;
    std::int64_t claw = clawback_for(sold.amount_minor, sale.second, amount, order_value_minor, value_left_after);
    // The credited revenue comes back in the same proportion (rounded half up).
    __extension__ typedef __int128 Wide;
    std::int64_t revenue =
        order_value_minor <= 0
            ? 0
            : static_cast<std::int64_t>((static_cast<Wide>(sold.revenue_minor) * amount + order_value_minor / 2) /
                                        order_value_minor);
    CommissionLine line = sold;
    line.refund_id = refund.refund_id;
    line.at = refund.at;
    line.revenue_minor = -revenue;
    line.amount_minor = -claw;
    line.payout.clear();
    lines.push_back(std::move(line));
  }
  return lines;
}

PayoutPlan plan_payout(const std::string& influencer, const std::vector<CommissionLine>& unpaid,
                       const std::vector<std::string>& selected_orders, Timestamp refund_window_seconds,
                       Timestamp now) {
  PayoutPlan plan;
  plan.influencer = influencer;
  auto approved = [&](const CommissionLine& line) {
    return state_of(line, refund_window_seconds, now) == CommissionState::Approved;
  };
  for (std::size_t i = 0; i < selected_orders.size(); ++i) {
    const std::string& order = selected_orders[i];
    auto sale = std::find_if(unpaid.begin(), unpaid.end(), [&](const CommissionLine& line) {
      return line.influencer == influencer && !line.clawback() && line.payout.empty() && line.order_id == order;
    });
    std::string path = "/orders/" + std::to_string(i);
    if (sale == unpaid.end())
      throw_error({"payout.unknown_line", path,
                   "order " + quote_for_message(order) + " has no unpaid commission of " + quote_for_message(influencer)});
    if (!approved(*sale))
      throw_error({"payout.not_approved", path,
                   "the commission on order " + quote_for_message(order) + " is still pending (approved on " +
                       format_date(approves_at(*sale, refund_window_seconds)) + ")"});
    if (std::none_of(plan.lines.begin(), plan.lines.end(),
                     [&](const CommissionLine& l) { return l.order_id == order && !l.clawback(); }))
      plan.lines.push_back(*sale);
  }
  for (const auto& line : unpaid)
    if (line.influencer == influencer && line.clawback() && line.payout.empty() && approved(line))
      plan.lines.push_back(line);
  for (const auto& line : plan.lines) plan.amount_minor += line.amount_minor;
  if (plan.amount_minor <= 0)
    throw_error({"payout.nothing_to_pay", "/orders",
                 "the selected commissions of " + quote_for_message(influencer) +
                     " come to nothing once approved clawbacks are taken off"});
  return plan;
}

nlohmann::json to_json(const CommissionLine& line, const std::string& currency, Timestamp refund_window_seconds,
                       Timestamp now) {
  auto text_or_null = [](const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); };
  return {{"order_id", line.order_id},
          {"refund_id", text_or_null(line.refund_id)},
          {"kind", line.clawback() ? "clawback" : "sale"},
          {"state", to_string(state_of(line, refund_window_seconds, now))},
          {"order_at", format_rfc3339(line.order_at)},
          {"at", format_rfc3339(line.at)},
          {"approves_at", format_rfc3339(approves_at(line, refund_window_seconds))},
          {"revenue", to_major_units(line.revenue_minor, currency)},
          {"amount", to_major_units(line.amount_minor, currency)},
          {"campaign", text_or_null(line.campaign)},
          {"src", text_or_null(line.src)},
          {"payout", text_or_null(line.payout)}};
}

}  // namespace vouch
