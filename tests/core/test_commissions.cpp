// Commissions: the states of a ledger line on worked dates, clawbacks, and
// payout plans. Money in cents; "day N" is N days after the order, at the
// order's time of day.
#include <catch2/catch.hpp>

#include <string>

#include "commissions/commissions.hpp"
#include "common/error.hpp"

using nlohmann::json;
using namespace vouch;

namespace {

const char* kFeed = R"({"version": 1,
  "store": {"id": "t", "name": "Test", "currency": "USD", "locale": "en-US"},
  "products": [{"id": "sku-1", "title": "Boot", "price": 100.0}],
  "influencers": [
    {"id": "inf-a", "handle": "alpha", "followers": 1000, "codes": ["ALPHA10"]},
    {"id": "inf-b", "handle": "beta", "followers": 1000, "codes": ["BETA"]}],
  "endorsements": [], "ugc": []})";

const Feed& feed() {
  static const Feed f = [] {
    auto r = load_feed(kFeed);
    REQUIRE(r.ok());
    return *r.feed;
  }();
  return f;
}

constexpr Timestamp kDay = kSecondsPerDay;
constexpr Timestamp kWindow = 30 * kDay;
// Day 0: the order is placed at noon UTC on 1 October 2026.
const Timestamp kDay0 = *parse_rfc3339("2026-10-01T12:00:00Z");
Timestamp day(int n) { return kDay0 + n * kDay; }

// A 100.00 USD order credited to inf-a at the default 10%: 10.00 commission.
CommissionLine sale(const std::string& order = "1001", std::int64_t amount = 1000, std::int64_t revenue = 10000) {
  CommissionLine line;
  line.influencer = "inf-a";
  line.order_id = order;
  line.order_at = line.at = kDay0;
  line.revenue_minor = revenue;
  line.amount_minor = amount;
  return line;
}

}  // namespace

TEST_CASE("a sale is pending through day 29 and approved from day 30 of a 30-day window", "[commissions]") {
  CommissionLine line = sale();
  // approves_at = order time + 30 days = 2026-10-31T12:00:00Z
  CHECK(format_rfc3339(approves_at(line, kWindow)) == "2026-10-31T12:00:00Z");
  CHECK(state_of(line, kWindow, day(0)) == CommissionState::Pending);
  CHECK(state_of(line, kWindow, day(29)) == CommissionState::Pending);
  CHECK(state_of(line, kWindow, day(30) - 1) == CommissionState::Pending);
  CHECK(state_of(line, kWindow, day(30)) == CommissionState::Approved);
  line.payout = "po-1";
  CHECK(state_of(line, kWindow, day(31)) == CommissionState::Paid);
  // A 14-day window approves on day 14.
  line.payout.clear();
  CHECK(state_of(line, 14 * kDay, day(13)) == CommissionState::Pending);
  CHECK(state_of(line, 14 * kDay, day(14)) == CommissionState::Approved);
}

TEST_CASE("a refund on day 10 claws back as its own line, pending with the sale", "[commissions]") {
  std::vector<CommissionLine> ledger = {sale()};
  SECTION("the whole order: -10.00, so nothing is owed on day 30") {
    auto claw = clawback_lines(ledger, 10000, 0, {"r-1", day(10), 10000});
    REQUIRE(claw.size() == 1);
    CHECK(claw[0].refund_id == "r-1");
    CHECK(claw[0].order_id == "1001");
    CHECK(claw[0].at == day(10));
    CHECK(claw[0].amount_minor == -1000);
    CHECK(claw[0].revenue_minor == -10000);
    // max(day 10, day 0 + 30) = day 30: the clawback waits with its sale.
    CHECK(approves_at(claw[0], kWindow) == day(30));
    ledger.push_back(claw[0]);
    auto on_day_9 = totals_of({sale()}, kWindow, day(9));
    CHECK(on_day_9.pending_minor == 1000);
    auto on_day_29 = totals_of(ledger, kWindow, day(29));
    CHECK(on_day_29.pending_minor == 0);  // 1000 - 1000
    auto on_day_30 = totals_of(ledger, kWindow, day(30));
    CHECK(on_day_30.pending_minor == 0);
    CHECK(on_day_30.approved_minor == 0);
  }
  SECTION("40.00 of it: round(1000 x 4000 / 10000) = 400 back, 6.00 approved on day 30") {
    auto claw = clawback_lines(ledger, 10000, 0, {"r-1", day(10), 4000});
    REQUIRE(claw.size() == 1);
    CHECK(claw[0].amount_minor == -400);
    CHECK(claw[0].revenue_minor == -4000);
    ledger.push_back(claw[0]);
    CHECK(totals_of(ledger, kWindow, day(29)).pending_minor == 600);
    CHECK(totals_of(ledger, kWindow, day(30)).approved_minor == 600);
  }
}

