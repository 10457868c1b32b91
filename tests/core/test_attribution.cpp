// Attribution: hand-worked journeys. Every expected number is worked out in
// the comment beside it (shares in millionths, money in cents).
#include <catch2/catch.hpp>

#include <string>

#include "attribution/attribution.hpp"
#include "attribution/journeys.hpp"
#include "common/error.hpp"
#include "feed/generate.hpp"

using nlohmann::json;
using namespace vouch;

namespace {

// Three influencers; only inf-a has a rate (100 USD) and a customer hash.
const char* kFeed = R"({"version": 1,
  "store": {"id": "t", "name": "Test", "currency": "USD", "locale": "en-US"},
  "products": [{"id": "sku-1", "title": "Boot", "price": 100.0}],
  "influencers": [
    {"id": "inf-a", "handle": "alpha", "followers": 1000, "codes": ["ALPHA10"],
     "rate": {"amount": 100, "currency": "USD"}, "customer_hashes": ["HASH-A"]},
    {"id": "inf-b", "handle": "beta", "followers": 1000, "codes": ["BETA"]},
    {"id": "inf-c", "handle": "gamma", "followers": 1000, "codes": ["GAMMA"]}],
  "endorsements": [], "ugc": []})";

const Feed& feed() {
  static const Feed f = [] {
    auto r = load_feed(kFeed);
    REQUIRE(r.ok());
    return *r.feed;
  }();
  return f;
}

const Timestamp kNow = *parse_rfc3339("2026-11-01T00:00:00Z");
// Orders are placed at 2026-10-20T12:00:00Z; touches are given as offsets.
const Timestamp kOrderAt = *parse_rfc3339("2026-10-20T12:00:00Z");
constexpr Timestamp kDay = kSecondsPerDay;

json click(const std::string& visitor, Timestamp before_order, const std::string& code,
           const std::string& source = "link") {
  return {{"visitor", visitor}, {"at", format_rfc3339(kOrderAt - before_order)}, {"influencer", nullptr},
          {"code", code}, {"source", source}, {"landing", "/p/sku-1"}};
}

json order(const std::string& id, const std::string& visitor, double value, json coupon = nullptr,
           json customer = nullptr, Timestamp at = kOrderAt) {
  return {{"order_id", id}, {"visitor", visitor}, {"at", format_rfc3339(at)}, {"value", value},
          {"currency", "USD"}, {"items", json::array()}, {"coupon", coupon}, {"customer", customer}};
}

json attribute_one(const json& touches, const json& o, const json& config = json::object()) {
  json results = attribute_json(feed(), touches, json::array({o}), config, kNow);
  REQUIRE(results.size() == 1);
  return results[0];
}

json credit(const std::string& influencer, double share, double revenue, double commission) {
  return {{"influencer", influencer}, {"share", share}, {"revenue", revenue}, {"commission", commission}};
}

json model(const std::string& name) { return {{"model", name}}; }

}  // namespace

TEST_CASE("One touch gives its influencer the whole order under every model", "[attribution]") {
  // inf-a clicked two days before a 100.00 order: share 1, revenue 100.00,
  // default commission 10% = 10.00, whatever the model.
  // json::array: `json x = {one}` is an array under gcc but a copy of `one` under clang.
  json touches = json::array({click("v-1", 2 * kDay, "ALPHA10")});
  for (const char* m : {"last_click", "first_click", "linear", "time_decay", "position_based"}) {
    SECTION(m) {
      json r = attribute_one(touches, order("1001", "v-1", 100.0), model(m));
      CHECK(r["credits"] == json::array({credit("inf-a", 1.0, 100.0, 10.0)}));
      CHECK(r["model"] == m);
      CHECK(r["flags"] == json::array());
      CHECK(r["duplicate"] == false);
    }
  }
}

TEST_CASE("Two touches are split as each model says", "[attribution]") {
  // inf-a 14 days before, inf-b 7 days before a 100.00 order.
  json touches = {click("v-1", 14 * kDay, "ALPHA10"), click("v-1", 7 * kDay, "BETA")};
  auto run = [&](const char* m) { return attribute_one(touches, order("1001", "v-1", 100.0), model(m))["credits"]; };
  SECTION("last click: the later touch takes all") {
    CHECK(run("last_click") == json::array({credit("inf-b", 1.0, 100.0, 10.0)}));
  }
  SECTION("first click: the earlier touch takes all") {
    CHECK(run("first_click") == json::array({credit("inf-a", 1.0, 100.0, 10.0)}));
  }
  SECTION("linear: 50/50, ties listed by id") {
    CHECK(run("linear") == json::array({credit("inf-a", 0.5, 50.0, 5.0), credit("inf-b", 0.5, 50.0, 5.0)}));
  }
  SECTION("position based with two touches: 50/50") {
    CHECK(run("position_based") ==
          json::array({credit("inf-a", 0.5, 50.0, 5.0), credit("inf-b", 0.5, 50.0, 5.0)}));
  }
  SECTION("time decay, 7-day half-life: weights 1/2 and 1/4, shares 2/3 and 1/3") {
    // ppm: 666666.67 -> 666666 r.67 and 333333.33 -> 333333 r.33; the spare
    // millionth goes to the larger remainder: 666667 / 333333.
    // cents: 10000 * 0.666667 = 6666.67 -> 6666 r.67; 3333.33 -> 3333 r.33;
    // the spare cent to inf-b: 6667 / 3333. Commission 10%: 666.7 -> 667,
    // 333.3 -> 333 cents.
    CHECK(run("time_decay") ==
          json::array({credit("inf-b", 0.666667, 66.67, 6.67), credit("inf-a", 0.333333, 33.33, 3.33)}));
  }
}

