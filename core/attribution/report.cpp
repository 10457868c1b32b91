// The per-influencer report: traffic from the touches, money from the
// attributed orders, over one time range. Formulas in docs/attribution.md.
#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <tuple>

#include "attribution/attribution.hpp"
#include "common/json_output.hpp"
#include "common/money.hpp"
#include "common/sorting.hpp"
#include "common/text.hpp"

namespace vouch {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxListedUnattributable = 100;

// Money on one side: orders signed by the store (verified) or reported by
// shoppers' browsers.
struct Side {
  std::int64_t orders = 0;
  std::int64_t revenue_minor = 0;
  std::int64_t commission_minor = 0;
  std::int64_t refunds = 0;
  std::int64_t refunded_minor = 0;  // refunded order value, > 0
  std::int64_t flagged_orders = 0;
  std::int64_t attributed_orders = 0;         // totals only
  std::int64_t attributed_revenue_minor = 0;  // totals only
};
constexpr std::size_t kVerified = 0, kReported = 1;

struct Row {
  std::int64_t clicks = 0;
  std::int64_t visitors = 0;
  Side side[2];
};

// round_score(numerator / denominator), or null for a zero denominator.
void put_ratio(json& object, const char* key, double numerator, double denominator) {
  put_score_or_null(object, key, denominator == 0 ? std::nullopt : std::optional<double>(numerator / denominator));
}

void put_money_ratio(json& object, const char* key, std::int64_t minor, double denominator,
                     const std::string& currency) {
  put_ratio(object, key, to_major_units(minor, currency), denominator);
}

}  // namespace

