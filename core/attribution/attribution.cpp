// The attribution pass: touches indexed by visitor (sorted by visitor, time,
// influencer id, input position), then one walk over the orders in input
// order. Rules and their reasons are in docs/attribution.md.
#include "attribution/attribution.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>
#include <unordered_set>

#include "common/error.hpp"
#include "common/sorting.hpp"
#include "common/text.hpp"

namespace vouch {

namespace {

constexpr std::int64_t kWholeShare = 1'000'000;  // shares are kept in millionths

struct Refundable {
  std::size_t result = 0;         // index into the results
  std::int64_t value_left = 0;    // not yet refunded, minor units
  std::vector<std::int64_t> commission_left;  // per credit
};

// Marks every link click that is part of a flood: at least flood_clicks
// link clicks from one visitor within flood_seconds (sliding window).
void mark_floods(std::vector<Touch>& touches, const std::vector<std::size_t>& begin,
                 const AttributionConfig& config) {
  std::vector<std::size_t> links;
  for (std::size_t v = 0; v + 1 < begin.size(); ++v) {
    if (begin[v + 1] - begin[v] < static_cast<std::size_t>(config.flood_clicks)) continue;
    links.clear();
    for (std::size_t i = begin[v]; i < begin[v + 1]; ++i)
      if (touches[i].source == TouchSource::Link) links.push_back(i);
    std::size_t first = 0, marked = 0;  // links[marked..] not yet marked
    for (std::size_t last = 0; last < links.size(); ++last) {
      while (touches[links[last]].at - touches[links[first]].at >= config.flood_seconds) ++first;
      if (last - first + 1 >= static_cast<std::size_t>(config.flood_clicks)) {
        for (std::size_t k = std::max(first, marked); k <= last; ++k) touches[links[k]].in_flood = true;
        marked = last + 1;
      }
    }
  }
}

// begin[v] .. begin[v + 1]: visitor v's touches (touches sorted by visitor).
void index_by_visitor(const std::vector<Touch>& touches, std::size_t visitors, std::vector<std::size_t>& begin) {
  begin.assign(visitors + 1, 0);
  for (const auto& t : touches) ++begin[t.visitor + 1];
  std::partial_sum(begin.begin(), begin.end(), begin.begin());
}

class Attributor {
 public:
  Attributor(AttributionData& data, const AttributionConfig& config, Timestamp now)
      : data_(data), feed_(data.feed()), config_(config), now_(now) {
    rank_.resize(feed_.influencers.size());
    std::vector<std::size_t> by_id(feed_.influencers.size());
    std::iota(by_id.begin(), by_id.end(), std::size_t{0});
    sort_indices(by_id, [&](std::size_t a, std::size_t b) { return feed_.influencers[a].id < feed_.influencers[b].id; });
    for (std::size_t k = 0; k < by_id.size(); ++k) rank_[by_id[k]] = static_cast<std::uint32_t>(k);

    sort_touches();
    mark_floods(data_.touches, begin_, config_);  // copies of a click count toward a flood, as sent
    drop_repeated_clicks(data_.touches);
    index_by_visitor(data_.touches, data_.visitors.size(), begin_);

    for (std::size_t i = 0; i < feed_.influencers.size(); ++i)
      for (const auto& hash : feed_.influencers[i].customer_hashes)
        owners_[ascii_lower(hash)].push_back(static_cast<std::int32_t>(i));
  }

  // Touches by visitor, time, influencer id and input position (a total
  // order: seq is unique). Visitors are interned as 0..V-1, so the grouping
  // is a counting sort, O(touches + visitors); a visitor's few touches are
  // then sorted in place.
  void sort_touches() {
    auto& touches = data_.touches;
    index_by_visitor(touches, data_.visitors.size(), begin_);
    std::vector<Touch> grouped(touches.size());
    std::vector<std::size_t> next(begin_.begin(), begin_.end() - 1);
    for (const auto& t : touches) grouped[next[t.visitor]++] = t;
    auto earlier = [&](const Touch& a, const Touch& b) {
      return std::make_tuple(a.at, rank_of(a.influencer), a.seq) < std::make_tuple(b.at, rank_of(b.influencer), b.seq);
    };
    for (std::size_t v = 0; v + 1 < begin_.size(); ++v) {
      auto first = grouped.begin() + static_cast<std::ptrdiff_t>(begin_[v]);
      auto last = grouped.begin() + static_cast<std::ptrdiff_t>(begin_[v + 1]);
      if (last - first > 16) {
        std::sort(first, last, earlier);
      } else if (first != last) {
        for (auto it = first + 1; it != last; ++it)  // insertion sort
          for (auto j = it; j != first && earlier(*j, *(j - 1)); --j) std::iter_swap(j, j - 1);
      }
    }
    touches = std::move(grouped);
  }