TEST_CASE("Three-way splits round to the cent and sum to the order", "[attribution]") {
  json touches = {click("v-1", 3 * kDay, "ALPHA10"), click("v-1", 2 * kDay, "BETA"),
                  click("v-1", 1 * kDay, "GAMMA")};
  SECTION("linear thirds of 100.00") {
    // ppm: 333333.33 each; the spare millionth goes to the lowest id: inf-a
    // 333334. Cents: 3333.34 -> 3333 r.34 (a), 3333.33 -> 3333 r.33 (b, c);
    // the spare cent to inf-a: 33.34 + 33.33 + 33.33 = 100.00.
    // Commission: 333.4 -> 333, 333.3 -> 333, 333.3 -> 333 cents.
    json r = attribute_one(touches, order("1001", "v-1", 100.0), model("linear"));
    CHECK(r["credits"] == json::array({credit("inf-a", 0.333334, 33.34, 3.33), credit("inf-b", 0.333333, 33.33, 3.33),
                                       credit("inf-c", 0.333333, 33.33, 3.33)}));
  }
  SECTION("position based 40/20/40 of 99.99") {
    // Weights 2:1:2 -> 400000 / 200000 / 400000 ppm. Cents of 9999:
    // a 3999.6 -> 3999 r.6, b 1999.8 -> 1999 r.8, c 3999.6 -> 3999 r.6;
    // two spare cents: b (r.8), then a (r.6, lower id than c):
    // 40.00 + 20.00 + 39.99 = 99.99. Commission: 400, 200, 399.9 -> 400 cents.
    json r = attribute_one(touches, order("1001", "v-1", 99.99), model("position_based"));
    CHECK(r["credits"] == json::array({credit("inf-a", 0.4, 40.0, 4.0), credit("inf-c", 0.4, 39.99, 4.0),
                                       credit("inf-b", 0.2, 20.0, 2.0)}));
  }
  SECTION("position based with five touches of three influencers") {
    // a, b, c, b, a -> weights 6:1:1:1:6 of 15: a 12/15 = 0.8, b 2/15 =
    // 0.133333, c 1/15 = 0.066667 (ppm 133333.33 r.33 and 66666.67 r.67:
    // the spare millionth goes to c). Cents of 1000: a 800, b 133.33 -> 133
    // r.33, c 66.67 -> 66 r.67; the spare cent to c: 8.00 + 1.33 + 0.67.
    // Commission: 80, 13.3 -> 13, 6.7 -> 7 cents.
    json five = {click("v-1", 5 * kDay, "ALPHA10"), click("v-1", 4 * kDay, "BETA"), click("v-1", 3 * kDay, "GAMMA"),
                 click("v-1", 2 * kDay, "BETA"), click("v-1", 1 * kDay, "ALPHA10")};
    json r = attribute_one(five, order("1001", "v-1", 10.0), model("position_based"));
    CHECK(r["credits"] == json::array({credit("inf-a", 0.8, 8.0, 0.8), credit("inf-b", 0.133333, 1.33, 0.13),
                                       credit("inf-c", 0.066667, 0.67, 0.07)}));
  }
}

TEST_CASE("Only touches inside the window, and before the order, count", "[attribution]") {
  SECTION("a touch 31 days old is ignored; one exactly 30 days old counts") {
    json touches = {click("v-1", 31 * kDay, "ALPHA10"), click("v-1", 30 * kDay, "BETA"),
                    click("v-1", 10 * kDay, "GAMMA")};
    json r = attribute_one(touches, order("1001", "v-1", 10.0), model("first_click"));
    CHECK(r["credits"] == json::array({credit("inf-b", 1.0, 10.0, 1.0)}));
    CHECK(r["reasons"][0] == "1 touch(es) older than the 30-day window ignored");
  }
  SECTION("a touch after the order is ignored") {
    json touches = {click("v-1", 2 * kDay, "ALPHA10"), click("v-1", -3600, "BETA")};
    json r = attribute_one(touches, order("1001", "v-1", 10.0));
    CHECK(r["credits"] == json::array({credit("inf-a", 1.0, 10.0, 1.0)}));
  }
  SECTION("a 7-day window leaves a 10-day-old touch out: nobody is credited") {
    json r = attribute_one(json::array({click("v-1", 10 * kDay, "ALPHA10")}), order("1001", "v-1", 10.0), {{"window_days", 7}});
    CHECK(r["credits"] == json::array());
    CHECK(r["model"] == "none");
  }
  SECTION("another visitor's touches never count") {
    json r = attribute_one(json::array({click("v-2", 1 * kDay, "ALPHA10")}), order("1001", "v-1", 10.0));
    CHECK(r["credits"] == json::array());
  }
}

TEST_CASE("Touches at the same second are ordered by influencer id, whatever the input order", "[attribution]") {
  // inf-a and inf-b at the same second: inf-a counts as earlier (lower id).
  json ab = {click("v-1", kDay, "ALPHA10"), click("v-1", kDay, "BETA")};
  json ba = {click("v-1", kDay, "BETA"), click("v-1", kDay, "ALPHA10")};
  for (const json& touches : {ab, ba}) {
    CHECK(attribute_one(touches, order("1", "v-1", 10.0))["credits"] == json::array({credit("inf-b", 1.0, 10.0, 1.0)}));
    CHECK(attribute_one(touches, order("1", "v-1", 10.0), model("first_click"))["credits"] ==
          json::array({credit("inf-a", 1.0, 10.0, 1.0)}));
  }
}

