// The documents `vouch serve` builds per product from its database and keeps
// there (server/documents/document_builder.hpp): a change rebuilds its own
// product only; a vote counts once per visitor and shows; a decision
// rebuilds its product; a retired product's documents go; the store's
// ratings in a document are those of its last build, and no older than the
// day's start (the staleness bound); and the bytes are those of the same
// store built from a file.
#include <catch2/catch.hpp>

#include "crypto.hpp"
#include "document_builder.hpp"
#include "feed_import.hpp"
#include "store.hpp"
#include "store_fixtures.hpp"
#include "storefront_documents.hpp"

using vouch::Timestamp;
using vouch::UgcStatus;
using namespace vouch::server;
using namespace vouch::server::testing;
using nlohmann::json;

namespace {

const Timestamp kDay = 1'790'035'200;  // 2026-09-22T00:00:00Z, a UTC midnight

// A builder whose clock the test sets.
struct Builder {
  Timestamp now = kDay + 3600;
  DocumentBuilder builder;
  explicit Builder(Store& store) : builder(store, 2, [this] { return now; }, [](const json&) {}) {}
  BuildPass run() { return builder.run_once(); }
};

std::string etag(Store& store, const std::string& path) {
  auto d = store.document(path);
  return d ? d->etag : "";
}

json document(Store& store, const std::string& path) {
  auto d = store.document(path);
  REQUIRE(d.has_value());
  return json::parse(inflate_gzip(d->gzip));
}

json store_ratings(Store& store, const std::string& product) {
  return document(store, "products/" + product + ".json")["document"]["store_ratings"];
}

std::int64_t helpful_in_document(Store& store, const std::string& product, const std::string& id) {
  const json reviews = document(store, "products/" + product + "/reviews.json");
  for (const auto& u : reviews["ugc"])
    if (u["id"] == id) return u["helpful"].get<std::int64_t>();
  return -1;
}

SubmittedReview review(const std::string& id, const std::string& product, int rating) {
  SubmittedReview r;
  r.client_id = "c-" + id;
  r.visitor = "v-1";
  r.address = "127.0.0.1";
  r.item.id = id;
  r.item.product = product;
  r.item.rating = rating;
  r.item.title = "Fine";
  r.item.body = "Fine for short walks in dry weather.";
  r.item.author.name = "Sam";
  r.item.status = UgcStatus::Published;
  r.item.at = kDay - 7200;
  r.received_at = kDay - 7200;
  return r;
}

EventRecord vote(const std::string& id, const std::string& ugc, const std::string& visitor) {
  EventRecord e;
  e.id = id;
  e.type = "helpful_vote";
  e.at = kDay;
  e.visitor = visitor;
  e.body = json{{"id", id}, {"type", "helpful_vote"}, {"ugc", ugc}, {"visitor", visitor}}.dump();
  return e;
}

}  // namespace

TEST_CASE("A change rebuilds its own product; the others keep their documents", "[store][documents]") {
  TempFolder t;
  auto store = open_store(t.location());
  REQUIRE(import_feed(*store, t.write("feed.json", feed()), vouch::store_feed_limits()).errors.empty());
  Builder b(*store);
  BuildPass first = b.run();
  CHECK(first.new_day);
  CHECK(first.as_of == kDay);
  CHECK(first.products == 2);
  CHECK(first.documents == 7);  // three per product and store.json
  CHECK(b.run().products == 0);  // nothing changed
  const std::string sku1 = etag(*store, "products/sku-1.json"), sku2 = etag(*store, "products/sku-2.json");

  SubmittedReview written = review("rv-1", "sku-1", 3);
  REQUIRE(store->insert_review(written) == ReviewOutcome::Created);
  BuildPass after_review = b.run();
  CHECK(after_review.products == 1);
  CHECK(etag(*store, "products/sku-1.json") != sku1);
  CHECK(etag(*store, "products/sku-2.json") == sku2);
  CHECK(document(*store, "badges/sku-1.json")["summary"]["count"] == 3);  // 5, 4 and the new 3

  // The owner rejects r-3 (sku-2's only published review): sku-2 only.
  store->decide_moderation({"r-3", "rejected", kDay});
  CHECK(b.run().products == 1);
  CHECK(document(*store, "badges/sku-2.json")["summary"]["count"] == 0);
  CHECK(etag(*store, "products/sku-2.json") != sku2);
}