  std::vector<OrderAttribution> run() {
    std::vector<OrderAttribution> results;
    results.reserve(data_.orders.size());
    for (const auto& order : data_.orders) results.push_back(attribute_order(order, results));
    return results;
  }

 private:
  std::uint32_t rank_of(std::int32_t influencer) const {
    return influencer < 0 ? UINT32_MAX : rank_[static_cast<std::size_t>(influencer)];
  }
  const std::string& id_of(std::int32_t influencer) const {
    return feed_.influencers[static_cast<std::size_t>(influencer)].id;
  }

  OrderAttribution attribute_order(const Order& order, const std::vector<OrderAttribution>& results) {
    OrderAttribution r;
    r.order_id = order.order_id;
    r.at = order.at;
    r.value_minor = order.value_minor;
    r.verified = order.verified;
    r.model = "none";
    if (!seen_.insert(order.order_id).second) {
      r.duplicate = true;
      r.reasons.push_back("order " + quote_for_message(order.order_id) +
                          " was seen before: a duplicate earns nothing");
      return r;
    }
    if (order.at > now_) add_flag(r, "future_order");
    if (order.unknown_coupon >= 0) {
      add_flag(r, "unknown_code");
      r.reasons.push_back("coupon " +
                          quote_for_message(data_.unknown_referrers[static_cast<std::size_t>(order.unknown_coupon)].value) +
                          " is not a code of any influencer");
    }
    if (order.refund_of) {
      refund(order, r, results);
    } else {
      sale(order, r);
      Refundable entry{results.size(), order.value_minor, {}};
      for (const auto& c : r.credits) entry.commission_left.push_back(c.commission_minor);
      refundable_.emplace(order.order_id, std::move(entry));
    }
    std::sort(r.flags.begin(), r.flags.end());
    r.flags.erase(std::unique(r.flags.begin(), r.flags.end()), r.flags.end());
    return r;
  }

  static void add_flag(OrderAttribution& r, const char* flag) { r.flags.emplace_back(flag); }