TEST_CASE("A coupon and a link disagree", "[attribution]") {
  json touches = json::array({click("v-1", 2 * kDay, "ALPHA10")});
  SECTION("by default the coupon's influencer takes all (codes are case-insensitive)") {
    json r = attribute_one(touches, order("1001", "v-1", 50.0, "beta"));
    CHECK(r["credits"] == json::array({credit("inf-b", 1.0, 50.0, 5.0)}));
    CHECK(r["model"] == "coupon");
  }
  SECTION("with coupon_overrides_link false the links decide") {
    json r = attribute_one(touches, order("1001", "v-1", 50.0, "BETA"), {{"coupon_overrides_link", false}});
    CHECK(r["credits"] == json::array({credit("inf-a", 1.0, 50.0, 5.0)}));
    CHECK(r["model"] == "last_click");
  }
  SECTION("with coupon_overrides_link false a coupon still counts when no link qualifies") {
    json r = attribute_one(json::array(), order("1001", "v-1", 50.0, "BETA"), {{"coupon_overrides_link", false}});
    CHECK(r["credits"] == json::array({credit("inf-b", 1.0, 50.0, 5.0)}));
  }
  SECTION("when the coupon's influencer also clicked, the coupon still takes all under linear") {
    json both = {click("v-1", 3 * kDay, "ALPHA10"), click("v-1", 2 * kDay, "BETA")};
    json r = attribute_one(both, order("1001", "v-1", 50.0, "BETA"), model("linear"));
    CHECK(r["credits"] == json::array({credit("inf-b", 1.0, 50.0, 5.0)}));
  }
}

TEST_CASE("A repeated order id is a duplicate and earns nothing", "[attribution]") {
  json touches = json::array({click("v-1", kDay, "ALPHA10")});
  json first = order("1001", "v-1", 10.0);
  json again = first;
  again["order_id"] = 1001;  // the number 1001 is the same order as "1001"
  json r = attribute_json(feed(), touches, {first, again}, nullptr, kNow);
  CHECK(r[0]["duplicate"] == false);
  CHECK(r[0]["credits"].size() == 1);
  CHECK(r[1]["duplicate"] == true);
  CHECK(r[1]["credits"] == json::array());
  CHECK(r[1]["reasons"][0] == "order \"1001\" was seen before: a duplicate earns nothing");
}

TEST_CASE("Refunds claw back revenue and commission", "[attribution]") {
  json touches = json::array({click("v-1", kDay, "BETA")});
  auto refund = [](const std::string& id, double value, const std::string& of) {
    json r = order(id, "v-1", value, nullptr, nullptr, kOrderAt + 3 * kDay);
    r["refund_of"] = of;
    return r;
  };
  SECTION("two partial refunds then one too many") {
    // Sale 200.00 -> inf-b, commission 20.00. Refund 50.00: commission
    // 2000 * 5000 / 20000 = 500 cents back. Refund 150.00 empties the order:
    // the rest, 1500 cents, comes back. A third refund has nothing left.
    json r = attribute_json(feed(), touches,
                            {order("1", "v-1", 200.0), refund("r1", -50.0, "1"), refund("r2", -150.0, "1"),
                             refund("r3", -10.0, "1")},
                            nullptr, kNow);
    CHECK(r[0]["credits"] == json::array({credit("inf-b", 1.0, 200.0, 20.0)}));
    CHECK(r[1]["credits"] == json::array({credit("inf-b", 1.0, -50.0, -5.0)}));
    CHECK(r[1]["flags"] == json::array({"refund"}));
    CHECK(r[1]["model"] == "refund");
    CHECK(r[2]["credits"] == json::array({credit("inf-b", 1.0, -150.0, -15.0)}));
    CHECK(r[3]["credits"] == json::array());
    CHECK(r[3]["flags"] == json::array({"refund", "refund_exceeds_order"}));
  }
  SECTION("a fixed commission comes back in proportion") {
    // Fixed 5.00 per order; refunding 50.00 of 200.00 takes back 1.25.
    json config = {{"commission", {{"by_influencer", {{"inf-b", {{"fixed", 5.0}}}}}}}};
    json r = attribute_json(feed(), touches, {order("1", "v-1", 200.0), refund("r1", -50.0, "1")}, config, kNow);
    CHECK(r[0]["credits"] == json::array({credit("inf-b", 1.0, 200.0, 5.0)}));
    CHECK(r[1]["credits"] == json::array({credit("inf-b", 1.0, -50.0, -1.25)}));
  }
  SECTION("a refund of an unknown order is flagged") {
    json r = attribute_json(feed(), touches, json::array({refund("r1", -5.0, "nope")}), nullptr, kNow);
    CHECK(r[0]["credits"] == json::array());
    CHECK(r[0]["flags"] == json::array({"refund", "refund_of_unknown_order"}));
  }
}

TEST_CASE("A self-referral earns nothing", "[attribution]") {
  SECTION("the influencer's own purchase through their link is not credited") {
    json r = attribute_one(json::array({click("v-1", kDay, "ALPHA10")}), order("1", "v-1", 10.0, nullptr, "hash-a"));
    CHECK(r["credits"] == json::array());
    CHECK(r["flags"] == json::array({"self_referral"}));
  }
  SECTION("their own coupon is ignored and the other influencer's link counts") {
    json r = attribute_one({click("v-1", 2 * kDay, "BETA"), click("v-1", kDay, "ALPHA10")},
                           order("1", "v-1", 10.0, "ALPHA10", "HASH-A"));
    CHECK(r["credits"] == json::array({credit("inf-b", 1.0, 10.0, 1.0)}));
    CHECK(r["flags"] == json::array({"self_referral"}));
  }
}