TEST_CASE("a later cancellation takes back what earlier refunds left", "[commissions]") {
  // 33.33 of a 100.00 order: round(1000 x 3333 / 10000) = round(333.3) = 333;
  // then a cancellation refunds the 66.67 left and takes the 667 left.
  std::vector<CommissionLine> ledger = {sale()};
  auto first = clawback_lines(ledger, 10000, 0, {"r-1", day(3), 3333});
  REQUIRE(first.size() == 1);
  CHECK(first[0].amount_minor == -333);
  ledger.push_back(first[0]);
  auto rest = clawback_lines(ledger, 10000, 3333, {"r-2", day(5), std::nullopt});
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].amount_minor == -667);
  CHECK(rest[0].revenue_minor == -6667);  // round(10000 x 6667 / 10000)
  // Nothing is left to refund: a third refund claws nothing.
  ledger.push_back(rest[0]);
  CHECK(clawback_lines(ledger, 10000, 10000, {"r-3", day(6), 500}).empty());
}

TEST_CASE("a refund after the window is approved at once and comes off the next payout", "[commissions]") {
  std::vector<CommissionLine> unpaid = {sale("1001"), sale("1002", 2500, 25000)};
  // Day 31: both approved; the owner pays 1001 only: 10.00.
  PayoutPlan first = plan_payout("inf-a", unpaid, {"1001"}, kWindow, day(31));
  REQUIRE(first.lines.size() == 1);
  CHECK(first.amount_minor == 1000);
  // Day 45: 1001 (paid) is refunded in full: -10.00, approved on day 45.
  std::vector<CommissionLine> paid_sale = {sale("1001")};
  paid_sale[0].payout = "po-1";
  auto claw = clawback_lines(paid_sale, 10000, 0, {"r-9", day(45), std::nullopt});
  REQUIRE(claw.size() == 1);
  CHECK(approves_at(claw[0], kWindow) == day(45));
  CHECK(state_of(claw[0], kWindow, day(45)) == CommissionState::Approved);
  // Day 46: paying 1002 (25.00) takes the clawback with it: 25.00 - 10.00 = 15.00.
  std::vector<CommissionLine> now_unpaid = {sale("1002", 2500, 25000), claw[0]};
  PayoutPlan second = plan_payout("inf-a", now_unpaid, {"1002"}, kWindow, day(46));
  REQUIRE(second.lines.size() == 2);
  CHECK(second.lines[1].clawback());
  CHECK(second.amount_minor == 1500);
}