  void sale(const Order& order, OrderAttribution& r) {
    std::vector<std::int32_t> self;
    if (!order.customer.empty())
      if (auto it = owners_.find(order.customer); it != owners_.end()) self = it->second;
    auto is_self = [&](std::int32_t inf) { return std::find(self.begin(), self.end(), inf) != self.end(); };

    // The path: the visitor's touches inside [order - window, order].
    std::vector<const Touch*> path;
    std::vector<std::string> injected, self_touched;
    if (order.visitor >= 0) {
      const auto v = static_cast<std::size_t>(order.visitor);
      auto first = data_.touches.begin() + static_cast<std::ptrdiff_t>(begin_[v]);
      auto last = data_.touches.begin() + static_cast<std::ptrdiff_t>(begin_[v + 1]);
      auto lo = std::partition_point(first, last, [&](const Touch& t) { return t.at < order.at - config_.window_seconds; });
      auto hi = std::partition_point(lo, last, [&](const Touch& t) { return t.at <= order.at; });
      if (lo != first)
        r.reasons.push_back(std::to_string(lo - first) + " touch(es) older than the " +
                            window_text() + " window ignored");
      if (hi != last) r.reasons.push_back(std::to_string(last - hi) + " touch(es) after the order ignored");
      for (auto it = lo; it != hi; ++it) {
        const Touch& t = *it;
        if (t.in_flood) add_flag(r, "click_flood");
        if (t.influencer < 0) {
          add_flag(r, "unknown_code");
          continue;
        }
        if (is_self(t.influencer)) {
          self_touched.push_back(id_of(t.influencer));
          continue;
        }
        if (t.source == TouchSource::Link && config_.click_injection_seconds > 0 &&
            order.at - t.at <= config_.click_injection_seconds) {
          injected.push_back(id_of(t.influencer) + " " + std::to_string(order.at - t.at) + " s");
          continue;
        }
        path.push_back(&t);
      }
    }
    if (!injected.empty()) {
      add_flag(r, "click_injection");
      std::string list;
      for (const auto& s : injected) list += (list.empty() ? "" : ", ") + s;
      r.reasons.push_back("link click(s) within " + std::to_string(config_.click_injection_seconds) +
                          " s of the order not credited (click injection): " + list);
    }
    if (std::find(r.flags.begin(), r.flags.end(), "click_flood") != r.flags.end())
      r.reasons.push_back("the visitor sent " + std::to_string(config_.flood_clicks) + "+ link clicks within " +
                          std::to_string(config_.flood_seconds) + " s (click flood): review before paying");

    std::int32_t coupon = order.coupon_influencer;
    if (coupon >= 0 && is_self(coupon)) {
      self_touched.push_back(id_of(coupon));
      coupon = -1;
    }
    if (!self_touched.empty()) {
      add_flag(r, "self_referral");
      std::sort(self_touched.begin(), self_touched.end());
      self_touched.erase(std::unique(self_touched.begin(), self_touched.end()), self_touched.end());
      std::string list;
      for (const auto& s : self_touched) list += (list.empty() ? "" : ", ") + s;
      r.reasons.push_back("the customer is " + list + " (self-referral): earns nothing");
    }

    if (coupon >= 0 && (config_.coupon_overrides_link || path.empty())) {
      r.model = "coupon";
      std::string code = order_coupon_text(coupon);
      if (path.empty())
        r.reasons.push_back("coupon " + code + " of " + id_of(coupon) + " takes all the credit (no qualifying link touch)");
      else
        r.reasons.push_back("coupon " + code + " of " + id_of(coupon) +
                            " overrides " + std::to_string(path.size()) + " link touch(es) (coupon_overrides_link)");
      credit(r, {{coupon, 1.0}});
      return;
    }
    if (path.empty()) {
      r.reasons.push_back("no qualifying touch: the order is not attributed");
      return;
    }
    if (coupon >= 0)
      r.reasons.push_back("coupon of " + id_of(coupon) + " does not override link touches (coupon_overrides_link is false)");

    std::vector<Timestamp> ages;
    for (const Touch* t : path) ages.push_back(order.at - t->at);
    auto weights = model_weights(config_.model, ages, config_.half_life_seconds);
    // One weight per influencer, in id order (so ties go to the lower id).
    std::vector<std::pair<std::int32_t, double>> merged;
    for (std::size_t i = 0; i < path.size(); ++i) merged.emplace_back(path[i]->influencer, weights[i]);
    stable_sort_by(merged, [&](const auto& a, const auto& b) { return rank_of(a.first) < rank_of(b.first); });
    std::vector<std::pair<std::int32_t, double>> per_influencer;
    for (const auto& [inf, w] : merged) {
      if (!per_influencer.empty() && per_influencer.back().first == inf) per_influencer.back().second += w;
      else per_influencer.emplace_back(inf, w);
    }
    r.model = std::string(to_string(config_.model));
    r.reasons.push_back(std::string(to_string(config_.model)) + " over " + std::to_string(path.size()) +
                        " touch(es) in the " + window_text() + " window");
    credit(r, per_influencer);
  }

  std::string order_coupon_text(std::int32_t influencer) const {
    const auto& codes = feed_.influencers[static_cast<std::size_t>(influencer)].codes;
    return codes.empty() ? std::string("?") : quote_for_message(codes.front());
  }

  std::string window_text() const {
    if (config_.window_seconds % kSecondsPerDay == 0)
      return std::to_string(config_.window_seconds / kSecondsPerDay) + "-day";
    return std::to_string(config_.window_seconds) + "-second";
  }

  // Shares by largest remainder in millionths, then revenue by largest
  // remainder over those shares, then commission per influencer rule.
  void credit(OrderAttribution& r, const std::vector<std::pair<std::int32_t, double>>& weights) {
    std::vector<double> w;
    for (const auto& p : weights) w.push_back(p.second);
    auto ppm = apportion(kWholeShare, w);
    std::vector<std::int64_t> kept_ppm;
    for (std::size_t i = 0; i < weights.size(); ++i)
      if (ppm[i] > 0) {
        r.credits.push_back({weights[i].first, ppm[i], 0, 0});
        kept_ppm.push_back(ppm[i]);
      }
    auto revenue = apportion(r.value_minor, kept_ppm);
    for (std::size_t i = 0; i < r.credits.size(); ++i) {
      auto& c = r.credits[i];
      c.revenue_minor = revenue[i];
      c.commission_minor = commission_for(rule_for(c.influencer), c.revenue_minor, c.share_ppm);
    }
    stable_sort_by(r.credits, [](const Credit& a, const Credit& b) { return a.share_ppm > b.share_ppm; });
  }

  const CommissionRule& rule_for(std::int32_t influencer) const {
    auto it = config_.commission_by_influencer.find(id_of(influencer));
    return it == config_.commission_by_influencer.end() ? config_.default_commission : it->second;
  }