TEST_CASE("Click injection: a link click seconds before the order is flagged and not credited", "[attribution]") {
  SECTION("inf-b's click 3 s before the order loses to inf-a's real click") {
    json r = attribute_one({click("v-1", 2 * kDay, "ALPHA10"), click("v-1", 3, "BETA")}, order("1", "v-1", 10.0));
    CHECK(r["credits"] == json::array({credit("inf-a", 1.0, 10.0, 1.0)}));
    CHECK(r["flags"] == json::array({"click_injection"}));
  }
  SECTION("10 s is still injection, 11 s is not") {
    CHECK(attribute_one(json::array({click("v-1", 10, "BETA")}), order("1", "v-1", 10.0))["flags"] == json::array({"click_injection"}));
    CHECK(attribute_one(json::array({click("v-1", 11, "BETA")}), order("1", "v-1", 10.0))["credits"] ==
          json::array({credit("inf-b", 1.0, 10.0, 1.0)}));
  }
  SECTION("a coupon entered at checkout is not a click") {
    json r = attribute_one(json::array({click("v-1", 2, "BETA", "coupon")}), order("1", "v-1", 10.0));
    CHECK(r["flags"] == json::array());
  }
  SECTION("click_injection_seconds 0 turns the check off") {
    json r = attribute_one(json::array({click("v-1", 3, "BETA")}), order("1", "v-1", 10.0), {{"click_injection_seconds", 0}});
    CHECK(r["credits"] == json::array({credit("inf-b", 1.0, 10.0, 1.0)}));
  }
}

TEST_CASE("Click floods: 20 link clicks from one visitor within 60 s are flagged", "[attribution]") {
  auto clicks = [](int count, Timestamp spacing) {
    json touches = json::array();
    for (int k = 0; k < count; ++k) touches.push_back(click("v-1", kDay - k * spacing, "ALPHA10"));
    return touches;
  };
  // 20 clicks 3 s apart span 57 s: a flood. 19 are not. 20 clicks 4 s apart
  // span 76 s; any 60 s holds at most 15 of them.
  CHECK(attribute_one(clicks(20, 3), order("1", "v-1", 10.0))["flags"] == json::array({"click_flood"}));
  CHECK(attribute_one(clicks(19, 3), order("1", "v-1", 10.0))["flags"] == json::array());
  CHECK(attribute_one(clicks(20, 4), order("1", "v-1", 10.0))["flags"] == json::array());
}

TEST_CASE("Commission rules: percent or fixed, default and per influencer", "[attribution]") {
  json touches = {click("v-1", 2 * kDay, "ALPHA10"), click("v-1", kDay, "BETA")};
  // Linear 50/50 of 100.00: inf-a 12.5% of 50.00 = 6.25; inf-b fixed 5.00 x 0.5 = 2.50.
  json config = {{"model", "linear"},
                 {"commission", {{"default", {{"percent", 12.5}}}, {"by_influencer", {{"inf-b", {{"fixed", 5}}}}}}}};
  json r = attribute_one(touches, order("1", "v-1", 100.0), config);
  CHECK(r["credits"] == json::array({credit("inf-a", 0.5, 50.0, 6.25), credit("inf-b", 0.5, 50.0, 2.5)}));
}

TEST_CASE("Unknown codes are reported, not dropped", "[attribution]") {
  json touches = {click("v-1", 2 * kDay, "NOPE"), click("v-1", kDay, "ALPHA10")};
  json o = order("1", "v-1", 10.0, "XYZ");
  json r = attribute_one(touches, o);
  CHECK(r["credits"] == json::array({credit("inf-a", 1.0, 10.0, 1.0)}));
  CHECK(r["flags"] == json::array({"unknown_code"}));
  CHECK(r["reasons"][0] == "coupon \"XYZ\" is not a code of any influencer");
  json report = report_json(feed(), touches, json::array({o}), nullptr);
  CHECK(report["unknown_codes"] == json::parse(R"([{"code": "NOPE", "touches": 1, "orders": 0},
                                                  {"code": "XYZ", "touches": 0, "orders": 1}])"));
}

TEST_CASE("The report adds up traffic, orders and money per influencer", "[attribution][report]") {
  // v-1: inf-a twice, buys 100.00 (last click inf-a). v-2: inf-a then inf-b,
  // buys 50.00 (last click inf-b).
  json touches = {click("v-1", 3 * kDay, "ALPHA10"), click("v-1", 2 * kDay, "ALPHA10"),
                  click("v-2", 2 * kDay, "ALPHA10"), click("v-2", kDay, "BETA")};
  json orders = {order("1", "v-1", 100.0), order("2", "v-2", 50.0)};
  json report = report_json(feed(), touches, orders, nullptr);
  CHECK(report["from"] == format_rfc3339(kOrderAt - 3 * kDay));
  CHECK(report["to"] == format_rfc3339(kOrderAt));
  CHECK(report["currency"] == "USD");
  // inf-a: 3 clicks, 2 visitors, 1 order of 100.00; conversion 1/2; EPC
  // 100/3 = 33.333333; AOV 100; commission 10; cost 10 + rate 100 = 110;
  // ROI (100 - 110) / 110 = -0.090909.
  // Orders without "verified" are the store's own: all on the verified side.
  CHECK(report["commission_basis"] == "verified");
  CHECK(report["influencers"][0] == json::parse(R"({"influencer": "inf-a", "handle": "alpha", "clicks": 3,
      "visitors": 2, "orders": 1, "refunds": 0, "flagged_orders": 0, "revenue": 100.0, "conversion_rate": 0.5,
      "epc": 33.333333, "aov": 100.0, "commission": 10.0, "cost": 110.0, "roi": -0.090909,
      "verified": {"orders": 1, "revenue": 100.0, "commission": 10.0},
      "reported": {"orders": 0, "revenue": 0.0, "commission": 0.0}})"));
  // inf-b has no rate: cost is the commission alone and ROI is null.
  CHECK(report["influencers"][1] == json::parse(R"({"influencer": "inf-b", "handle": "beta", "clicks": 1,
      "visitors": 1, "orders": 1, "refunds": 0, "flagged_orders": 0, "revenue": 50.0, "conversion_rate": 1.0,
      "epc": 50.0, "aov": 50.0, "commission": 5.0, "cost": 5.0, "roi": null,
      "verified": {"orders": 1, "revenue": 50.0, "commission": 5.0},
      "reported": {"orders": 0, "revenue": 0.0, "commission": 0.0}})"));
  CHECK(report["influencers"][2]["influencer"] == "inf-c");
  CHECK(report["influencers"][2]["conversion_rate"] == nullptr);
  // Totals: 4 clicks, 2 visitors, 150.00; cost 15 + 100 = 115; ROI 35/115.
  const json& t = report["totals"];
  CHECK(t["clicks"] == 4);
  CHECK(t["visitors"] == 2);
  CHECK(t["orders"] == 2);
  CHECK(t["revenue"] == 150.0);
  CHECK(t["commission"] == 15.0);
  CHECK(t["cost"] == 115.0);
  CHECK(t["roi"] == 0.304348);
  CHECK(t["epc"] == 37.5);
  CHECK(t["aov"] == 75.0);
  // Both orders are attributed (100.00 to inf-a, 50.00 to inf-b): 150 / 2.
  CHECK(t["attributed_orders"] == 2);
  CHECK(t["attributed_aov"] == 75.0);

  SECTION("a time range keeps what happened inside it") {
    // From two days before the orders: inf-a keeps 2 of its 3 clicks.
    json config = {{"from", format_rfc3339(kOrderAt - 2 * kDay)}, {"to", format_rfc3339(kOrderAt)}};
    json ranged = report_json(feed(), touches, orders, config);
    CHECK(ranged["influencers"][0]["clicks"] == 2);
    CHECK(ranged["totals"]["orders"] == 2);
  }
}

