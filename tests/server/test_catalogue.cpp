// The database as the store of record (issue 28): a feed file imported
// (server/ingest/feed_import.hpp) into the catalogue and UGC tables
// (CatalogueStore, server/storage/store.hpp), compared element by element,
// retired when gone; the store's published ratings kept as items change;
// shoppers' reviews and the owner's decisions on the same rows.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "feed_import.hpp"
#include "store.hpp"
#include "store_fixtures.hpp"

using vouch::Ugc;
using vouch::UgcStatus;
using namespace vouch::server;
using namespace vouch::server::testing;
using nlohmann::json;

namespace {

json section(const ImportResult& r, const char* name) { return r.summary["sections"][name]; }

json counts(int added, int changed, int unchanged, int retired) {
  return {{"added", added}, {"changed", changed}, {"unchanged", unchanged}, {"retired", retired}};
}

std::vector<std::string> ids(const std::vector<Ugc>& items) {
  std::vector<std::string> out;
  for (const Ugc& u : items) out.push_back(u.id);
  return out;
}

}  // namespace

TEST_CASE("An import writes what is new, nothing when unchanged, and retires what the file no longer has",
          "[store][catalogue]") {
  TempFolder t;
  auto store = open_store(t.location());
  const auto limits = vouch::store_feed_limits();

  ImportResult first = import_feed(*store, t.write("feed.json", feed()), limits);
  REQUIRE(first.errors.empty());
  CHECK(first.summary["passes"] == 2);  // compared, then written
  CHECK(section(first, "products") == counts(2, 0, 0, 0));
  CHECK(section(first, "ugc") == counts(5, 0, 0, 0));
  CHECK(first.summary["rows_written"] == 8);  // the store, 2 products, 5 items
  CHECK(ids(store->product_items("sku-2")) == std::vector<std::string>{"r-3", "r-4", "r-5"});

  ImportResult again = import_feed(*store, t.write("feed.json", feed()), limits);
  CHECK(again.summary["passes"] == 1);
  CHECK(again.summary["rows_written"] == 0);
  CHECK(section(again, "ugc") == counts(0, 0, 5, 0));
  CHECK(section(again, "store") == counts(0, 0, 1, 0));

  // r-2's text changes, and sku-2 gets a new first item, which moves its
  // other items down a place (r-3, r-4, r-5: their product's items only).
  json next = feed();
  next["ugc"][1]["body"] = "Solid, comfortable, and dry after a week of rain.";
  next["ugc"].insert(next["ugc"].begin(), item("r-6", "sku-2", 5, "published"));
  ImportResult changed = import_feed(*store, t.write("next.json", next), limits);
  // r-6 added; r-2 (text), r-3, r-4 and r-5 (place) changed; r-1 unchanged.
  CHECK(section(changed, "ugc") == counts(1, 4, 1, 0));
  CHECK(changed.summary["rows_written"] == 5);
  CHECK(ids(store->product_items("sku-2")) == std::vector<std::string>{"r-6", "r-3", "r-4", "r-5"});
  CHECK(store->product_items("sku-1")[1].body == "Solid, comfortable, and dry after a week of rain.");

  // The first file again: r-6 is retired (kept, not shown), r-2, r-3, r-4
  // and r-5 change back: 4 changed, 1 retired, 5 rows.
  ImportResult back = import_feed(*store, t.write("feed.json", feed()), limits);
  CHECK(section(back, "ugc") == counts(0, 4, 1, 1));
  CHECK(back.summary["rows_written"] == 5);
  CHECK(ids(store->product_items("sku-2")) == std::vector<std::string>{"r-3", "r-4", "r-5"});
  // Without sku-2 and its items (a smaller valid file): 1 product and 3 items retired.
  json smaller = feed();
  smaller["products"].erase(1);
  smaller["ugc"] = json::array({item("r-1", "sku-1", 5, "published"), item("r-2", "sku-1", 4, "published")});
  ImportResult shrunk = import_feed(*store, t.write("smaller.json", smaller), limits);
  CHECK(section(shrunk, "products") == counts(0, 0, 1, 1));
  CHECK(section(shrunk, "ugc") == counts(0, 0, 2, 3));
  CHECK(store->product_body("sku-2") == std::nullopt);
  CHECK(store->product_items("sku-2").empty());
  back = import_feed(*store, t.write("feed.json", feed()), limits);
  CHECK(section(back, "products") == counts(0, 1, 1, 0));  // sku-2 back (changed: it was retired)
  CHECK(store->last_import()->summary == back.summary);
}