TEST_CASE("a payout refuses pending, unknown and empty selections", "[commissions]") {
  std::vector<CommissionLine> unpaid = {sale("1001"), sale("1002")};
  unpaid[1].order_at = unpaid[1].at = day(10);  // approved on day 40
  CHECK_THROWS_WITH(plan_payout("inf-a", unpaid, {"1002"}, kWindow, day(31)),
                    "payout.not_approved: the commission on order \"1002\" is still pending (approved on 2026-11-10)");
  try {
    plan_payout("inf-a", unpaid, {"1002"}, kWindow, day(31));
  } catch (const VouchException& e) {
    CHECK(e.error().code == "payout.not_approved");
    CHECK(e.error().path == "/orders/0");
  }
  // inf-b has no line on 1001: selecting it for inf-b is another creator's commission.
  try {
    plan_payout("inf-b", unpaid, {"1001"}, kWindow, day(31));
    FAIL("inf-b was paid inf-a's commission");
  } catch (const VouchException& e) {
    CHECK(e.error().code == "payout.unknown_line");
  }
  try {
    plan_payout("inf-a", unpaid, {}, kWindow, day(31));
    FAIL("an empty payout was planned");
  } catch (const VouchException& e) {
    CHECK(e.error().code == "payout.nothing_to_pay");
  }
}

TEST_CASE("lines come from the engine's credits on verified orders, with the touch's source tag", "[commissions]") {
  // v-1 clicked inf-a's link from instagram on day -2, then from tiktok on
  // day -1, and bought 100.00 on day 0 (signed): last click, inf-a, 10.00,
  // src tiktok. v-2's 50.00 order was only reported by a browser: no line.
  json touches = json::array({
      {{"visitor", "v-1"}, {"at", format_rfc3339(day(-2))}, {"code", "ALPHA10"}, {"source", "link"},
       {"landing", "/p/sku-1"}, {"src", "instagram"}},
      {{"visitor", "v-1"}, {"at", format_rfc3339(day(-1))}, {"code", "ALPHA10"}, {"source", "link"},
       {"landing", "/p/sku-1"}, {"src", "tiktok"}},
      {{"visitor", "v-2"}, {"at", format_rfc3339(day(-1))}, {"code", "BETA"}, {"source", "link"},
       {"landing", "/"}}});
  json orders = json::array({
      {{"order_id", "1001"}, {"visitor", "v-1"}, {"at", format_rfc3339(day(0))}, {"value", 100.0}},
      {{"order_id", "1002"}, {"visitor", "v-2"}, {"at", format_rfc3339(day(0))}, {"value", 50.0},
       {"verified", false}},
      {{"order_id", "refund:r-1"}, {"refund_of", "1001"}, {"at", format_rfc3339(day(10))}, {"value", -40.0}}});
  AttributionData data(feed());
  for (std::size_t i = 0; i < touches.size(); ++i) data.add_touch(touches[i], i);
  for (std::size_t i = 0; i < orders.size(); ++i) data.add_order(orders[i], i);
  AttributionConfig config;
  auto results = attribute(data, config, day(1));
  auto lines = sale_lines(data, results, touches, config.window_seconds);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].influencer == "inf-a");
  CHECK(lines[0].order_id == "1001");
  CHECK(lines[0].amount_minor == 1000);
  CHECK(lines[0].revenue_minor == 10000);
  CHECK(lines[0].src == "tiktok");
  CHECK(lines[0].order_at == day(0));
  // The ledger's clawback of the 40.00 refund is the engine's: -4.00.
  REQUIRE(results[2].credits.size() == 1);
  auto claw = clawback_lines(lines, 10000, 0, {"r-1", day(10), 4000});
  REQUIRE(claw.size() == 1);
  CHECK(claw[0].amount_minor == results[2].credits[0].commission_minor);
  CHECK(claw[0].revenue_minor == results[2].credits[0].revenue_minor);
  CHECK(claw[0].amount_minor == -400);
}

TEST_CASE("a line's JSON names its kind, state and dates", "[commissions]") {
  CommissionLine line = sale();
  line.src = "instagram";
  json j = to_json(line, "USD", kWindow, day(29));
  CHECK(j == json::parse(R"({"order_id": "1001", "refund_id": null, "kind": "sale", "state": "pending",
      "order_at": "2026-10-01T12:00:00Z", "at": "2026-10-01T12:00:00Z", "approves_at": "2026-10-31T12:00:00Z",
      "revenue": 100.0, "amount": 10.0, "campaign": null, "src": "instagram", "payout": null})"));
}