TEST_CASE("A click seen again on another page or site is one click, one visitor and one share", "[attribution][report]") {
  // v-1 clicks ALPHA10 three days and BETA two days before a 100.00 order.
  // The BETA click comes back twice with the same visitor and second: from
  // the checkout site (?vouch_ref= carried it there, landing /checkout) and
  // from a sibling subdomain that read the shared cookie (landing "/"). v-2,
  // another shopper, clicks BETA in that same second: a click of its own.
  auto seen = [](const std::string& visitor, Timestamp before_order, const std::string& code, const char* landing) {
    json t = click(visitor, before_order, code);
    t["landing"] = landing;
    return t;
  };
  json touches = json::array({seen("v-1", 3 * kDay, "ALPHA10", "/p/sku-1"), seen("v-1", 2 * kDay, "BETA", "/p/sku-1"),
                              seen("v-1", 2 * kDay, "BETA", "/checkout"), seen("v-1", 2 * kDay, "BETA", "/"),
                              seen("v-2", 2 * kDay, "BETA", "/p/sku-1")});
  json orders = json::array({order("1", "v-1", 100.0)});
  // Linear over v-1's two clicks: 50/50, 50.00 and commission 5.00 each
  // (with the copies it was 1/4 and 3/4: 25.00 / 75.00).
  CHECK(attribute_one(touches, orders[0], model("linear"))["credits"] ==
        json::array({credit("inf-a", 0.5, 50.0, 5.0), credit("inf-b", 0.5, 50.0, 5.0)}));
  json report = report_json(feed(), touches, orders, model("linear"));
  // Rows by revenue, then id: inf-a (1 click, EPC 50), then inf-b: 2 clicks
  // (v-1 once, v-2 once; with the copies, 4), 2 visitors, EPC 50 / 2 = 25.
  // Totals: 3 clicks, 2 visitors, EPC 100 / 3 = 33.333333.
  const json& a = report["influencers"][0];
  const json& b = report["influencers"][1];
  CHECK(a["influencer"] == "inf-a");
  CHECK(json::array({a["clicks"], a["visitors"], a["revenue"], a["epc"]}) == json::array({1, 1, 50.0, 50.0}));
  CHECK(b["influencer"] == "inf-b");
  CHECK(json::array({b["clicks"], b["visitors"], b["revenue"], b["epc"]}) == json::array({2, 2, 50.0, 25.0}));
  CHECK(report["totals"]["clicks"] == 3);
  CHECK(report["totals"]["visitors"] == 2);
  CHECK(report["totals"]["epc"] == 33.333333);
}

TEST_CASE("Bad input is refused with a stable code, path and message", "[attribution][errors]") {
  auto error_of = [](const json& touches, const json& orders, const json& config) {
    try {
      attribute_json(feed(), touches, orders, config, kNow);
    } catch (const VouchException& e) {
      return e.error();
    }
    FAIL("no error");
    return Error{};
  };
  json ok_order = order("1", "v-1", 1.0);
  SECTION("a touch without a time") {
    CHECK(error_of({{{"visitor", "v-1"}, {"code", "BETA"}}}, json::array(), nullptr) ==
          Error{"touch.missing_field", "/touches/0/at", "touches[0].at is required"});
  }
  SECTION("a touch with a bad time") {
    json t = click("v-1", 0, "BETA");
    t["at"] = "yesterday";
    CHECK(error_of({click("v-1", 0, "BETA"), t}, json::array(), nullptr) ==
          Error{"touch.invalid_time", "/touches/1/at",
                "touches[1].at must be an RFC 3339 time such as 2026-10-02T17:00:00Z, got \"yesterday\""});
  }
  SECTION("a touch that names nobody") {
    CHECK(error_of({{{"visitor", "v-1"}, {"at", "2026-10-01T00:00:00Z"}}}, json::array(), nullptr) ==
          Error{"touch.missing_referrer", "/touches/0", "touches[0] needs an influencer or a code"});
  }
  SECTION("a negative order that is not a refund") {
    CHECK(error_of(json::array(), json::array({order("1", "v-1", -5.0)}), nullptr) ==
          Error{"order.invalid_value", "/orders/0/value",
                "orders[0].value must not be negative unless the order is a refund (set refund_of)"});
  }
  SECTION("an order in another currency") {
    json o = ok_order;
    o["currency"] = "EUR";
    CHECK(error_of(json::array(), json::array({o}), nullptr) ==
          Error{"order.currency_mismatch", "/orders/0/currency", "orders[0].currency is \"EUR\" but the store sells in USD"});
  }
  SECTION("touches that are not an array") {
    CHECK(error_of(json::object(), json::array(), nullptr) ==
          Error{"touch.invalid_type", "/touches", "touches must be an array of touches"});
  }
  SECTION("an unknown model") {
    CHECK(error_of(json::array(), json::array(), model("best")) ==
          // One wording for every contract's enumerations (the feed's): the
          // choices quoted, "or" before the last (this once read "one of
          // last_click, first_click, ..., got ...").
          Error{"config.invalid_model", "/model",
                "model must be one of \"last_click\", \"first_click\", \"linear\", \"time_decay\" or "
                "\"position_based\", got \"best\""});
  }
  SECTION("a commission for an influencer the feed does not know") {
    json config = {{"commission", {{"by_influencer", {{"inf-z", {{"percent", 5}}}}}}}};
    CHECK(error_of(json::array(), json::array(), config) ==
          Error{"config.unknown_influencer", "/commission/by_influencer/inf-z",
                "commission.by_influencer.inf-z names no influencer of the feed"});
  }
  SECTION("a commission with both percent and fixed") {
    json config = {{"commission", {{"default", {{"percent", 5}, {"fixed", 1}}}}}};
    CHECK(error_of(json::array(), json::array(), config) ==
          Error{"config.invalid_commission", "/commission/default",
                "commission.default must have exactly one of percent or fixed"});
  }
}