TEST_CASE("An invalid feed is refused with its errors and writes nothing", "[store][catalogue]") {
  TempFolder t;
  auto store = open_store(t.location());
  REQUIRE(import_feed(*store, t.write("feed.json", feed()), vouch::store_feed_limits()).errors.empty());
  const std::int64_t version = store->catalogue_version();
  json broken = feed();
  broken["products"].erase(1);            // sku-2 gone, its items still there
  broken["ugc"][0]["rating"] = "five";    // and a rating that is not a number
  ImportResult refused = import_feed(*store, t.write("broken.json", broken), vouch::store_feed_limits());
  // The rating, and sku-2's three items (at /ugc/2, 3 and 4) pointing nowhere.
  std::set<std::string> faults;
  for (const auto& e : refused.errors) faults.insert(e.code + " " + e.path);
  CHECK(faults == std::set<std::string>{"feed.invalid_type /ugc/0/rating", "feed.unknown_reference /ugc/2/product",
                                        "feed.unknown_reference /ugc/3/product",
                                        "feed.unknown_reference /ugc/4/product"});
  CHECK(store->catalogue_version() == version);
  CHECK(ids(store->product_items("sku-2")) == std::vector<std::string>{"r-3", "r-4", "r-5"});
  CHECK(store->product_items("sku-1")[0].rating == 5);
}

TEST_CASE("The store's published ratings follow imports, decisions and retirements", "[store][catalogue]") {
  TempFolder t;
  auto store = open_store(t.location());
  CHECK(store->rating_totals().sum == 0);
  REQUIRE(import_feed(*store, t.write("feed.json", feed()), vouch::store_feed_limits()).errors.empty());
  // Published: 5 + 4 + 2 = 11 over 3 (the pending 3 and the rejected 1 do not count).
  CHECK(store->rating_totals().sum == 11);
  CHECK(store->rating_totals().count == 3);
  // The pending 3 approved: 14 over 4. The published 5 rejected: 9 over 3.
  store->decide_moderation({"r-4", "published", 1'790'000'000});
  CHECK(store->rating_totals().sum == 14);
  CHECK(store->rating_totals().count == 4);
  store->decide_moderation({"r-1", "rejected", 1'790'000'060});
  CHECK(store->rating_totals().sum == 9);
  CHECK(store->rating_totals().count == 3);
  CHECK(store->product_items("sku-1")[0].status == UgcStatus::Rejected);
  // The owner's decision outlives a re-import that changes the item: r-1's
  // text changes, it stays rejected. r-3 (published 2) leaves the file: 7 over 2.
  json next = feed();
  next["ugc"][0]["body"] = "Great boots, still rejected by the owner.";
  next["ugc"].erase(2);
  REQUIRE(import_feed(*store, t.write("next.json", next), vouch::store_feed_limits()).errors.empty());
  CHECK(store->product_items("sku-1")[0].status == UgcStatus::Rejected);
  CHECK(store->product_items("sku-1")[0].body == "Great boots, still rejected by the owner.");
  CHECK(store->rating_totals().sum == 7);
  CHECK(store->rating_totals().count == 2);
}

TEST_CASE("A shopper's review is an item of its product, after the file's, and backfilled from an older database",
          "[store][catalogue]") {
  TempFolder t;
  const std::string location = t.location();
  {
    auto store = open_store(location);
    REQUIRE(import_feed(*store, t.write("feed.json", feed()), vouch::store_feed_limits()).errors.empty());
    SubmittedReview review;
    review.client_id = "c-1";
    review.visitor = "v-1";
    review.address = "127.0.0.1";
    review.item.id = "rv-1";
    review.item.product = "sku-1";
    review.item.rating = 3;
    review.item.title = "Fine";
    review.item.body = "Fine for short walks.";
    review.item.author.name = "Sam";
    review.item.status = UgcStatus::Published;
    review.item.at = 1'790'000'000;
    review.received_at = 1'790'000'000;
    REQUIRE(store->insert_review(review) == ReviewOutcome::Created);
    CHECK(ids(store->product_items("sku-1")) == std::vector<std::string>{"r-1", "r-2", "rv-1"});
    CHECK(store->rating_totals().sum == 14);  // 11 + its 3
  }
  // As a database written before the items had their table: the review only in `reviews`.
  raw_sql(location, "DELETE FROM ugc WHERE id = 'rv-1'; UPDATE meta SET value = 11 WHERE key = 'rating_sum';"
                     "UPDATE meta SET value = 3 WHERE key = 'rating_count'");
  auto store = open_store(location);
  CHECK(ids(store->product_items("sku-1")) == std::vector<std::string>{"r-1", "r-2", "rv-1"});
  CHECK(store->rating_totals().sum == 14);
  CHECK(store->rating_totals().count == 4);
}
