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

struct Row {
  std::int64_t clicks = 0;
  std::int64_t visitors = 0;
  std::int64_t orders = 0;
  std::int64_t revenue_minor = 0;
  std::int64_t commission_minor = 0;
  std::int64_t refunds = 0;
  std::int64_t flagged_orders = 0;
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

  std::int64_t orders = 0, revenue = 0, attributed_orders = 0, duplicates = 0, refunds = 0;
  std::map<std::string, std::int64_t> flag_counts;
  for (const auto& r : results) {
    if (!in_range(r.at)) continue;
    if (r.duplicate) {
      ++duplicates;
      continue;
    }
    for (const auto& f : r.flags) ++flag_counts[f];
    revenue += r.value_minor;
    if (r.refund) ++refunds;
    else ++orders;
    if (!r.refund && !r.credits.empty()) ++attributed_orders;
    for (const auto& c : r.credits) {
      Row& row = rows[static_cast<std::size_t>(c.influencer)];
      row.revenue_minor += c.revenue_minor;
      row.commission_minor += c.commission_minor;
      total.revenue_minor += c.revenue_minor;
      total.commission_minor += c.commission_minor;
      if (r.refund) ++row.refunds;
      else ++row.orders;
      if (!r.refund && !r.flags.empty()) ++row.flagged_orders;
    }
  }

  std::vector<std::size_t> order(rows.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  sort_indices(order, [&](std::size_t a, std::size_t b) {
    if (rows[a].revenue_minor != rows[b].revenue_minor) return rows[a].revenue_minor > rows[b].revenue_minor;
    return feed.influencers[a].id < feed.influencers[b].id;
  });

  json influencers = json::array();
  std::int64_t total_rate_minor = 0;
  for (std::size_t i : order) {
    const Influencer& inf = feed.influencers[i];
    const Row& row = rows[i];
    // The rate (one paid post per report period) makes ROI meaningful; without
    // a rate in the store currency the cost is the commission alone and ROI
    // is null.
    bool rate_known = inf.rate && inf.rate->amount.currency == currency;
    std::int64_t cost = row.commission_minor + (rate_known ? inf.rate->amount.minor : 0);
    if (rate_known) total_rate_minor += inf.rate->amount.minor;
    std::optional<double> roi;
    if (rate_known && cost > 0) roi = static_cast<double>(row.revenue_minor - cost) / static_cast<double>(cost);
    const auto orders_d = static_cast<double>(row.orders);
    json out = json::object();
    put_string(out, "influencer", inf.id);
    put_string(out, "handle", inf.handle);
    put_int(out, "clicks", row.clicks);
    put_int(out, "visitors", row.visitors);
    put_int(out, "orders", row.orders);
    put_int(out, "refunds", row.refunds);
    put_int(out, "flagged_orders", row.flagged_orders);
    put_number(out, "revenue", to_major_units(row.revenue_minor, currency));
    put_ratio(out, "conversion_rate", orders_d, static_cast<double>(row.visitors));
    put_money_ratio(out, "epc", row.revenue_minor, static_cast<double>(row.clicks), currency);
    put_money_ratio(out, "aov", row.revenue_minor, orders_d, currency);
    put_number(out, "commission", to_major_units(row.commission_minor, currency));
    put_number(out, "cost", to_major_units(cost, currency));
    put_score_or_null(out, "roi", roi);
    influencers.push_back(std::move(out));
  }

  std::int64_t total_cost = total.commission_minor + total_rate_minor;
  json totals = json::object();
  put_int(totals, "clicks", total.clicks);
  put_int(totals, "visitors", total.visitors);
  put_int(totals, "orders", orders);
  put_int(totals, "attributed_orders", attributed_orders);
  put_int(totals, "refunds", refunds);
  put_int(totals, "duplicates", duplicates);
  put_number(totals, "revenue", to_major_units(revenue, currency));
  put_number(totals, "attributed_revenue", to_major_units(total.revenue_minor, currency));
  put_ratio(totals, "conversion_rate", static_cast<double>(attributed_orders), static_cast<double>(total.visitors));
  put_money_ratio(totals, "epc", total.revenue_minor, static_cast<double>(total.clicks), currency);
  put_money_ratio(totals, "aov", revenue, static_cast<double>(orders), currency);
  put_number(totals, "commission", to_major_units(total.commission_minor, currency));
  put_number(totals, "cost", to_major_units(total_cost, currency));
  put_ratio(totals, "roi", static_cast<double>(total.revenue_minor - total_cost),
            total_cost > 0 ? static_cast<double>(total_cost) : 0.0);
  json flags = json::object();
  for (const auto& [flag, count] : flag_counts) put_int(flags, flag.c_str(), count);
  put(totals, "flags", std::move(flags));

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
  put(out, "influencers", std::move(influencers));
  put(out, "totals", std::move(totals));
  put(out, "unknown_codes", std::move(unknown_codes));
  put(out, "unknown_influencers", std::move(unknown_influencers));
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