TEST_CASE("One order validator: the contract's rules, whoever calls", "[attribution][validation]") {
  InputRules rules;
  rules.currency = "USD";
  auto error_of = [&](const json& o, const InputRules& r) {
    try {
      read_order(o, "/events/0/order", r);
    } catch (const VouchException& e) {
      return e.error();
    }
    FAIL("no error");
    return Error{};
  };
  json ok = order("1001", "v-1", 129.0);
  ok["items"] = {{{"product", "sku-1"}, {"qty", 1}, {"price", 129.0}}};
  SECTION("an order in another currency is refused where it enters, not in the report") {
    json eur = ok;
    eur["currency"] = "EUR";
    CHECK(error_of(eur, rules) == Error{"order.currency_mismatch", "/events/0/order/currency",
                                        "events[0].order.currency is \"EUR\" but the store sells in USD"});
    eur["currency"] = "dollars";
    CHECK(error_of(eur, rules) == Error{"order.invalid_value", "/events/0/order/currency",
                                        "events[0].order.currency must be an ISO 4217 code such as USD, got \"dollars\""});
  }
  SECTION("items are checked: quantity 1 to 1,000,000, price not negative") {
    json bad = ok;
    bad["items"][0]["qty"] = 0;
    CHECK(error_of(bad, rules) == Error{"order.invalid_value", "/events/0/order/items/0/qty",
                                        "events[0].order.items[0].qty must be an integer from 1 to 1000000, got 0"});
    bad["items"][0]["qty"] = 1;
    bad["items"][0]["price"] = -1;
    CHECK(error_of(bad, rules).path == "/events/0/order/items/0/price");
  }
  SECTION("where refunds are not accepted (a browser), refund_of and negative values are refused") {
    InputRules browser = rules;
    browser.refunds = false;
    json refund = order("r1", "v-1", -10.0);
    refund["refund_of"] = "1001";
    CHECK(error_of(refund, browser) ==
          Error{"order.refund_not_allowed", "/events/0/order/refund_of",
                "events[0].order.refund_of is not accepted here: refunds come from the store's backend"});
    CHECK(error_of(order("r1", "v-1", -10.0), browser) ==
          Error{"order.invalid_value", "/events/0/order/value", "events[0].order.value must not be negative"});
  }
  SECTION("a time too far ahead of the caller's clock, and a default time") {
    InputRules server = rules;
    server.latest = kOrderAt - 1;
    CHECK(error_of(ok, server) == Error{"order.invalid_time", "/events/0/order/at",
                                        "events[0].order.at is too far in the future: \"2026-10-20T12:00:00Z\""});
    server.latest.reset();
    server.default_at = kNow;
    json timeless = ok;
    timeless.erase("at");
    CHECK(read_order(timeless, "", server).at == kNow);
  }
  SECTION("the checked order's JSON reads back the same") {
    OrderInput once = read_order(ok, "", rules);
    CHECK(to_json(once) == json::parse(R"({"order_id": "1001", "visitor": "v-1", "at": "2026-10-20T12:00:00Z",
        "value": 129.0, "currency": "USD", "items": [{"product": "sku-1", "qty": 1, "price": 129.0}],
        "coupon": null, "customer": null, "verified": true})"));
    CHECK(to_json(read_order(to_json(once), "", rules)) == to_json(once));
  }
}

TEST_CASE("Touches and orders follow the input layer's shared rules", "[attribution][validation]") {
  InputRules rules;
  rules.currency = "USD";
  auto order_error = [&](const json& o) {
    try {
      read_order(o, "", rules);
    } catch (const VouchException& e) {
      return e.error();
    }
    return Error{};
  };
  json ok = order("1001", "v-1", 129.0);
  ok["items"] = {{{"product", "sku-1"}, {"qty", 1}, {"price", 129.0}}};
  SECTION("an amount below zero is refused even when it rounds to zero cents (the feed's rule)") {
    json bad = ok;
    bad["items"][0]["price"] = -0.001;  // once read as a price of 0.00
    CHECK(order_error(bad) == Error{"order.invalid_value", "/items/0/price",
                                    "items[0].price must be a non-negative amount, got -0.001"});
    bad = ok;
    bad["value"] = -0.001;  // once an order of 0.00
    CHECK(order_error(bad).path == "/value");
  }
  SECTION("an integer is written without a fraction: 1.0 is not a quantity") {
    json bad = ok;
    bad["items"][0]["qty"] = 1.0;
    CHECK(order_error(bad) == Error{"order.invalid_type", "/items/0/qty",
                                    "items[0].qty must be an integer from 1 to 1000000, got 1.0"});
  }
  SECTION("a visitor id is 1 to 128 visible ASCII characters, as a review's (the widget makes them)") {
    json bad = ok;
    bad["visitor"] = "v 1";
    CHECK(order_error(bad) == Error{"order.invalid_value", "/visitor",
                                    "visitor must be 1 to 128 visible ASCII characters, got \"v 1\""});
    json touch = click("v 1", kDay, "BETA");
    CHECK_THROWS_AS(read_touch(touch, "", rules), VouchException);
  }
}