  // A refund splits its (negative) value like the original order and claws
  // back commission in proportion to the refunded part of the order value,
  // never more than was paid; the last refund takes back what is left.
  void refund(const Order& order, OrderAttribution& r, const std::vector<OrderAttribution>& results) {
    r.refund = true;
    r.model = "refund";
    add_flag(r, "refund");
    auto it = refundable_.find(*order.refund_of);
    if (it == refundable_.end()) {
      add_flag(r, "refund_of_unknown_order");
      r.reasons.push_back("refund of " + quote_for_message(*order.refund_of) +
                          ", which is not an earlier order: nothing to claw back");
      return;
    }
    Refundable& paid = it->second;
    const OrderAttribution& original = results[paid.result];
    r.verified = original.verified;  // the refund takes back what that order earned, on its side
    // A cancellation takes back whatever is left of the order.
    RefundedAmount refunded = refunded_amount(
        order.cancellation ? std::nullopt : std::optional<std::int64_t>(-order.value_minor), paid.value_left);
    std::int64_t amount = refunded.minor;
    if (order.cancellation) {
      r.value_minor = -amount;
      r.reasons.push_back("cancellation of order " + quote_for_message(original.order_id) + ": what was left of it is refunded");
    }
    if (refunded.exceeded) {
      add_flag(r, "refund_exceeds_order");
      r.reasons.push_back("refund is larger than what was left of order " + quote_for_message(original.order_id) +
                          ": capped");
    }
    r.reasons.push_back("refund of order " + quote_for_message(original.order_id) + ": credit and commission clawed back");
    if (original.credits.empty() || amount == 0) {
      paid.value_left -= amount;
      return;
    }
    std::vector<std::int64_t> shares;
    for (const auto& c : original.credits) shares.push_back(c.share_ppm);
    auto revenue = apportion(amount, shares);
    paid.value_left -= amount;
    for (std::size_t i = 0; i < original.credits.size(); ++i) {
      const Credit& c = original.credits[i];
      std::int64_t claw =
          clawback_for(c.commission_minor, paid.commission_left[i], amount, original.value_minor, paid.value_left);
      paid.commission_left[i] -= claw;
      r.credits.push_back({c.influencer, c.share_ppm, -revenue[i], -claw});
    }
  }

  AttributionData& data_;
  const Feed& feed_;
  const AttributionConfig& config_;
  Timestamp now_;
  std::vector<std::uint32_t> rank_;          // influencer index -> position in id order
  std::vector<std::size_t> begin_;           // visitor -> first touch; begin_[v+1] ends it
  std::unordered_map<std::string, std::vector<std::int32_t>> owners_;  // customer hash -> influencers
  std::unordered_map<std::string, Refundable> refundable_;             // order id -> what can be refunded
  std::unordered_set<std::string> seen_;                               // order ids
};

}  // namespace

void drop_repeated_clicks(std::vector<Touch>& touches) {
  std::size_t kept = 0, second = 0;  // second: the first kept touch of this visitor and time
  for (std::size_t i = 0; i < touches.size(); ++i) {
    const Touch t = touches[i];
    if (kept == 0 || touches[kept - 1].visitor != t.visitor || touches[kept - 1].at != t.at) second = kept;
    auto same = std::find_if(touches.begin() + static_cast<std::ptrdiff_t>(second),
                             touches.begin() + static_cast<std::ptrdiff_t>(kept), [&](const Touch& k) {
                               return t.source == TouchSource::Link && k.source == TouchSource::Link &&
                                      k.influencer == t.influencer && k.unknown == t.unknown;
                             });
    if (same != touches.begin() + static_cast<std::ptrdiff_t>(kept)) {
      same->in_flood = same->in_flood || t.in_flood;
      continue;
    }
    touches[kept++] = t;
  }
  touches.resize(kept);
}

RefundedAmount refunded_amount(std::optional<std::int64_t> requested_minor, std::int64_t value_left_minor) {
  if (!requested_minor) return {value_left_minor, false};
  if (*requested_minor > value_left_minor) return {value_left_minor, true};
  return {*requested_minor, false};
}

std::int64_t clawback_for(std::int64_t commission_minor, std::int64_t left_minor, std::int64_t amount_minor,
                          std::int64_t value_minor, std::int64_t value_left_after_minor) {
  if (value_left_after_minor <= 0 || value_minor <= 0) return left_minor;
  // commission * amount / value, rounded half up (all terms >= 0).
  __extension__ typedef __int128 Wide;
  Wide num = static_cast<Wide>(commission_minor) * amount_minor;
  return std::min(left_minor, static_cast<std::int64_t>((num + value_minor / 2) / value_minor));
}

std::vector<OrderAttribution> attribute(AttributionData& data, const AttributionConfig& config, Timestamp now) {
  return Attributor(data, config, now).run();
}

}  // namespace vouch