TEST_CASE("A helpful vote counts once per visitor and shows in its product's documents", "[store][documents]") {
  TempFolder t;
  auto store = open_store(t.location());
  REQUIRE(import_feed(*store, t.write("feed.json", feed()), vouch::store_feed_limits()).errors.empty());
  Builder b(*store);
  b.run();
  CHECK(helpful_in_document(*store, "sku-1", "r-1") == 2);  // the feed's own count
  // v-1 twice (a second vote of the same visitor does not count), v-2 once,
  // and one for an item that does not exist: r-1 shows 2 + 2 = 4.
  store->insert_events({vote("e-1", "r-1", "v-1"), vote("e-2", "r-1", "v-1"), vote("e-3", "r-1", "v-2"),
                        vote("e-4", "no-such-item", "v-1")},
                       kDay);
  CHECK(b.run().products == 1);
  CHECK(helpful_in_document(*store, "sku-1", "r-1") == 4);
  CHECK(store->product_items("sku-1")[0].helpful == 4);
}

TEST_CASE("A document's store ratings are those of its last build, no older than the day's start", "[store][documents]") {
  TempFolder t;
  auto store = open_store(t.location());
  REQUIRE(import_feed(*store, t.write("feed.json", feed()), vouch::store_feed_limits()).errors.empty());
  Builder b(*store);
  b.run();
  // Published: 5 + 4 + 2 = 11 over 3.
  CHECK(store_ratings(*store, "sku-2") == json{{"count", 3}, {"sum", 11}});
  // A published 3 on sku-1: the store's ratings are 14 over 4; sku-1 is
  // rebuilt with them, sku-2 keeps 11 over 3 for the rest of the day.
  SubmittedReview written = review("rv-1", "sku-1", 3);
  REQUIRE(store->insert_review(written) == ReviewOutcome::Created);
  b.now = kDay + 86399;
  b.run();
  CHECK(store_ratings(*store, "sku-1") == json{{"count", 4}, {"sum", 14}});
  CHECK(store_ratings(*store, "sku-2") == json{{"count", 3}, {"sum", 11}});
  CHECK(document(*store, "products/sku-2.json")["document"]["as_of"] == "2026-09-22T00:00:00Z");
  // The next day's first pass: every product again, with 14 over 4 and the new day.
  b.now = kDay + 86400;
  BuildPass next_day = b.run();
  CHECK(next_day.new_day);
  CHECK(next_day.products == 2);
  for (const char* product : {"sku-1", "sku-2"}) {
    CHECK(store_ratings(*store, product) == json{{"count", 4}, {"sum", 14}});
    CHECK(document(*store, std::string("products/") + product + ".json")["document"]["as_of"] ==
          "2026-09-23T00:00:00Z");
  }
  CHECK(document(*store, "store.json")["as_of"] == "2026-09-23T00:00:00Z");
}

TEST_CASE("A product gone from the feed loses its documents; the rest are those a file of the same store builds",
          "[store][documents]") {
  TempFolder t;
  auto store = open_store(t.location());
  json smaller = feed();
  smaller["products"].erase(1);
  smaller["ugc"] = json::array({item("r-1", "sku-1", 5, "published"), item("r-2", "sku-1", 4, "published")});
  REQUIRE(import_feed(*store, t.write("feed.json", feed()), vouch::store_feed_limits()).errors.empty());
  Builder b(*store);
  b.run();
  REQUIRE(store->document("badges/sku-2.json").has_value());
  REQUIRE(import_feed(*store, t.write("smaller.json", smaller), vouch::store_feed_limits()).errors.empty());
  b.run();
  CHECK_FALSE(store->document("products/sku-2.json").has_value());
  CHECK_FALSE(store->document("badges/sku-2.json").has_value());

  // sku-1 did not change: its documents keep the store's ratings of their
  // build (r-3's 2 gone since). At the next day every document is rebuilt,
  // and each, byte for byte, is the one the same store as a file builds.
  CHECK(store_ratings(*store, "sku-1") == json{{"count", 3}, {"sum", 11}});
  b.now = kDay + 86400 + 60;
  CHECK(b.run().products == 1);
  CHECK(store_ratings(*store, "sku-1") == json{{"count", 2}, {"sum", 9}});
  vouch::FeedLoadResult file = vouch::load_feed(smaller.dump(), vouch::store_feed_limits());
  REQUIRE(file.ok());
  std::size_t compared = 0;
  build_storefront_documents(*file.feed, kDay + 86400, 1, [&](const std::string& path, std::string body) {
    auto stored = store->document(path);
    REQUIRE(stored.has_value());
    CHECK(inflate_gzip(stored->gzip) == body);
    CHECK(stored->etag == strong_etag(body));
    ++compared;
  });
  CHECK(compared == 4);  // sku-1's three and store.json
}