TEST_CASE("A report always answers: orders it cannot attribute are listed with the reason", "[attribution][report]") {
  // Order 2 is in EUR on a USD store (stored before the store changed its
  // currency, say); the third is not an order at all. Order 1 still counts.
  json eur = order("2", "v-1", 40.0);
  eur["currency"] = "EUR";
  json orders = {order("1", "v-1", 100.0), eur, "garbage"};
  json touches = json::array({click("v-1", kDay, "ALPHA10")});
  json report = report_json(feed(), touches, orders, nullptr);
  CHECK(report["totals"]["orders"] == 1);
  CHECK(report["totals"]["commission"] == 10.0);
  CHECK(report["totals"]["unattributable_orders"] == 2);
  CHECK(report["unattributable_orders"] == json::parse(R"([
      {"order_id": "2", "error": {"code": "order.currency_mismatch", "path": "/orders/1/currency",
                                  "message": "orders[1].currency is \"EUR\" but the store sells in USD"}},
      {"order_id": null, "error": {"code": "order.invalid_type", "path": "/orders/2",
                                   "message": "orders[2] must be an object, got \"garbage\""}}])"));
  // (A type fault shows the value as written, as the feed's always did; this
  // once said "got string".)
  // Attributing order by order still refuses it: there is no answer for it.
  CHECK_THROWS_AS(attribute_json(feed(), touches, orders, nullptr, kNow), VouchException);
}

TEST_CASE("Verified and browser-reported orders are told apart", "[attribution][report]") {
  // v-1 came through inf-a and bought 100.00, signed by the store (verified);
  // v-2 came through inf-b and its browser reported 50.00 (verified: false).
  json touches = {click("v-1", kDay, "ALPHA10"), click("v-2", kDay, "BETA")};
  json reported = order("2", "v-2", 50.0);
  reported["verified"] = false;
  json orders = {order("1", "v-1", 100.0), reported};
  auto row = [](const json& report, const std::string& id) {
    for (const auto& r : report["influencers"])
      if (r["influencer"] == id) return r;
    FAIL("no row for " + id);
    return json();
  };
  SECTION("with verified orders, commission is owed on them only; the browser's figures stay beside") {
    json report = report_json(feed(), touches, orders, nullptr);
    CHECK(report["commission_basis"] == "verified");
    // inf-a: 100.00 verified, 10% = 10.00 owed.
    CHECK(row(report, "inf-a")["commission"] == 10.0);
    CHECK(row(report, "inf-a")["verified"] == json::parse(R"({"orders": 1, "revenue": 100.0, "commission": 10.0})"));
    // inf-b: nothing verified, 50.00 reported by a browser (5.00 if it were true).
    CHECK(row(report, "inf-b")["orders"] == 0);
    CHECK(row(report, "inf-b")["commission"] == 0.0);
    CHECK(row(report, "inf-b")["reported"] == json::parse(R"({"orders": 1, "revenue": 50.0, "commission": 5.0})"));
    const json& t = report["totals"];
    CHECK(t["orders"] == 1);
    CHECK(t["revenue"] == 100.0);
    CHECK(t["commission"] == 10.0);
    CHECK(t["verified"] == json::parse(R"({"orders": 1, "revenue": 100.0, "attributed_orders": 1,
        "attributed_revenue": 100.0, "commission": 10.0, "refunds": 0, "refunded": 0.0})"));
    CHECK(t["reported"] == json::parse(R"({"orders": 1, "revenue": 50.0, "attributed_orders": 1,
        "attributed_revenue": 50.0, "commission": 5.0, "refunds": 0, "refunded": 0.0})"));
  }
  SECTION("a store that sends no orders of its own is paid on what browsers report, and says so") {
    json report = report_json(feed(), touches, json::array({reported}), nullptr);
    CHECK(report["commission_basis"] == "reported");
    CHECK(row(report, "inf-b")["commission"] == 5.0);
    CHECK(report["totals"]["commission"] == 5.0);
  }
  SECTION("the basis can be fixed by the config") {
    json report = report_json(feed(), touches, json::array({reported}), {{"commission_basis", "verified"}});
    CHECK(report["commission_basis"] == "verified");
    CHECK(report["totals"]["commission"] == 0.0);
  }
  SECTION("a refund stays on the side of the order it refunds") {
    // A browser-reported 200.00 for inf-b (20.00), refunded 50.00 by the store: 5.00 back, reported side.
    json sale = order("9", "v-2", 200.0);
    sale["verified"] = false;
    json refund = order("r9", "v-2", -50.0, nullptr, nullptr, kOrderAt + kDay);
    refund["refund_of"] = "9";
    json report = report_json(feed(), touches, json::array({sale, refund}), nullptr);
    CHECK(row(report, "inf-b")["reported"] == json::parse(R"({"orders": 1, "revenue": 150.0, "commission": 15.0})"));
    CHECK(row(report, "inf-b")["verified"] == json::parse(R"({"orders": 0, "revenue": 0.0, "commission": 0.0})"));
  }
}