json build_report(const AttributionData& data, const std::vector<OrderAttribution>& results,
                  const AttributionConfig& config) {
  const Feed& feed = data.feed();
  const std::string& currency = feed.store.currency;

  // The range: configured, or from the first to the last event.
  Timestamp first = std::numeric_limits<Timestamp>::max(), last = std::numeric_limits<Timestamp>::min();
  for (const auto& t : data.touches) first = std::min(first, t.at), last = std::max(last, t.at);
  for (const auto& o : data.orders) first = std::min(first, o.at), last = std::max(last, o.at);
  if (first > last) first = last = 0;
  const Timestamp from = config.from.value_or(first), to = config.to.value_or(last);
  auto in_range = [&](Timestamp at) { return at >= from && at <= to; };

  std::vector<Row> rows(feed.influencers.size());
  Row total;
  // Touches are grouped by visitor (attribute() sorted them), so unique
  // visitors per influencer need only a small per-visitor list.
  std::vector<std::int32_t> seen;
  std::uint32_t current = std::numeric_limits<std::uint32_t>::max();
  bool visitor_counted = false;
  for (const auto& t : data.touches) {
    if (t.visitor != current) current = t.visitor, seen.clear(), visitor_counted = false;
    if (!in_range(t.at) || t.influencer < 0) continue;
    Row& row = rows[static_cast<std::size_t>(t.influencer)];
    if (t.source == TouchSource::Link) ++row.clicks, ++total.clicks;
    if (std::find(seen.begin(), seen.end(), t.influencer) == seen.end()) {
      seen.push_back(t.influencer);
      ++row.visitors;
    }
    if (!visitor_counted) visitor_counted = true, ++total.visitors;
  }

  std::int64_t duplicates = 0;
  Side total_side[2];
  std::map<std::string, std::int64_t> flag_counts;
  for (const auto& r : results) {
    if (!in_range(r.at)) continue;
    if (r.duplicate) {
      ++duplicates;
      continue;
    }
    for (const auto& f : r.flags) ++flag_counts[f];
    const std::size_t side = r.verified ? kVerified : kReported;
    Side& t = total_side[side];
    t.revenue_minor += r.value_minor;
    if (r.refund) ++t.refunds, t.refunded_minor -= r.value_minor;
    else ++t.orders;
    if (!r.refund && !r.credits.empty()) ++t.attributed_orders;
    for (const auto& c : r.credits) {
      Side& row = rows[static_cast<std::size_t>(c.influencer)].side[side];
      row.revenue_minor += c.revenue_minor;
      row.commission_minor += c.commission_minor;
      t.attributed_revenue_minor += c.revenue_minor;
      t.commission_minor += c.commission_minor;
      if (r.refund) ++row.refunds;
      else ++row.orders;
      if (!r.refund && !r.flags.empty()) ++row.flagged_orders;
    }
  }
  // Commission is owed on verified orders when the store sends them.
  CommissionBasis basis = config.commission_basis;
  if (basis == CommissionBasis::Auto)
    basis = total_side[kReported].orders > 0 && total_side[kVerified].orders == 0 ? CommissionBasis::Reported
                                                                                 : CommissionBasis::Verified;
  const std::size_t on = basis == CommissionBasis::Verified ? kVerified : kReported;

  std::vector<std::size_t> order(rows.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  sort_indices(order, [&](std::size_t a, std::size_t b) {
    if (rows[a].side[on].revenue_minor != rows[b].side[on].revenue_minor)
      return rows[a].side[on].revenue_minor > rows[b].side[on].revenue_minor;
    return feed.influencers[a].id < feed.influencers[b].id;
  });

  auto side_json = [&](const Side& s, bool totals) {
    json out = json::object();
    put_int(out, "orders", s.orders);
    put_number(out, "revenue", to_major_units(s.revenue_minor, currency));
    put_number(out, "commission", to_major_units(s.commission_minor, currency));
    if (totals) {
      put_int(out, "attributed_orders", s.attributed_orders);
      put_number(out, "attributed_revenue", to_major_units(s.attributed_revenue_minor, currency));
      put_int(out, "refunds", s.refunds);
      put_number(out, "refunded", to_major_units(s.refunded_minor, currency));
    }
    return out;
  };

  json influencers = json::array();
  std::int64_t total_rate_minor = 0;
  for (std::size_t i : order) {
    const Influencer& inf = feed.influencers[i];
    const Row& row = rows[i];
    const Side& money = row.side[on];
    // The rate (one paid post per report period) makes ROI meaningful; without
    // a rate in the store currency the cost is the commission alone and ROI
    // is null.
    bool rate_known = inf.rate && inf.rate->amount.currency == currency;
    std::int64_t cost = money.commission_minor + (rate_known ? inf.rate->amount.minor : 0);
    if (rate_known) total_rate_minor += inf.rate->amount.minor;
    std::optional<double> roi;
    if (rate_known && cost > 0) roi = static_cast<double>(money.revenue_minor - cost) / static_cast<double>(cost);
    const auto orders_d = static_cast<double>(money.orders);
    json out = json::object();
    put_string(out, "influencer", inf.id);
    put_string(out, "handle", inf.handle);
    put_int(out, "clicks", row.clicks);
    put_int(out, "visitors", row.visitors);
    put_int(out, "orders", money.orders);
    put_int(out, "refunds", money.refunds);
    put_int(out, "flagged_orders", money.flagged_orders);
    put_number(out, "revenue", to_major_units(money.revenue_minor, currency));
    put_ratio(out, "conversion_rate", orders_d, static_cast<double>(row.visitors));
    put_money_ratio(out, "epc", money.revenue_minor, static_cast<double>(row.clicks), currency);
    put_money_ratio(out, "aov", money.revenue_minor, orders_d, currency);
    put_number(out, "commission", to_major_units(money.commission_minor, currency));
    put_number(out, "cost", to_major_units(cost, currency));
    put_score_or_null(out, "roi", roi);
    put(out, "verified", side_json(row.side[kVerified], false));
    put(out, "reported", side_json(row.side[kReported], false));
    influencers.push_back(std::move(out));
  }

  const Side& t = total_side[on];
  std::int64_t total_cost = t.commission_minor + total_rate_minor;
  json totals = json::object();
  put_int(totals, "clicks", total.clicks);
  put_int(totals, "visitors", total.visitors);
  put_int(totals, "orders", t.orders);
  put_int(totals, "attributed_orders", t.attributed_orders);
  put_int(totals, "refunds", t.refunds);
  put_number(totals, "refunded", to_major_units(t.refunded_minor, currency));
  put_int(totals, "duplicates", duplicates);
  put_number(totals, "revenue", to_major_units(t.revenue_minor, currency));
  put_number(totals, "attributed_revenue", to_major_units(t.attributed_revenue_minor, currency));
  put_ratio(totals, "conversion_rate", static_cast<double>(t.attributed_orders), static_cast<double>(total.visitors));
  put_money_ratio(totals, "epc", t.attributed_revenue_minor, static_cast<double>(total.clicks), currency);
  put_money_ratio(totals, "aov", t.revenue_minor, static_cast<double>(t.orders), currency);
  put_money_ratio(totals, "attributed_aov", t.attributed_revenue_minor, static_cast<double>(t.attributed_orders),
                  currency);
  put_number(totals, "commission", to_major_units(t.commission_minor, currency));
  put_number(totals, "cost", to_major_units(total_cost, currency));
  put_ratio(totals, "roi", static_cast<double>(t.attributed_revenue_minor - total_cost),
            total_cost > 0 ? static_cast<double>(total_cost) : 0.0);
  json flags = json::object();
  for (const auto& [flag, count] : flag_counts) put_int(flags, flag.c_str(), count);
  put(totals, "flags", std::move(flags));
  put(totals, "verified", side_json(total_side[kVerified], true));
  put(totals, "reported", side_json(total_side[kReported], true));
  put_int(totals, "unattributable_orders", static_cast<std::int64_t>(data.unattributable.size()));

  // Unknown referrers, sorted by value (case-insensitively, then as typed).
  std::vector<const UnknownReferrer*> unknown;
  for (const auto& u : data.unknown_referrers) unknown.push_back(&u);
  // A total order within a kind (note_unknown keeps one entry per kind and
  // case-folded value), so stable_sort_by gives std::sort's order.
  stable_sort_by(unknown, [](const UnknownReferrer* a, const UnknownReferrer* b) {
    return std::make_tuple(ascii_lower(a->value), a->value) < std::make_tuple(ascii_lower(b->value), b->value);
  });
  json unknown_codes = json::array(), unknown_influencers = json::array();
  for (const auto* u : unknown) {
    json out = json::object();
    put_string(out, u->kind.c_str(), u->value);
    put_int(out, "touches", u->touches);
    put_int(out, "orders", u->orders);
    (u->kind == "code" ? unknown_codes : unknown_influencers).push_back(std::move(out));
  }

  json out = json::object();
  put_string(out, "from", format_rfc3339(from));
  put_string(out, "to", format_rfc3339(to));
  put_string(out, "currency", currency);
  put_string(out, "model", to_string(config.model));
  put_string(out, "commission_basis", on == kVerified ? "verified" : "reported");
  put(out, "influencers", std::move(influencers));
  put(out, "totals", std::move(totals));
  put(out, "unknown_codes", std::move(unknown_codes));
  put(out, "unknown_influencers", std::move(unknown_influencers));
  // The first orders that could not be attributed, with the reason.
  json unattributable = json::array();
  for (std::size_t i = 0; i < data.unattributable.size() && i < kMaxListedUnattributable; ++i) {
    const UnattributableOrder& u = data.unattributable[i];
    json entry = json::object();
    put(entry, "order_id", u.order_id.empty() ? json(nullptr) : json(u.order_id));
    put(entry, "error", u.error);
    unattributable.push_back(std::move(entry));
  }
  put(out, "unattributable_orders", std::move(unattributable));
  return out;
}

json attribute_and_report(AttributionData& data, const AttributionConfig& config) {
  Timestamp now = 0;
  for (const auto& t : data.touches) now = std::max(now, t.at);
  for (const auto& o : data.orders) now = std::max(now, o.at);
  if (config.to) now = *config.to;
  auto results = attribute(data, config, now);
  return build_report(data, results, config);
}

}  // namespace vouch
