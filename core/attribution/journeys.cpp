#include "attribution/journeys.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/money.hpp"
#include "feed/generate.hpp"

namespace vouch {

namespace {

using ordered = nlohmann::ordered_json;

struct GeneratedTouch {
  std::string visitor;
  Timestamp at = 0;
  std::size_t influencer = 0;
  std::string code;  // "" -> by influencer id; otherwise the code as captured
  bool coupon = false;
  std::size_t product = 0;
};

struct GeneratedOrder {
  std::string visitor;  // "" for none
  Timestamp at = 0;
  std::vector<std::pair<std::size_t, std::int64_t>> items;  // product, qty
  std::string coupon;
  std::string customer;
  std::int64_t refund_minor = 0;              // > 0: a refund of that much
  std::optional<std::size_t> related;         // the original (refund) or the first copy (duplicate)
  bool duplicate = false;
};


class JourneyMaker {
 public:
  JourneyMaker(const Feed& feed, const JourneyOptions& options)
      : feed_(feed), options_(options), rng_(options.seed * 0x9E3779B97F4A7C15ULL + 0xA771B),
        now_(options.now) {
    // Popularity follows a Zipf-like law over the roster: a few influencers
    // drive most traffic.
    double acc = 0;
    for (std::size_t i = 0; i < feed.influencers.size(); ++i)
      cumulative_.push_back(acc += 1.0 / std::pow(static_cast<double>(i) + 1.0, 0.9));
    for (auto& c : cumulative_) c /= acc;
  }

  void make() {
    if (feed_.influencers.empty() || feed_.products.empty()) return;
    for (std::size_t j = 0; j < options_.journeys; ++j) journey("v-" + std::to_string(j + 1));
    for (std::size_t j = 0; j < std::max<std::size_t>(1, options_.journeys / 10); ++j) organic(j);
    special_cases();
  }

  void write(const std::function<void(std::string_view)>& touch_sink,
             const std::function<void(std::string_view)>& order_sink) {
    std::vector<std::size_t> t_order(touches_.size());
    for (std::size_t i = 0; i < t_order.size(); ++i) t_order[i] = i;
    std::stable_sort(t_order.begin(), t_order.end(),
                     [&](std::size_t a, std::size_t b) { return touches_[a].at < touches_[b].at; });
    for (std::size_t i : t_order) {
      const auto& t = touches_[i];
      const Influencer& inf = feed_.influencers[t.influencer];
      ordered line = {{"visitor", t.visitor},
                      {"at", format_rfc3339(t.at)},
                      {"influencer", t.code.empty() ? ordered(inf.id) : ordered(nullptr)},
                      {"code", t.code.empty() ? ordered(nullptr) : ordered(t.code)},
                      {"source", t.coupon ? "coupon" : "link"},
                      {"landing", feed_.products[t.product].url}};
      touch_sink(line.dump() + "\n");
    }

    std::vector<std::size_t> o_order(orders_.size());
    for (std::size_t i = 0; i < o_order.size(); ++i) o_order[i] = i;
    std::stable_sort(o_order.begin(), o_order.end(),
                     [&](std::size_t a, std::size_t b) { return orders_[a].at < orders_[b].at; });
    // Ids in time order; a duplicate repeats its original's id, a refund
    // names it (both come later, so the id is known by then).
    std::vector<std::string> ids(orders_.size());
    std::size_t next_id = 100001;
    const std::string& currency = feed_.store.currency;
    for (std::size_t i : o_order) {
      auto& o = orders_[i];
      ids[i] = o.duplicate ? ids[*o.related] : std::to_string(next_id++);
      ordered items = ordered::array();
      std::int64_t value = 0;
      for (const auto& [p, qty] : o.items) {
        const Product& product = feed_.products[p];
        value += product.price.minor * qty;
        items.push_back({{"product", product.id}, {"qty", qty}, {"price", to_major_units(product.price.minor, currency)}});
      }
      if (o.refund_minor > 0) value = -o.refund_minor;
      ordered line = {{"order_id", ids[i]},
                      {"visitor", o.visitor.empty() ? ordered(nullptr) : ordered(o.visitor)},
                      {"at", format_rfc3339(o.at)},
                      {"value", to_major_units(value, currency)},
                      {"currency", currency},
                      {"items", items},
                      {"coupon", o.coupon.empty() ? ordered(nullptr) : ordered(o.coupon)},
                      {"customer", o.customer.empty() ? ordered(nullptr) : ordered(o.customer)}};
      if (o.refund_minor > 0) line["refund_of"] = ids[*o.related];
      order_sink(line.dump() + "\n");
    }
  }

 private:
  std::size_t pick_influencer() {
    double u = rng_.uniform();
    auto it = std::lower_bound(cumulative_.begin(), cumulative_.end(), u);
    return std::min<std::size_t>(static_cast<std::size_t>(it - cumulative_.begin()), cumulative_.size() - 1);
  }

