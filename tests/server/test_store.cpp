// The server's SQLite store (server/storage/store.hpp) on a temporary file:
// retention, a full database, refunds stored once per refund id, and the
// schema's versions (an old file migrated, a newer one refused).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>

#include <sqlite3.h>

#include "store.hpp"
#include "temp_database.hpp"

using vouch::kSecondsPerDay;
using vouch::Timestamp;
using namespace vouch::server;
using nlohmann::json;

namespace {

const Timestamp kDay = kSecondsPerDay;
const Timestamp kNow = 1'790'000'000;

EventRecord touch_event(const std::string& id, Timestamp at, std::string padding = "") {
  EventRecord e;
  e.id = id;
  e.type = "touch";
  e.at = at;
  e.visitor = "v-" + id;
  e.body = R"({"pad":")" + padding + R"("})";
  TouchRecord t;
  t.visitor = e.visitor;
  t.at = at;
  t.code = "TESS10";
  e.touches.push_back(t);
  return e;
}

std::int64_t stored_events(Store& store) { return store.summary()["events"]["total"].get<std::int64_t>(); }

}  // namespace

TEST_CASE("Retention deletes raw events received, and touches made, before the cutoff", "[store]") {
  TempDatabase db;
  auto owned = open_store(db.location());
  Store& store = *owned;
  // Three events received 401 days ago (their touches happened then too), two today.
  store.insert_events({touch_event("old-1", kNow - 401 * kDay), touch_event("old-2", kNow - 401 * kDay),
                       touch_event("old-3", kNow - 401 * kDay)},
                      kNow - 401 * kDay);
  store.insert_events({touch_event("new-1", kNow - kDay), touch_event("new-2", kNow)}, kNow);
  Timestamp cutoff = kNow - 400 * kDay;
  // Two rows a call: two old events and two old touches, then one of each, then nothing.
  CHECK(store.prune(cutoff, cutoff, 2) == 4);
  CHECK(store.prune(cutoff, cutoff, 2) == 2);
  CHECK(store.prune(cutoff, cutoff, 2) == 0);
  CHECK(stored_events(store) == 2);
  CHECK(store.summary()["touches"] == 2);
  CHECK(store.touches_between(0, kNow + 1).size() == 2);
}

TEST_CASE("A full database refuses the batch whole and keeps every committed one", "[store]") {
  TempDatabase db;
  StoreOptions options;
  options.max_bytes = 512 << 10;  // 128 pages of 4 KiB (the empty schema takes 64)
  auto owned = open_store(db.path(), options);
  Store& store = *owned;
  // Batches of 10 events of ~2 KB each until the cap is reached.
  std::int64_t committed = 0;
  bool full = false;
  for (int batch = 0; batch < 200 && !full; ++batch) {
    std::vector<EventRecord> events;
    for (int i = 0; i < 10; ++i)
      events.push_back(touch_event("b" + std::to_string(batch) + "-" + std::to_string(i), kNow, std::string(2000, 'x')));
    try {
      store.insert_events(events, kNow);
      committed += 10;
    } catch (const StoreError& e) {
      full = e.full;
      CHECK(e.full);
    }
  }
  REQUIRE(full);
  CHECK(committed > 0);
  // Nothing of the refused batch, all of the others; reads still work.
  CHECK(stored_events(store) == committed);
  // Once rows are deleted (all of them: received before kNow + 1) the space is reused.
  CHECK(store.prune(kNow + 1, 0, 1000) == committed);
  CHECK_NOTHROW(store.insert_events({touch_event("after", kNow)}, kNow));
}

TEST_CASE("A refund is stored once per refund id, and the same signed delivery twice is a replay", "[store]") {
  TempDatabase db;
  auto owned = open_store(db.location());
  Store& store = *owned;
  RefundRecord refund{"rf-1", "1001", kNow, json{{"order_id", "refund:rf-1"}, {"refund_of", "1001"}}};
  CHECK(store.insert_refund(refund, "sig-a", kNow, kNow) == OrderOutcome::Created);
  CHECK(store.insert_refund(refund, "sig-b", kNow, kNow) == OrderOutcome::Duplicate);
  CHECK(store.insert_refund(refund, "sig-b", kNow, kNow) == OrderOutcome::Replayed);
  CHECK(store.refunds_between(0, kNow + 1) == json::array({refund.order}));
}

namespace {

// Runs SQL on the file directly, as another program (or an older vouch) would.
void raw_sqlite(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
  std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  REQUIRE(message == "");
  REQUIRE(rc == SQLITE_OK);
}

}  // namespace

TEST_CASE("A database written before schema versions is migrated with its rows kept", "[store][schema]") {
  TempDatabase db;
  // What issue 20's vouch created (no schema_version table), with one order in it.
  raw_sqlite(db.path(),
             "CREATE TABLE orders (order_id TEXT PRIMARY KEY, source TEXT NOT NULL CHECK (source IN ('browser', "
             "'server')), at INTEGER NOT NULL, body TEXT NOT NULL, received_at INTEGER NOT NULL);"
             "INSERT INTO orders VALUES ('1001', 'server', 1790000000, "
             "'{\"order_id\":\"1001\",\"items\":[{\"product\":\"sku-2\"},{\"product\":\"sku-1\"},{\"product\":\"sku-2\"}]}', "
             "1790000000);");
  auto store = open_store(db.path());
  CHECK(store->has_server_orders());
  // The distinct products, sorted: what the order's review token signs.
  CHECK(store->order_products("1001") == std::vector<std::string>{"sku-1", "sku-2"});
  CHECK(store->reviews_auto_publish() == false);  // the tables the old file lacked are there
  CHECK(store->rating_totals().count == 0);
}

TEST_CASE("A migration whose number landed after a higher one is applied when it comes", "[store][schema]") {
  TempDatabase db;
  { auto store = open_store(db.path()); }
  // What a vouch that knew versions 1 to 4 left: one row, its latest (it
  // stands for 1..4), and none of version 6's tables.
  raw_sqlite(db.path(),
             "DROP TABLE catalogue; DROP TABLE ugc; DROP TABLE helpful_votes; DROP TABLE product_documents; "
             "DROP TABLE documents; DROP TABLE imports; DELETE FROM meta WHERE key IN ('catalogue_version', "
             "'rating_sum', 'rating_count', 'documents_as_of'); DELETE FROM schema_version; "
             "INSERT INTO schema_version VALUES (4);");
  auto store = open_store(db.path());
  CHECK(store->catalogue_version() == 0);  // version 6's tables and meta rows are back
  CHECK(store->rating_totals().count == 0);
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(db.path().c_str(), &raw) == SQLITE_OK);
  std::string versions;
  sqlite3_exec(
      raw, "SELECT group_concat(version, ',') FROM (SELECT version FROM schema_version ORDER BY version)",
      [](void* out, int, char** values, char**) {
        *static_cast<std::string*>(out) = values[0] ? values[0] : "";
        return 0;
      },
      &versions, nullptr);
  sqlite3_close(raw);
  // Every version this vouch knows, each with its row (5 is not written yet).
  CHECK(versions == "1,2,3,4,6");
}

TEST_CASE("A database of a newer schema is refused with store.schema_too_new", "[store][schema]") {
  TempDatabase db;
  { auto store = open_store(db.path()); }
  raw_sqlite(db.path(), "UPDATE schema_version SET version = version + 1");
  try {
    open_store(db.path());
    FAIL("a newer schema was opened");
  } catch (const StoreError& e) {
    CHECK(e.code == "store.schema_too_new");
    CHECK(std::string(e.what()).find("newer than the") != std::string::npos);
  }
}