TEST_CASE("Refunds and cancellations from the store's backend", "[attribution][refunds]") {
  InputRules rules;
  rules.currency = "USD";
  json touches = json::array({click("v-1", kDay, "BETA")});
  auto refund = [&](json body) {
    body["at"] = format_rfc3339(kOrderAt + 3 * kDay);
    return to_json(read_refund(body, "", rules).order);
  };
  SECTION("a partial refund, then a cancellation of what is left") {
    // Sale 200.00 -> inf-b, commission 20.00. Refund 50.00: 500 cents of
    // commission back (2000 * 5000 / 20000). The cancellation refunds the
    // remaining 150.00 and the remaining 15.00 of commission.
    json partial = refund({{"refund_id", "rf-1"}, {"order_id", "1"}, {"amount", 50.0}});
    json cancel = refund({{"refund_id", "rf-2"}, {"order_id", "1"}});
    CHECK(partial["order_id"] == "refund:rf-1");
    CHECK(partial["refund_of"] == "1");
    CHECK(partial["value"] == -50.0);
    CHECK(cancel["value"] == nullptr);
    json r = attribute_json(feed(), touches, {order("1", "v-1", 200.0), partial, cancel}, nullptr, kNow);
    CHECK(r[1]["credits"] == json::array({credit("inf-b", 1.0, -50.0, -5.0)}));
    CHECK(r[2]["credits"] == json::array({credit("inf-b", 1.0, -150.0, -15.0)}));
    CHECK(r[2]["value"] == -150.0);
    CHECK(r[2]["reasons"][0] == "cancellation of order \"1\": what was left of it is refunded");
    json report = report_json(feed(), touches, {order("1", "v-1", 200.0), partial, cancel}, nullptr);
    CHECK(report["totals"]["refunds"] == 2);
    CHECK(report["totals"]["refunded"] == 200.0);
    CHECK(report["totals"]["revenue"] == 0.0);
    CHECK(report["totals"]["commission"] == 0.0);
  }
  SECTION("a refund of nothing is refused") {
    CHECK_THROWS_MATCHES(read_refund({{"refund_id", "rf-3"}, {"order_id", "1"}, {"amount", 0}, {"at", "2026-10-23T12:00:00Z"}},
                                     "", rules),
                         VouchException, Catch::Predicate<VouchException>([](const VouchException& e) {
                           return e.error() == Error{"refund.invalid_value", "/amount",
                                                     "amount must be more than 0 (leave it out to cancel the whole order)"};
                         }));
  }
}

TEST_CASE("Largest-remainder apportionment sums exactly to the total", "[attribution][models]") {
  // 100 cents in thirds: 33.33 each, the spare cent to the lowest index.
  CHECK(apportion(100, std::vector<double>{1, 1, 1}) == std::vector<std::int64_t>{34, 33, 33});
  // Negative totals split their magnitude: -100 -> -34, -33, -33.
  CHECK(apportion(-100, std::vector<std::int64_t>{1, 1, 1}) == std::vector<std::int64_t>{-34, -33, -33});
  // 7 cents by 1:2:4 exactly: 1, 2, 4.
  CHECK(apportion(7, std::vector<std::int64_t>{1, 2, 4}) == std::vector<std::int64_t>{1, 2, 4});
  // 10 cents by 1:1:1:1: 2.5 each -> 2,2,2,2 + 2 spare to the lowest indexes.
  CHECK(apportion(10, std::vector<std::int64_t>{1, 1, 1, 1}) == std::vector<std::int64_t>{3, 3, 2, 2});
}

TEST_CASE("Generated journeys attribute deterministically and exercise every rule", "[attribution][journeys]") {
  GenerateOptions feed_options;
  feed_options.influencers = 20;
  feed_options.ugc = 10;
  std::string text;
  generate_feed(feed_options, [&](std::string_view s) { text += s; });
  auto loaded = load_feed(text);
  REQUIRE(loaded.ok());
  JourneyOptions options;
  options.journeys = 300;
  auto lines_of = [&] {
    std::string touches, orders;
    generate_journeys(*loaded.feed, options, [&](std::string_view s) { touches += s; },
                      [&](std::string_view s) { orders += s; });
    return std::make_pair(touches, orders);
  };
  auto [touch_text, order_text] = lines_of();
  CHECK(lines_of() == std::make_pair(touch_text, order_text));  // same seed, same bytes

  auto to_array = [](const std::string& text) {
    json a = json::array();
    std::size_t start = 0, end;
    while ((end = text.find('\n', start)) != std::string::npos) {
      a.push_back(json::parse(text.substr(start, end - start)));
      start = end + 1;
    }
    return a;
  };
  json touches = to_array(touch_text), orders = to_array(order_text);
  json first = attribute_json(*loaded.feed, touches, orders, nullptr, options.now);
  json reversed = json::array();
  for (auto it = touches.rbegin(); it != touches.rend(); ++it) reversed.push_back(*it);
  CHECK(attribute_json(*loaded.feed, reversed, orders, nullptr, options.now).dump() == first.dump());

  json report = report_json(*loaded.feed, touches, orders, nullptr);
  const json& flags = report["totals"]["flags"];
  CHECK(report["totals"]["duplicates"] == 1);
  CHECK(report["totals"]["refunds"] == 1);
  CHECK(flags.value("self_referral", 0) >= 1);
  CHECK(flags.value("click_injection", 0) >= 1);
  CHECK(flags.value("click_flood", 0) >= 1);
  CHECK(report["unknown_codes"].size() == 2);
  // Every credited order's revenue adds up to its value to the cent.
  for (const auto& r : first) {
    if (r["credits"].empty() || r["model"] == "refund") continue;
    long long sum = 0;
    for (const auto& c : r["credits"]) sum += std::llround(c["revenue"].get<double>() * 100);
    CHECK(sum == std::llround(r["value"].get<double>() * 100));
  }
}