  std::string code_of(std::size_t influencer) {
    const auto& codes = feed_.influencers[influencer].codes;
    if (codes.empty()) return "";
    std::string code = codes[rng_.below(codes.size())];
    // Some links are typed by hand: codes are case-insensitive.
    if (rng_.chance(0.1))
      std::transform(code.begin(), code.end(), code.begin(),
                     [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return code;
  }

  std::size_t touch(const std::string& visitor, Timestamp at, std::size_t influencer, bool coupon = false) {
    touches_.push_back({visitor, at, influencer, code_of(influencer), coupon, rng_.below(feed_.products.size())});
    return touches_.size() - 1;
  }

  std::vector<std::pair<std::size_t, std::int64_t>> basket() {
    std::vector<std::pair<std::size_t, std::int64_t>> items;
    std::size_t lines = 1 + rng_.below(3);
    for (std::size_t k = 0; k < lines; ++k)
      items.emplace_back(rng_.below(feed_.products.size()), 1 + static_cast<std::int64_t>(rng_.below(2)));
    return items;
  }

  std::size_t order(GeneratedOrder o) {
    if (o.duplicate) {  // the same conversion, sent again
      GeneratedOrder copy = orders_[*o.related];
      copy.at = o.at;
      copy.related = o.related;
      copy.duplicate = true;
      o = std::move(copy);
    }
    if (o.items.empty()) o.items = basket();
    if (o.customer.empty() && o.refund_minor == 0 && !o.duplicate) o.customer = random_hex(rng_, 64);
    orders_.push_back(std::move(o));
    return orders_.size() - 1;
  }

  void journey(const std::string& visitor) {
    double u = rng_.uniform();
    std::size_t count = u < 0.55 ? 1 : u < 0.80 ? 2 : 3 + rng_.below(2);
    Timestamp at = now_ - static_cast<Timestamp>(rng_.range(1.0, 45.0) * kSecondsPerDay);
    std::size_t influencer = pick_influencer();
    for (std::size_t k = 0; k < count; ++k) {
      if (k > 0) {
        at += static_cast<Timestamp>(rng_.range(600.0, 6.0 * kSecondsPerDay));
        if (at >= now_) break;  // every event lies before now
        if (rng_.chance(0.45)) influencer = pick_influencer();
      }
      touch(visitor, at, influencer);
    }
    if (!rng_.chance(0.3)) return;
    // Most buy within a day or two; some come back after the window closed.
    double delay = rng_.chance(0.08) ? rng_.range(31.0, 40.0) * kSecondsPerDay
                                     : std::max(120.0, -std::log(1.0 - rng_.uniform()) * 1.5 * kSecondsPerDay);
    Timestamp order_at = at + static_cast<Timestamp>(delay);
    if (order_at >= now_) return;
    GeneratedOrder o{visitor, order_at, {}, "", "", 0, std::nullopt, false};
    double c = rng_.uniform();
    if (c < 0.15) o.coupon = code_of(influencer);                  // the last influencer's code
    else if (c < 0.20) o.coupon = code_of(pick_influencer());      // someone else's: a conflict
    order(std::move(o));
  }

  void organic(std::size_t j) {
    Timestamp at = now_ - static_cast<Timestamp>(rng_.range(0.5, 45.0) * kSecondsPerDay);
    GeneratedOrder o{"o-" + std::to_string(j + 1), at, {}, "", "", 0, std::nullopt, false};
    if (rng_.chance(0.3)) o.coupon = code_of(pick_influencer());  // a code heard in a video
    order(std::move(o));
  }

  void special_cases() {
    const Timestamp day = kSecondsPerDay;
    // A conversion sent twice (double-clicked "pay", or a retried beacon).
    std::size_t a = order({"v-dup", now_ - 20 * day, {}, "", "", 0, std::nullopt, false});
    touch("v-dup", now_ - 21 * day, 0);
    order({"v-dup", now_ - 20 * day + 60, {}, "", "", 0, a, true});
    // A partial refund, five days after the sale.
    touch("v-refund", now_ - 16 * day, pick_influencer());
    GeneratedOrder sale{"v-refund", now_ - 15 * day, {{0, 2}}, "", "", 0, std::nullopt, false};
    std::size_t b = order(std::move(sale));
    order({"v-refund", now_ - 10 * day, {}, "", "", feed_.products[0].price.minor, b, false});
    // A self-referral: an influencer buys through their own link.
    for (std::size_t i = 0; i < feed_.influencers.size(); ++i)
      if (!feed_.influencers[i].customer_hashes.empty()) {
        touch("v-self", now_ - 8 * day, i);
        order({"v-self", now_ - 8 * day + 900, {}, "", feed_.influencers[i].customer_hashes.front(), 0,
               std::nullopt, false});
        break;
      }
    // Click injection: a real journey, then another influencer's click
    // fired three seconds before the purchase.
    std::size_t honest = pick_influencer(), thief = (honest + 1) % feed_.influencers.size();
    touch("v-inject", now_ - 6 * day, honest);
    touch("v-inject", now_ - 5 * day - 3, thief);
    order({"v-inject", now_ - 5 * day, {}, "", "", 0, std::nullopt, false});
    // A click flood: 25 clicks in 40 seconds from one visitor.
    std::size_t flooder = pick_influencer();
    for (int k = 0; k < 25; ++k) touch("v-flood", now_ - 4 * day + k * 40 / 25, flooder);
    order({"v-flood", now_ - 4 * day + 3600, {}, "", "", 0, std::nullopt, false});
    // A code nobody owns (an expired campaign) and an unknown coupon.
    touches_.push_back({"v-unknown", now_ - 3 * day, 0, "SUMMER-SALE", false, 0});
    order({"v-unknown", now_ - 3 * day + 1800, {}, "FREESHIP", "", 0, std::nullopt, false});
  }

  const Feed& feed_;
  const JourneyOptions& options_;
  SplitMix64 rng_;
  Timestamp now_;
  std::vector<double> cumulative_;
  std::vector<GeneratedTouch> touches_;
  std::vector<GeneratedOrder> orders_;
};

}  // namespace

void generate_journeys(const Feed& feed, const JourneyOptions& options,
                       const std::function<void(std::string_view)>& touch_sink,
                       const std::function<void(std::string_view)>& order_sink) {
  JourneyMaker maker(feed, options);
  maker.make();
  maker.write(touch_sink, order_sink);
}

}  // namespace vouch
