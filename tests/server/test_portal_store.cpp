// The creator portal's storage on the back end under test: the commission
// ledger read from stored touches, orders and refunds (once, whoever asks),
// payouts that pay a line once, and magic links that sign in once.
// Money in cents.
#include <catch2/catch.hpp>

#include "commission_ledger.hpp"
#include "store.hpp"
#include "temp_database.hpp"

using namespace vouch;
using namespace vouch::server;
using nlohmann::json;

namespace {

const char* kFeed = R"({"version": 1,
  "store": {"id": "t", "name": "Test", "currency": "USD", "locale": "en-US"},
  "products": [{"id": "sku-1", "title": "Boot", "price": 120.0, "url": "/p/sku-1"}],
  "influencers": [
    {"id": "inf-a", "handle": "alpha", "followers": 1000, "codes": ["ALPHA"]},
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
constexpr Timestamp kT0 = 1'790'000'000;  // day 0: the orders

EventRecord touch(const std::string& id, const std::string& visitor, const std::string& code, const std::string& src,
                  Timestamp at) {
  EventRecord e{id, "touch", at, visitor, "{}", {}, std::nullopt};
  InputRules rules{"USD"};
  json t = {{"visitor", visitor}, {"at", format_rfc3339(at)}, {"code", code}, {"landing", "/p/sku-1"}};
  if (!src.empty()) t["src"] = src;
  e.touches.push_back(read_touch(t, "", rules));
  return e;
}

void signed_order(server::Store& store, const std::string& id, const std::string& visitor, double value, Timestamp at) {
  json o = {{"order_id", id}, {"visitor", visitor}, {"at", format_rfc3339(at)}, {"value", value},
            {"items", json::array({{{"product", "sku-1"}, {"qty", 1}, {"price", value}}})}};
  InputRules rules{"USD"};
  REQUIRE(store.insert_server_order({id, at, to_json(read_order(o, "", rules))}, "sig-" + id, at, at) ==
          OrderOutcome::Created);
}

}  // namespace

TEST_CASE("the ledger reads signed orders and refunds once, per creator", "[store][portal]") {
  TempDatabase db;
  auto owned = open_store(db.location());
  server::Store& store = *owned;
  AttributionConfig config;  // last click, 30-day window, 10%
  LedgerRules rules{feed(), config};
  // v-1 came through ALPHA's instagram link and bought 120.00; v-2 through BETA, 50.00.
  store.insert_events({touch("t1", "v-1", "ALPHA", "Instagram", kT0 - 3600),
                       touch("t2", "v-2", "BETA", "", kT0 - 7200)},
                      kT0);
  signed_order(store, "1001", "v-1", 120.0, kT0);
  signed_order(store, "1002", "v-2", 50.0, kT0);
  CHECK(catch_up_commissions(store, rules, kT0 + kDay) == 2);
  auto a = store.commission_lines("inf-a", 0, kT0 + 100 * kDay);
  REQUIRE(a.size() == 1);
  CHECK(a[0].order_id == "1001");
  CHECK(a[0].amount_minor == 1200);  // 10% of 120.00
  CHECK(a[0].revenue_minor == 12000);
  CHECK(a[0].src == "instagram");     // stored in lower case
  auto b = store.commission_lines("inf-b", 0, kT0 + 100 * kDay);
  REQUIRE(b.size() == 1);
  CHECK(b[0].order_id == "1002");
  CHECK(b[0].amount_minor == 500);

  // Day 10: 30.00 of 1001 comes back: round(1200 x 3000 / 12000) = 300 clawed back.
  RefundRecord refund{"rf-1", "1001", kT0 + 10 * kDay,
                      json{{"order_id", "refund:rf-1"}, {"refund_of", "1001"}, {"value", -30.0},
                           {"at", format_rfc3339(kT0 + 10 * kDay)}, {"currency", "USD"}}};
  REQUIRE(store.insert_refund(refund, "sig-rf-1", kT0 + 10 * kDay, kT0 + 10 * kDay) == OrderOutcome::Created);
  CHECK(catch_up_commissions(store, rules, kT0 + 10 * kDay) == 1);
  CHECK(catch_up_commissions(store, rules, kT0 + 11 * kDay) == 0);  // read once
  a = store.commission_lines("inf-a", 0, kT0 + 100 * kDay);
  REQUIRE(a.size() == 2);
  CHECK(a[1].refund_id == "rf-1");
  CHECK(a[1].amount_minor == -300);
  CHECK(a[1].at == kT0 + 10 * kDay);
  const Timestamp window = 30 * kDay;
  CHECK(balances_of(store, "inf-a", window, kT0 + 29 * kDay).pending_minor == 900);
  CHECK(balances_of(store, "inf-a", window, kT0 + 30 * kDay).approved_minor == 900);

  // Day 31: the owner pays inf-a's 1001 (with its clawback): 9.00, once.
  auto unpaid = store.unpaid_commissions("inf-a");
  REQUIRE(unpaid.size() == 2);
  PayoutPlan plan = plan_payout("inf-a", unpaid, {"1001"}, window, kT0 + 31 * kDay);
  CHECK(plan.amount_minor == 900);
  PayoutRecord run;
  run.run = "run-1";
  run.currency = "USD";
  run.method = "paypal";
  auto paid = store.record_payouts({plan}, run, kT0 + 31 * kDay);
  REQUIRE(paid.size() == 1);
  CHECK(paid[0].amount_minor == 900);
  CHECK(paid[0].lines == 2);
  CHECK(store.unpaid_commissions("inf-a").empty());
  CHECK(balances_of(store, "inf-a", window, kT0 + 31 * kDay).paid_minor == 900);
  CHECK_THROWS_WITH(store.record_payouts({plan}, run, kT0 + 32 * kDay),
                    Catch::Contains("payout.changed"));
  CHECK(store.payouts("inf-a", "", 10).size() == 1);
  CHECK(store.payouts("inf-b", "", 10).empty());
  CHECK(store.unpaid_commissions("inf-b").size() == 1);
}

TEST_CASE("a magic link signs its own creator in once, before it expires", "[store][portal]") {
  TempDatabase db;
  auto owned = open_store(db.location());
  server::Store& store = *owned;
  store.insert_portal_link("hash-1", "inf-a", kT0, kT0 + 900);
  store.insert_portal_link("hash-2", "inf-a", kT0, kT0 + 900);
  PortalSession session{"s-hash-1", "inf-a", kT0 + 60, kT0 + 60 + 30 * kDay, kT0 + 60, "phone", "203.0.113.7"};
  CHECK(store.sign_in_with_link("hash-1", session, kT0 + 60) == LinkUse::SignedIn);
  CHECK(store.sign_in_with_link("hash-1", session, kT0 + 61) == LinkUse::Used);
  // A link is its creator's: claimed for inf-b it signs nobody in (and stays unspent).
  PortalSession other{"s-hash-2", "inf-b", kT0 + 60, kT0 + 60 + 30 * kDay, kT0 + 60, "", ""};
  CHECK(store.sign_in_with_link("hash-2", other, kT0 + 62) == LinkUse::Unknown);
  CHECK(store.sign_in_with_link("hash-2", session, kT0 + 900) == LinkUse::Expired);
  CHECK(store.sign_in_with_link("nothing", session, kT0 + 62) == LinkUse::Unknown);

  REQUIRE(store.portal_session("s-hash-1", kT0 + 120));
  CHECK(store.portal_session("s-hash-1", kT0 + 60 + 30 * kDay) == std::nullopt);  // expired
  // inf-b cannot end inf-a's session by its id; inf-a can.
  CHECK(store.end_portal_sessions("inf-b", session.id(), kT0 + 130) == 0);
  CHECK(store.portal_session("s-hash-1", kT0 + 131));
  CHECK(store.end_portal_sessions("inf-a", session.id(), kT0 + 140) == 1);
  CHECK(store.portal_session("s-hash-1", kT0 + 141) == std::nullopt);
  auto creators = store.portal_creators(kT0 + 150);
  REQUIRE(creators.size() == 1);  // signing in puts the creator in the portal
  CHECK(creators[0].influencer == "inf-a");
  CHECK(creators[0].active_sessions == 0);
}
